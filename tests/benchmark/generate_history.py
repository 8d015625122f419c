# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark data: the history a credit controller has after a dunning run, on a benchmark database.

Run after ``generate_invoices.py`` and one executed ``debtor.dunning.run`` (``bench_worker.py
--measure ours``) on the letter date:

1. the letters the run queued are marked sent, as the sending cron would leave them
   (``state``/``email_state`` ``sent``, ``date_sent`` on the letter date);
2. a share of the open invoices is paid in full and a share partly, each by a bank entry of its own
   dated 1 to N days after the letter date (up to ``--as-of``, default today) and reconciled with the
   invoice. Set-based, the way ``generate_invoices.py`` copies its template invoice:

   - one payment is made through the ORM (a bank journal entry, posted, then ``reconcile()`` with
     the generator's template invoice of 100.00): it is the template of the payment entries, of
     their reconciliation (``account_partial_reconcile``) and of the full reconciliation
     (``account_full_reconcile``);
   - the other payments are copies of it by ``INSERT ... SELECT`` (every column copied except id,
     number, debtor, dates, amounts scaled by amount / 100.00, matching, timestamps), with ids taken
     from the tables' sequences so that every row knows the ids of the others;
   - the invoices' receivable lines and the invoices get what ``reconcile()`` writes: the residual
     amounts, ``reconciled``, ``full_reconcile_id``, ``matching_number`` and ``payment_state``.

3. Checks: every payment entry balanced and every invoice's residual equal to its balance less its
   reconciliations (SQL, all rows); a sample read back through the ORM (payment state, residual,
   the invoice's payments widget); for the sample, every stored field that depends on the
   reconciliation (``registry.get_dependent_fields``) recomputed by the ORM and compared with what
   SQL wrote, and the matching numbers recomputed by ``_update_matching_number``, both rolled back.
4. A Credit Controller user (``debtor_dunning.group_debtor_dunning_controller``) limited to the
   company, for the measurements: login ``bench_controller``.

    python generate_history.py -c CONFIG -d DB --letter-date YYYY-MM-DD [--as-of YYYY-MM-DD]
"""

import argparse
import datetime
import json
import sys
import time

import generate_invoices as gi

from odoo.fields import Command
from odoo.tools import SQL

TEMPLATE_AMOUNT = gi.TEMPLATE_AMOUNT
CONTROLLER_LOGIN = "bench_controller"
# Columns that make each payment entry one of its own (the rest is copied from the template payment).
PAYMENT_MOVE_OVERRIDES = {
    **gi.MOVE_OVERRIDES,
    "id": "s.pay_move_id",
    "name": "s.pay_name",
    "sequence_number": "s.pay_seq",
    "partner_shipping_id": "CASE WHEN t.partner_shipping_id IS NOT NULL THEN s.partner_id END",
    "invoice_partner_display_name": "CASE WHEN t.invoice_partner_display_name IS NOT NULL THEN s.partner_name END",
    "payment_reference": "t.payment_reference",
    "ref": "s.inv_name",
    "date": "s.pay_date",
    "invoice_date": "t.invoice_date",
    "invoice_date_due": "t.invoice_date_due",
    "payment_state": "t.payment_state",
}
PAYMENT_LINE_OVERRIDES = {
    **gi.LINE_OVERRIDES,
    "id": "s.pay_line_base + t.k",
    "move_id": "s.pay_move_id",
    "move_name": "s.pay_name",
    "ref": "s.inv_name",
    "date": "s.pay_date",
    "invoice_date": "t.invoice_date",
    "date_maturity": "CASE WHEN t.date_maturity IS NOT NULL THEN s.pay_date END",
    "full_reconcile_id": "CASE WHEN t.is_receivable THEN s.full_id END",
    "matching_number": "CASE WHEN t.is_receivable THEN s.matching END",
}
PARTIAL_OVERRIDES = {
    "id": "s.partial_id",
    "debit_move_id": "s.inv_line_id",
    "credit_move_id": "s.pay_line_base + %(receivable_k)s",
    "full_reconcile_id": "s.full_id",
    "exchange_move_id": "NULL",
    "max_date": "s.pay_date",
    "create_date": "now() AT TIME ZONE 'UTC'",
    "write_date": "now() AT TIME ZONE 'UTC'",
}
PARTIAL_SCALED = ("amount", "debit_amount_currency", "credit_amount_currency")
FULL_OVERRIDES = {
    "id": "s.full_id",
    "exchange_move_id": "NULL",
    "create_date": "now() AT TIME ZONE 'UTC'",
    "write_date": "now() AT TIME ZONE 'UTC'",
}
# What the checks recompute through the ORM: the stored fields depending on these.
RECONCILE_FIELDS = {
    "account.move.line": (
        "amount_residual",
        "amount_residual_currency",
        "reconciled",
        "full_reconcile_id",
        "matched_debit_ids",
        "matched_credit_ids",
    ),
    "account.move": ("amount_residual", "payment_state"),
}


def _log(message):
    print(f"[history] {message}", file=sys.stderr, flush=True)


def mark_letters_sent(env):
    """The run's queued letters, as the sending cron leaves them once e-mailed."""
    env.cr.execute(
        """
        UPDATE debtor_dunning_communication
           SET state = 'sent', email_state = 'sent', send_attempts = 1,
               date_sent = date + time '09:00', write_date = now() AT TIME ZONE 'UTC'
         WHERE state = 'queued'
        """
    )
    sent = env.cr.rowcount
    # The sending cron's pending trigger has nothing left to send.
    cron = env.ref("debtor_dunning.ir_cron_debtor_dunning_send", raise_if_not_found=False)
    if cron:
        env.cr.execute("DELETE FROM ir_cron_trigger WHERE cron_id = %s", (cron.id,))
    env.invalidate_all()
    return sent


def _receivable(lines):
    return lines.filtered(lambda line: line.account_id.account_type == "asset_receivable")


def create_template_payment(env, invoice, pay_date):
    """Through the ORM: a bank entry of 100.00 from the invoice's debtor, posted, reconciled with it."""
    bank = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", invoice.company_id.id)], order="sequence, id", limit=1
    )
    if not bank.default_account_id:
        raise RuntimeError("No bank journal with a default account to book the payments in.")
    receivable_line = _receivable(invoice.line_ids)
    if invoice.amount_residual != TEMPLATE_AMOUNT or len(receivable_line) != 1:
        raise RuntimeError(f"The template invoice {invoice.name} is not open for {TEMPLATE_AMOUNT}.")
    payment = (
        env["account.move"]
        .with_context(tracking_disable=True, mail_create_nolog=True)
        .create(
            {
                "move_type": "entry",
                "journal_id": bank.id,
                "date": pay_date,
                "ref": invoice.name,
                "line_ids": [
                    Command.create(
                        {
                            "name": f"Payment {invoice.name}",
                            "account_id": bank.default_account_id.id,
                            "partner_id": invoice.commercial_partner_id.id,
                            "debit": TEMPLATE_AMOUNT,
                        }
                    ),
                    Command.create(
                        {
                            "name": f"Payment {invoice.name}",
                            "account_id": receivable_line.account_id.id,
                            "partner_id": invoice.commercial_partner_id.id,
                            "credit": TEMPLATE_AMOUNT,
                        }
                    ),
                ],
            }
        )
    )
    payment.action_post()
    (_receivable(payment.line_ids) + receivable_line).reconcile()
    env.flush_all()
    partial = receivable_line.matched_credit_ids
    if invoice.payment_state != "paid" or len(partial) != 1 or not receivable_line.full_reconcile_id:
        raise RuntimeError(f"The template payment did not pay {invoice.name}: {invoice.payment_state}")
    return payment, partial, receivable_line.full_reconcile_id


def clone_payments(env, template_invoice, payment, partial, full, letter_date, as_of, paid_share, partly_share):
    """Pay `paid_share` of the other open invoices in full and `partly_share` partly, one bank entry each."""
    cr = env.cr
    days = (as_of - letter_date).days
    if days < 1:
        raise RuntimeError(f"--as-of {as_of} must be after the letter date {letter_date}.")
    # Invoices are taken by id: in every 20 consecutive ids, round(20 * share) paid in full and the
    # next round(20 * share) partly (the shares are of the invoices, not of the amounts).
    full_slots = round(20 * paid_share)
    partial_slots = round(20 * partly_share)
    cr.execute("DROP TABLE IF EXISTS bench_pay")
    cr.execute(
        """
        CREATE TEMP TABLE bench_pay AS
        SELECT row_number() OVER (ORDER BY m.id) - 1 AS idx, m.id AS move_id, m.name AS inv_name,
               l.id AS inv_line_id, m.commercial_partner_id AS partner_id,
               m.invoice_partner_display_name AS partner_name,
               CASE WHEN m.id %% 20 < %(full_slots)s THEN 'full' ELSE 'partial' END AS kind,
               CASE WHEN m.id %% 20 < %(full_slots)s THEN l.amount_residual
                    ELSE ROUND(l.amount_residual * (25 + (m.id * 7) %% 51) / 100.0, 2) END AS amount,
               (%(letter_date)s::date + 1 + (m.id * 13) %% %(days)s) AS pay_date
          FROM account_move m
          JOIN account_move_line l ON l.move_id = m.id
          JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
         WHERE m.move_type = 'out_invoice' AND m.state = 'posted' AND m.payment_state = 'not_paid'
           AND m.company_id = %(company)s AND m.id != %(template)s
           AND m.id %% 20 < %(slots)s
        """,
        {
            "full_slots": full_slots,
            "slots": full_slots + partial_slots,
            "letter_date": letter_date,
            "days": days,
            "company": template_invoice.company_id.id,
            "template": template_invoice.id,
        },
    )
    count = cr.rowcount
    if not count:
        return {"paid_full": 0, "paid_partly": 0}
    cr.execute("SELECT count(*) FROM bench_pay WHERE kind = 'full'")
    full_count = cr.fetchone()[0]
    first = {}
    for table, needed in (
        ("account_move", count),
        ("account_move_line", 2 * count),
        ("account_partial_reconcile", count),
        ("account_full_reconcile", full_count),
    ):
        cr.execute(f"SELECT nextval('{table}_id_seq')")
        first[table] = cr.fetchone()[0]
        cr.execute(f"SELECT setval('{table}_id_seq', %s, true)", (first[table] + needed - 1,))
    cr.execute("SELECT count(*) FROM account_move_line WHERE move_id = %s", (payment.id,))
    if cr.fetchone()[0] != 2:
        raise RuntimeError("The template payment should have two lines.")
    width = len(payment.name) - len(payment.sequence_prefix)
    cr.execute(
        """
        ALTER TABLE bench_pay ADD COLUMN full_id integer, ADD COLUMN pay_move_id integer,
            ADD COLUMN pay_line_base integer, ADD COLUMN partial_id integer, ADD COLUMN pay_seq integer,
            ADD COLUMN pay_name varchar, ADD COLUMN matching varchar, ADD COLUMN factor numeric
        """
    )
    cr.execute(
        """
        UPDATE bench_pay s
           SET full_id = f.full_id, pay_move_id = %(move)s + s.idx, pay_line_base = %(line)s + 2 * s.idx,
               partial_id = %(partial)s + s.idx, pay_seq = %(seq)s + 1 + s.idx,
               pay_name = %(prefix)s || lpad((%(seq)s + 1 + s.idx)::text, %(width)s, '0'),
               factor = ROUND(s.amount / %(amount)s, 6)
          FROM (SELECT idx, CASE WHEN kind = 'full'
                                 THEN %(full)s - 1 + row_number() OVER (PARTITION BY kind ORDER BY idx) END AS full_id
                  FROM bench_pay) f
         WHERE f.idx = s.idx
        """,
        {
            "move": first["account_move"],
            "line": first["account_move_line"],
            "partial": first["account_partial_reconcile"],
            "full": first["account_full_reconcile"],
            "seq": payment.sequence_number,
            "prefix": payment.sequence_prefix,
            "width": width,
            "amount": TEMPLATE_AMOUNT,
        },
    )
    cr.execute("UPDATE bench_pay SET matching = CASE WHEN kind = 'full' THEN full_id::text ELSE 'P' || partial_id END")
    # The payment entries, their two lines (the receivable line k, the bank line the other), the
    # reconciliations, the full reconciliations.
    columns, exprs = gi._select_list(gi._columns(cr, "account_move"), PAYMENT_MOVE_OVERRIDES, gi.MOVE_SCALED)
    cr.execute(
        f"INSERT INTO account_move ({columns}) SELECT {exprs} FROM bench_pay s, account_move t"
        " WHERE t.id = %s ORDER BY s.idx",
        (payment.id,),
    )
    moves = cr.rowcount
    cr.execute(
        "INSERT INTO account_full_reconcile ({}) SELECT {} FROM bench_pay s, account_full_reconcile t"
        " WHERE t.id = %s AND s.kind = 'full' ORDER BY s.idx".format(
            *gi._select_list(gi._columns(cr, "account_full_reconcile"), FULL_OVERRIDES, ())
        ),
        (full.id,),
    )
    fulls = cr.rowcount
    receivable_line = _receivable(payment.line_ids)
    columns, exprs = gi._select_list(gi._columns(cr, "account_move_line"), PAYMENT_LINE_OVERRIDES, gi.LINE_SCALED)
    cr.execute(
        f"""
        INSERT INTO account_move_line ({columns})
        SELECT {exprs}
          FROM bench_pay s,
               (SELECT l.*, row_number() OVER (ORDER BY l.id) - 1 AS k, l.id = %(receivable)s AS is_receivable
                  FROM account_move_line l WHERE l.move_id = %(payment)s) t
         ORDER BY s.idx, t.k
        """,
        {"receivable": receivable_line.id, "payment": payment.id},
    )
    lines = cr.rowcount
    receivable_k = sorted(payment.line_ids.ids).index(receivable_line.id)
    columns, exprs = gi._select_list(gi._columns(cr, "account_partial_reconcile"), PARTIAL_OVERRIDES, PARTIAL_SCALED)
    cr.execute(
        f"INSERT INTO account_partial_reconcile ({columns}) SELECT {exprs} FROM bench_pay s,"
        " account_partial_reconcile t WHERE t.id = %(template)s ORDER BY s.idx",
        {"template": partial.id, "receivable_k": receivable_k},
    )
    partials = cr.rowcount
    # What reconcile() writes on the invoices' receivable lines and on the invoices.
    cr.execute(
        """
        UPDATE account_move_line l
           SET amount_residual = l.amount_residual - s.amount,
               amount_residual_currency = l.amount_residual_currency - s.amount,
               reconciled = s.kind = 'full', full_reconcile_id = s.full_id, matching_number = s.matching,
               write_date = now() AT TIME ZONE 'UTC'
          FROM bench_pay s
         WHERE l.id = s.inv_line_id
        """
    )
    cr.execute(
        """
        UPDATE account_move m
           SET amount_residual = m.amount_residual - s.amount,
               amount_residual_signed = m.amount_residual_signed - s.amount,
               payment_state = CASE WHEN s.kind = 'full' THEN 'paid' ELSE 'partial' END,
               write_date = now() AT TIME ZONE 'UTC'
          FROM bench_pay s
         WHERE m.id = s.move_id
        """
    )
    env.invalidate_all()
    return {
        "paid_full": full_count,
        "paid_partly": count - full_count,
        "payment_moves": moves,
        "payment_lines": lines,
        "partials": partials,
        "full_reconciles": fulls,
    }


def check_all(env):
    """SQL over every row: payment entries balanced, every reconciled item's residual consistent."""
    cr = env.cr
    cr.execute(
        """
        SELECT count(*) FROM (
            SELECT m.id FROM account_move m JOIN account_move_line l ON l.move_id = m.id
             WHERE m.move_type = 'entry' AND m.id IN (
                   SELECT pl.move_id FROM account_move_line pl
                     JOIN account_partial_reconcile p ON p.credit_move_id = pl.id)
             GROUP BY m.id HAVING abs(sum(l.debit) - sum(l.credit)) > 0.001) x
        """
    )
    unbalanced_lines = cr.fetchone()[0]
    cr.execute(
        """
        WITH r AS (
            SELECT l.id, l.balance, l.amount_residual, l.reconciled, l.full_reconcile_id,
                   COALESCE((SELECT sum(amount) FROM account_partial_reconcile p WHERE p.debit_move_id = l.id), 0)
                 - COALESCE((SELECT sum(amount) FROM account_partial_reconcile p WHERE p.credit_move_id = l.id), 0)
                   AS matched
              FROM account_move_line l JOIN account_account a ON a.id = l.account_id
             WHERE a.account_type = 'asset_receivable'
        )
        SELECT count(*) FILTER (WHERE abs(balance - matched - amount_residual) > 0.001),
               count(*) FILTER (WHERE reconciled != (abs(amount_residual) < 0.001)),
               count(*) FILTER (WHERE full_reconcile_id IS NOT NULL AND NOT reconciled),
               count(*) FILTER (WHERE matched != 0)
          FROM r
        """
    )
    residual_wrong, reconciled_wrong, full_wrong, matched = cr.fetchone()
    problems = {
        "unbalanced payment entries": unbalanced_lines,
        "receivable items whose residual is not balance less reconciliations": residual_wrong,
        "receivable items whose reconciled flag disagrees with the residual": reconciled_wrong,
        "receivable items fully reconciled but not reconciled": full_wrong,
    }
    bad = {name: count for name, count in problems.items() if count}
    if bad:
        raise RuntimeError(f"Payments look wrong: {bad}")
    return {"receivable_items_matched": matched}


def check_sample(env, sample_size=30):
    """A sample read back through the ORM, and the ORM's recomputation compared with what SQL wrote."""
    cr = env.cr
    cr.execute(
        """
        SELECT s.move_id, s.kind, s.amount, s.pay_date, s.pay_move_id FROM bench_pay s
         WHERE s.idx %% GREATEST(1, (SELECT count(*) FROM bench_pay) / %s) = 0 ORDER BY s.idx
        """,
        (sample_size,),
    )
    sample = cr.fetchall()
    Move = env["account.move"]
    problems = []
    for move_id, kind, amount, pay_date, pay_move_id in sample:
        move = Move.browse(move_id)
        expected_state = "paid" if kind == "full" else "partial"
        expected_residual = move.amount_total - float(amount)
        widget = move.invoice_payments_widget or {}
        content = widget.get("content") or []
        checks = {
            f"payment state {expected_state}": move.payment_state == expected_state,
            "residual = total - paid": move.currency_id.compare_amounts(move.amount_residual, expected_residual) == 0,
            "receivable line's residual": move.currency_id.compare_amounts(
                _receivable(move.line_ids).amount_residual, expected_residual
            )
            == 0,
            "one payment in the widget, of the amount and date": len(content) == 1
            and move.currency_id.compare_amounts(content[0]["amount"], float(amount)) == 0
            and content[0]["date"] == pay_date,
            "payment entry reconciled": _receivable(Move.browse(pay_move_id).line_ids).reconciled,
        }
        failed = [name for name, ok in checks.items() if not ok]
        if failed:
            problems.append(f"{move.name} ({kind}): {', '.join(failed)}")
    moves = Move.browse([row[0] for row in sample] + [row[4] for row in sample])
    lines = moves.line_ids
    # Every stored field depending on the reconciliation, recomputed by the ORM for the sample.
    registry = env.registry
    dependents = set()
    for model, names in RECONCILE_FIELDS.items():
        for name in names:
            field = env[model]._fields[name]
            dependents.add(field)
            dependents.update(registry.get_dependent_fields(field))
    targets = {"account.move": moves, "account.move.line": lines}
    recomputed = sorted(
        (field for field in dependents if field.store and field.compute and field.model_name in targets),
        key=str,
    )
    before = {field: {record.id: record[field.name] for record in targets[field.model_name]} for field in recomputed}
    with env.cr.savepoint(flush=False) as savepoint:
        for field in recomputed:
            env.add_to_compute(field, targets[field.model_name])
        for model in targets:
            env[model]._recompute_model()
        for field in recomputed:
            for record in targets[field.model_name]:
                if record[field.name] != before[field][record.id]:
                    problems.append(
                        f"{field}: SQL wrote {before[field][record.id]!r}, the ORM computes {record[field.name]!r}"
                        f" for {record}"
                    )
        env["account.partial.reconcile"]._update_matching_number(lines)
        env.flush_all()
        numbers = dict(
            env.execute_query(SQL("SELECT id, matching_number FROM account_move_line WHERE id IN %s", tuple(lines.ids)))
        )
        savepoint.rollback()
    env.invalidate_all()
    for line in lines:
        if (numbers.get(line.id) or False) != (line.matching_number or False):
            problems.append(
                f"matching number of line {line.id}: {line.matching_number!r}, Odoo's {numbers.get(line.id)!r}"
            )
    if problems:
        raise RuntimeError("Payments look wrong:\n  " + "\n  ".join(problems[:40]))
    return {
        "sampled": len(sample),
        "recomputed_fields": [str(field) for field in recomputed],
    }


def create_controller(env):
    """A Credit Controller of the company only (no manager rights, no other company)."""
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    user = Users.search([("login", "=", CONTROLLER_LOGIN)])
    groups = env.ref("debtor_dunning.group_debtor_dunning_controller") | env.ref("base.group_user")
    values = {
        "name": "Bench Credit Controller",
        "login": CONTROLLER_LOGIN,
        "email": "controller@example.com",
        "company_id": env.company.id,
        "company_ids": [Command.set(env.company.ids)],
        "group_ids": [Command.set(groups.ids)],
        "tz": env.user.tz or "Europe/Amsterdam",
    }
    if user:
        user.write(values)
    else:
        user = Users.create(values)
    if user.has_group("debtor_dunning.group_debtor_dunning_manager"):
        raise RuntimeError("The benchmark's controller should not be a Credit Manager.")
    return user


def generate(env, letter_date, as_of, paid_share, partly_share):
    started = time.perf_counter()
    sent = mark_letters_sent(env)
    template_invoice = env["account.move"].search(
        [("move_type", "=", "out_invoice"), ("state", "=", "posted"), ("company_id", "=", env.company.id)],
        order="id",
        limit=1,
    )
    payment, partial, full = create_template_payment(env, template_invoice, letter_date + datetime.timedelta(days=5))
    summary = clone_payments(
        env, template_invoice, payment, partial, full, letter_date, as_of, paid_share, partly_share
    )
    summary["paid_full"] += 1  # the template payment's invoice
    t_sql = time.perf_counter()
    for table in ("account_move", "account_move_line", "account_partial_reconcile", "account_full_reconcile"):
        env.cr.execute(f"ANALYZE {table}")
    summary |= check_all(env)
    summary["sample"] = check_sample(env)
    env.cr.execute("DROP TABLE bench_pay")
    user = create_controller(env)
    env.cr.execute("SELECT count(*) FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'")
    invoices = env.cr.fetchone()[0]
    return {
        "letters_sent": sent,
        "invoices": invoices,
        **summary,
        "paid_full_share": round(summary["paid_full"] / invoices, 3),
        "paid_partly_share": round(summary["paid_partly"] / invoices, 3),
        "controller_uid": user.id,
        "seconds_sql": round(t_sql - started, 2),
        "seconds_total": round(time.perf_counter() - started, 2),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--letter-date", required=True, help="the date of the run's letters")
    parser.add_argument("--as-of", help="the last payment date (default: today)")
    parser.add_argument("--paid", type=float, default=0.20, help="share of the invoices paid in full")
    parser.add_argument("--partly", type=float, default=0.10, help="share of the invoices paid partly")
    args = parser.parse_args(argv)

    letter_date = datetime.date.fromisoformat(args.letter_date)
    as_of = gi.day_or_today(args.as_of)
    with gi.superuser_env(args.config, args.database) as env:
        summary = generate(env, letter_date, as_of, args.paid, args.partly)
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
