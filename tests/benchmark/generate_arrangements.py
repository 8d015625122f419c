# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark data: active payment arrangements over the open invoices of a benchmark database.

Whole debtors are taken in id order, all their open invoices in one arrangement each, until about
`count` invoices are covered. Each arrangement was confirmed 20 days before the run date and pays
its open amount in four monthly instalments, the first due 1 to 28 days after the run date (spread
by debtor), so that on the run date some instalments are due for their reminder and none is late:
the run does a day's ordinary arrangement work. Set-based (three INSERT ... SELECT), like
generate_invoices.py; a sample is read back through the ORM and checked.

    python generate_arrangements.py -c CONFIG -d DB --count 10000 [--date YYYY-MM-DD]
"""

import argparse
import datetime
import json
import sys
import time

import generate_invoices as gi

INSTALMENTS = 4


def generate(env, count, on_date):
    """Cover about `count` open invoices with active arrangements; return a summary."""
    started = time.perf_counter()
    template = env["debtor.dunning.arrangement.template"].search(
        [("company_id", "in", (False, env.company.id))], limit=1
    )
    if not template:
        raise SystemExit("No payment arrangement template: is debtor_dunning_arrangement installed?")
    cr = env.cr
    cr.execute(
        """
        CREATE TEMP TABLE bench_arranged AS
        WITH debtors AS (
            SELECT m.commercial_partner_id AS partner_id, m.company_id, m.currency_id,
                   array_agg(m.id ORDER BY m.id) AS move_ids, sum(m.amount_residual) AS total,
                   sum(count(*)) OVER (ORDER BY m.commercial_partner_id) AS covered
              FROM account_move m
             WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
               AND m.payment_state IN ('not_paid', 'partial') AND m.company_id = %(company)s
             GROUP BY m.commercial_partner_id, m.company_id, m.currency_id
        )
        SELECT * FROM debtors WHERE covered <= %(count)s
        """,
        {"company": env.company.id, "count": count},
    )
    cr.execute(
        """
        INSERT INTO debtor_dunning_arrangement
               (name, partner_id, company_id, currency_id, template_id, date_first, amount_total, amount_paid,
                amount_residual, state, direct_debit, date_confirmed, create_uid, create_date, write_uid, write_date)
        SELECT 'BENCH/' || b.partner_id, b.partner_id, b.company_id, b.currency_id, %(template)s,
               %(on_date)s::date + 1 + b.partner_id %% 28, b.total, 0, b.total, 'active', false,
               %(on_date)s::date - 20, 1, now(), 1, now()
          FROM bench_arranged b
        RETURNING id, partner_id
        """,
        {"template": template.id, "on_date": on_date},
    )
    arrangement_by_partner = {partner_id: arrangement_id for arrangement_id, partner_id in cr.fetchall()}
    cr.execute("ALTER TABLE bench_arranged ADD COLUMN arrangement_id integer")
    cr.execute(
        "UPDATE bench_arranged b SET arrangement_id = v.arrangement_id"
        " FROM (SELECT unnest(%s::int[]) AS partner_id, unnest(%s::int[]) AS arrangement_id) v"
        " WHERE v.partner_id = b.partner_id",
        (list(arrangement_by_partner), list(arrangement_by_partner.values())),
    )
    cr.execute(
        """
        INSERT INTO debtor_dunning_arrangement_move_rel (arrangement_id, move_id)
        SELECT b.arrangement_id, unnest(b.move_ids) FROM bench_arranged b
        """
    )
    covered = cr.rowcount
    cr.execute(
        """
        INSERT INTO debtor_dunning_arrangement_instalment
               (arrangement_id, company_id, sequence, date_due, amount, amount_paid, state, debit_state,
                create_uid, create_date, write_uid, write_date)
        SELECT b.arrangement_id, b.company_id, s.n,
               (%(on_date)s::date + 1 + b.partner_id %% 28 + make_interval(months => s.n - 1))::date,
               CASE WHEN s.n < %(count)s THEN round(b.total / %(count)s, 2)
                    ELSE b.total - (%(count)s - 1) * round(b.total / %(count)s, 2) END,
               0, 'open', 'none', 1, now(), 1, now()
          FROM bench_arranged b CROSS JOIN generate_series(1, %(count)s) AS s(n)
        """,
        {"on_date": on_date, "count": INSTALMENTS},
    )
    instalments = cr.rowcount
    cr.execute("DROP TABLE bench_arranged")
    cr.execute("ANALYZE debtor_dunning_arrangement, debtor_dunning_arrangement_move_rel")
    cr.execute("ANALYZE debtor_dunning_arrangement_instalment")
    env.invalidate_all()
    check = verify(env, list(arrangement_by_partner.values())[:20], on_date)
    reminders_due = env["debtor.dunning.arrangement.instalment"].search_count(
        [
            ("arrangement_id.state", "=", "active"),
            ("date_due", "=", on_date + datetime.timedelta(days=template.reminder_days_before)),
        ]
    )
    return {
        "arrangements": len(arrangement_by_partner),
        "invoices_covered": covered,
        "instalments": instalments,
        "reminders_due_on_run_date": reminders_due,
        "seconds": round(time.perf_counter() - started, 2),
        **check,
    }


def verify(env, arrangement_ids, on_date):
    """Read a sample back through the ORM: active, its invoices open, the schedule adding up."""
    arrangements = env["debtor.dunning.arrangement"].browse(arrangement_ids)
    for arrangement in arrangements:
        assert arrangement.state == "active", arrangement
        assert arrangement.move_ids and all(m.payment_state in ("not_paid", "partial") for m in arrangement.move_ids)
        scheduled = sum(arrangement.instalment_ids.mapped("amount"))
        assert abs(scheduled - arrangement.amount_total) < 0.01, (arrangement, scheduled)
        assert min(arrangement.instalment_ids.mapped("date_due")) > on_date
    return {"sample_checked": len(arrangements)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, required=True, help="about this many invoices covered")
    parser.add_argument("--date", help="run date (default: today)")
    args = parser.parse_args(argv)

    on_date = gi.day_or_today(args.date)
    with gi.superuser_env(args.config, args.database) as env:
        summary = generate(env, args.count, on_date)
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
