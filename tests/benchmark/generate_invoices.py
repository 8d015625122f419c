# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark data: N posted customer invoices over N/4 debtors, due over the past 200 days.

Set-based, so that 100,000 invoices take seconds rather than an hour:

1. the debtors are created with one ORM ``create`` (a list of values);
2. one invoice is created and posted through the ORM: it is the template, and invoice number 1;
3. the other N-1 invoices are copies of it made by ``INSERT ... SELECT`` over ``generate_series``,
   for ``account_move`` and for each of its ``account_move_line`` rows. Every column is copied from
   the template except the ones that make an invoice itself: id, number, debtor, dates, amounts
   (the template's amounts are scaled), timestamps. Columns added by other modules are copied too.

Then a sample is read back through the ORM and checked (balanced, open, receivable account, due
date on the receivable line, amounts), and a preview batch of ``debtor.dunning.run`` on a few
debtors must decide letters for them.

Usable as a command (``python generate_invoices.py -c CONFIG -d DB --count N``) or imported
(``generate(env, count, on_date, debtors=None)``).
"""

import argparse
import contextlib
import datetime
import json
import sys
import time
from collections import Counter

from odoo.fields import Command

DAYS_SPREAD = 200  # due dates between 1 and 200 days before the run date
TEMPLATE_AMOUNT = 100.0
INVOICE_TERM_DAYS = 30  # invoice date = due date - 30 days
# Columns that make each copy an invoice of its own; everything else is copied from the template.
MOVE_OVERRIDES = {
    "id": "s.move_id",
    "name": "s.name",
    "sequence_number": "s.seq",
    "partner_id": "s.partner_id",
    "commercial_partner_id": "s.partner_id",
    "partner_shipping_id": "s.partner_id",
    "invoice_partner_display_name": "s.partner_name",
    "payment_reference": "s.name",
    "date": "s.invoice_date",
    "invoice_date": "s.invoice_date",
    "invoice_date_due": "s.due",
    "payment_state": "'not_paid'",
    "access_token": "NULL",
    "inalterable_hash": "NULL",
    "secure_sequence_number": "NULL",
    "message_main_attachment_id": "NULL",
    "sending_data": "NULL",
    "create_date": "now() AT TIME ZONE 'UTC'",
    "write_date": "now() AT TIME ZONE 'UTC'",
}
LINE_OVERRIDES = {
    "move_id": "s.move_id",
    "move_name": "s.name",
    "partner_id": "s.partner_id",
    "date": "s.invoice_date",
    "invoice_date": "s.invoice_date",
    "date_maturity": "CASE WHEN t.date_maturity IS NOT NULL THEN s.due END",
    "matching_number": "NULL",
    "full_reconcile_id": "NULL",
    "create_date": "now() AT TIME ZONE 'UTC'",
    "write_date": "now() AT TIME ZONE 'UTC'",
}
# Monetary columns scaled by amount / template amount (those that exist in this database).
MOVE_SCALED = (
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_residual",
    "amount_untaxed_signed",
    "amount_untaxed_in_currency_signed",
    "amount_tax_signed",
    "amount_total_signed",
    "amount_total_in_currency_signed",
    "amount_residual_signed",
    "quick_edit_total_amount",
)
LINE_SCALED = (
    "debit",
    "credit",
    "balance",
    "amount_currency",
    "tax_base_amount",
    "amount_residual",
    "amount_residual_currency",
    "price_unit",
    "price_subtotal",
    "price_total",
    "discount_amount_currency",
    "discount_balance",
)
# Many2many tables of account_move_line that the copies would have to follow; the template has none.
LINE_RELATIONS = ("account_move_line_account_tax_rel", "account_account_tag_account_move_line_rel")


def _log(message):
    print(f"[generate] {message}", file=sys.stderr, flush=True)


def _columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        (table,),
    )
    return [row[0] for row in cr.fetchall()]


def _select_list(columns, overrides, scaled, template_alias="t"):
    exprs = []
    for column in columns:
        if column in overrides:
            exprs.append(overrides[column])
        elif column in scaled:
            exprs.append(f"ROUND({template_alias}.{column} * s.factor, 2)")
        else:
            exprs.append(f"{template_alias}.{column}")
    quoted = ", ".join(f'"{column}"' for column in columns)
    return quoted, ", ".join(exprs)


def create_debtors(env, count):
    """`count` companies with an e-mail address, created by one ORM call."""
    country = env.company.country_id
    vals = [
        {
            "name": f"Bench Debtor {index:06d} B.V.",
            "is_company": True,
            "email": f"debtor{index:06d}@example.com",
            "street": f"Benchstraat {index % 300 + 1}",
            "zip": "1234 AB",
            "city": "Amsterdam",
            "country_id": country.id,
        }
        for index in range(count)
    ]
    partners = (
        env["res.partner"]
        .with_context(tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True)
        .create(vals)
    )
    env.flush_all()
    return partners


def create_template_invoice(env, partner, on_date):
    """Invoice number 1, through the ORM: one line of 100.00 without taxes, due yesterday."""
    due = on_date - datetime.timedelta(days=1)
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", env.company.id)], order="sequence, id", limit=1
    )
    move = (
        env["account.move"]
        .with_context(tracking_disable=True, mail_create_nolog=True)
        .create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "journal_id": journal.id,
                "invoice_date": due - datetime.timedelta(days=INVOICE_TERM_DAYS),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Consultancy (benchmark)",
                            "quantity": 1.0,
                            "price_unit": TEMPLATE_AMOUNT,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
    )
    move.action_post()
    env.flush_all()
    if move.amount_total != TEMPLATE_AMOUNT or move.payment_state != "not_paid":
        raise RuntimeError(f"The template invoice is {move.amount_total} {move.payment_state}, not 100.00 open.")
    for table in LINE_RELATIONS:
        env.cr.execute(
            f"SELECT count(*) FROM {table} WHERE account_move_line_id IN %s",
            (tuple(move.line_ids.ids),),
        )
        if env.cr.fetchone()[0]:
            raise RuntimeError(f"The template invoice has rows in {table}; the generator does not copy those.")
    return move


def clone_invoices(env, template, partners, count, on_date):
    """count - 1 copies of `template` (invoices 2..count), spread over the debtors and the past 200 days."""
    cr = env.cr
    copies = count - 1
    if copies <= 0:
        return 0
    cr.execute("SELECT nextval('account_move_id_seq')")
    first_id = cr.fetchone()[0]
    cr.execute("SELECT setval('account_move_id_seq', %s, true)", (first_id + copies - 1,))
    width = max(5, len(str(count)))
    cr.execute("DROP TABLE IF EXISTS bench_debtor")
    cr.execute("CREATE TEMP TABLE bench_debtor (idx integer PRIMARY KEY, partner_id integer, partner_name varchar)")
    cr.execute(
        """
        INSERT INTO bench_debtor (idx, partner_id, partner_name)
        SELECT d.ord - 1, p.id, p.name
          FROM unnest(%s::int[]) WITH ORDINALITY AS d(id, ord)
          JOIN res_partner p ON p.id = d.id
        """,
        (partners.ids,),
    )
    # Invoice g (1-based, the template is g = 0) belongs to debtor g mod D, is due 1..200 days before
    # the run date and is worth 50.00 .. 1999.99; the multipliers only shuffle the combinations.
    cr.execute("DROP TABLE IF EXISTS bench_invoice")
    cr.execute(
        """
        CREATE TEMP TABLE bench_invoice AS
        SELECT g,
               %(first_id)s + g - 1 AS move_id,
               %(prefix)s || lpad((g + %(first_seq)s)::text, %(width)s, '0') AS name,
               g + %(first_seq)s AS seq,
               d.partner_id, d.partner_name,
               (%(on_date)s::date - (1 + (g * 37) %% %(spread)s)) AS due,
               (%(on_date)s::date - (1 + (g * 37) %% %(spread)s) - %(term)s) AS invoice_date,
               ROUND((5000 + (g::bigint * 7919) %% 195000) / 100.0 / %(template_amount)s, 6) AS factor
          FROM generate_series(1, %(copies)s) AS g
          JOIN bench_debtor d ON d.idx = g %% %(debtors)s
        """,
        {
            "first_id": first_id,
            "prefix": template.sequence_prefix,
            "first_seq": template.sequence_number,
            "width": width,
            "on_date": on_date,
            "spread": DAYS_SPREAD,
            "term": INVOICE_TERM_DAYS,
            "template_amount": TEMPLATE_AMOUNT,
            "copies": copies,
            "debtors": len(partners),
        },
    )
    move_columns, move_exprs = _select_list(_columns(cr, "account_move"), MOVE_OVERRIDES, MOVE_SCALED)
    cr.execute(
        f"""
        INSERT INTO account_move ({move_columns})
        SELECT {move_exprs}
          FROM bench_invoice s, account_move t
         WHERE t.id = %s
         ORDER BY s.g
        """,
        (template.id,),
    )
    inserted = cr.rowcount
    line_columns = [column for column in _columns(cr, "account_move_line") if column != "id"]
    line_columns_sql, line_exprs = _select_list(line_columns, LINE_OVERRIDES, LINE_SCALED)
    cr.execute(
        f"""
        INSERT INTO account_move_line ({line_columns_sql})
        SELECT {line_exprs}
          FROM bench_invoice s, account_move_line t
         WHERE t.move_id = %s
         ORDER BY s.g, t.id
        """,
        (template.id,),
    )
    cr.execute("DROP TABLE bench_invoice")
    cr.execute("DROP TABLE bench_debtor")
    env.invalidate_all()
    return inserted


def verify(env, template, partners, on_date, sample_size=20):
    """Read a sample back through the ORM, and let a preview batch of our run decide letters for it."""
    Move = env["account.move"]
    env.cr.execute(
        "SELECT id FROM account_move WHERE commercial_partner_id IN %s AND move_type = 'out_invoice' ORDER BY id",
        (tuple(partners.ids),),
    )
    all_ids = [row[0] for row in env.cr.fetchall()]
    ids = sorted(set(all_ids[:: max(1, len(all_ids) // sample_size)] + all_ids[-1:]))
    problems = []
    for move in Move.browse(ids):
        receivable = move.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        checks = {
            "posted": move.state == "posted",
            "not paid": move.payment_state == "not_paid",
            "one receivable line": len(receivable) == 1,
            "balanced": abs(sum(move.line_ids.mapped("debit")) - sum(move.line_ids.mapped("credit"))) < 0.005,
            "residual = total": move.currency_id.compare_amounts(move.amount_residual, move.amount_total) == 0,
            "residual on the receivable line": receivable
            and move.currency_id.compare_amounts(receivable.amount_residual, move.amount_residual) == 0
            and move.currency_id.compare_amounts(receivable.amount_residual_currency, move.amount_residual) == 0,
            "due date on the receivable line": receivable and receivable.date_maturity == move.invoice_date_due,
            "due in the past 200 days": move.invoice_date_due
            and 1 <= (on_date - move.invoice_date_due).days <= DAYS_SPREAD,
            "debtor": move.partner_id == move.commercial_partner_id and move.partner_id in partners,
            "open for the ORM": move in move.partner_id.with_company(move.company_id).dunning_open_move_ids,
        }
        failed = [name for name, ok in checks.items() if not ok]
        if failed:
            problems.append(f"{move.name} (id {move.id}): {', '.join(failed)}")
    if problems:
        raise RuntimeError("Generated invoices look wrong:\n  " + "\n  ".join(problems))
    # A preview batch of the run on the sample's debtors must decide letters (rolled back afterwards).
    sample_partners = Move.browse(ids).commercial_partner_id
    counts, reasons = Counter(), Counter()
    with env.cr.savepoint(flush=False) as savepoint:
        run = env["debtor.dunning.run"].create({"date": on_date, "company_id": env.company.id, "is_preview": True})
        run._process_batch(sample_partners.ids, {}, {}, counts, reasons)
        env.flush_all()
        savepoint.rollback()
    env.invalidate_all()
    if not counts["preview"]:
        raise RuntimeError(f"A preview of the run on the sample decided no letter: {dict(counts)} {dict(reasons)}")
    return {"sampled": len(ids), "preview_letters": counts["preview"], "preview_evaluated": counts["evaluated"]}


def generate(env, count, on_date, debtors=None):
    """Create `count` posted open invoices over `debtors` new debtors (default max(1, count // 4));
    return a summary."""
    started = time.perf_counter()
    debtors = debtors or max(1, count // 4)
    partners = create_debtors(env, debtors)
    t_partners = time.perf_counter()
    template = create_template_invoice(env, partners[0], on_date)
    cloned = clone_invoices(env, template, partners, count, on_date)
    t_clone = time.perf_counter()
    env.cr.execute("ANALYZE account_move")
    env.cr.execute("ANALYZE account_move_line")
    env.cr.execute("ANALYZE res_partner")
    check = verify(env, template, partners, on_date)
    return {
        "invoices": cloned + 1,
        "debtors": debtors,
        "seconds_debtors": round(t_partners - started, 2),
        "seconds_invoices": round(t_clone - t_partners, 2),
        "seconds_total": round(time.perf_counter() - started, 2),
        **check,
    }


@contextlib.contextmanager
def superuser_env(config, database):
    """The superuser's environment on `database` (Odoo configured by `config`), committed when the
    block ends: how every generator works on the benchmark's database."""
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    with Registry(database).cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})
        cr.commit()


def day_or_today(value):
    """A YYYY-MM-DD argument as a date; today when not given."""
    return datetime.date.fromisoformat(value) if value else datetime.date.today()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, required=True, help="number of invoices")
    parser.add_argument("--date", help="run date the due dates are relative to (default: today)")
    parser.add_argument("--debtors", type=int, help="number of debtors (default: count / 4)")
    args = parser.parse_args(argv)

    on_date = day_or_today(args.date)
    with superuser_env(args.config, args.database) as env:
        summary = generate(env, args.count, on_date, args.debtors)
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
