# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from bisect import bisect_right
from collections import defaultdict
from datetime import timedelta
from itertools import accumulate

from odoo import api, models
from odoo.tools import SQL

from . import kpi

ONE_DAY = timedelta(days=1)


class DebtorDunningKpi(models.AbstractModel):
    """The ledger's figures the KPIs are computed from, read in a few set-based queries.

    The arithmetic is `kpi`'s; this model only gathers its inputs, per company and in the
    company's currency: the receivable (total and overdue) on given days, the credit sales of given
    periods and what was collected after a reminder. The overview and the trend both read here.

    "Open on day D" is the ledger as it stood that evening: items booked up to D, less the
    reconciliations whose later side is dated up to D (`account.partial.reconcile.max_date`), the
    rule the aging report applies item by item (`debtor.dunning.aging.report`). An item is overdue
    on D from the day after it falls due (its `date_maturity`, else its date). Credits (credit notes
    and payments not matched yet) count as the negative items they are, so the figures tie to the
    receivable accounts' balance.
    """

    _name = "debtor.dunning.kpi"
    _description = "Credit Control Figures"

    @api.model
    def _receivable_on(self, companies, days):
        """{(company id, day): {"total": …, "overdue": …}} for every company and day, in one pass.

        Each item and each reconciliation is an event on the day it starts to count: the total
        moves on the booking date, the overdue amount on the later of the booking date and the
        day after the due date (a reconciliation: of its date and the day after the item's due
        date). A day's figure is the sum of the events up to it.
        """
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env["account.move"].flush_model(["state"])
        rows = self.env.execute_query(
            SQL(
                """
                WITH item AS (
                    SELECT l.id, l.company_id, l.date, l.balance,
                           COALESCE(l.date_maturity, l.date) + 1 AS overdue_from
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
                      JOIN account_account a ON a.id = l.account_id
                     WHERE a.account_type = 'asset_receivable' AND l.company_id IN %(companies)s
                )
                SELECT company_id, 'total', date, SUM(balance) FROM item GROUP BY 1, 3
                 UNION ALL
                SELECT company_id, 'overdue', GREATEST(date, overdue_from), SUM(balance) FROM item GROUP BY 1, 3
                 UNION ALL
                SELECT i.company_id, 'overdue', GREATEST(p.max_date, i.overdue_from), -SUM(p.amount)
                  FROM account_partial_reconcile p JOIN item i ON i.id = p.debit_move_id
                 GROUP BY 1, 3
                 UNION ALL
                SELECT i.company_id, 'overdue', GREATEST(p.max_date, i.overdue_from), SUM(p.amount)
                  FROM account_partial_reconcile p JOIN item i ON i.id = p.credit_move_id
                 GROUP BY 1, 3
                """,
                companies=tuple(companies.ids),
            )
        )
        events = defaultdict(lambda: defaultdict(float))
        for company_id, kind, day, amount in rows:
            events[company_id, kind][day] += amount
        result = {}
        for company in companies:
            for kind in ("total", "overdue"):
                by_day = sorted(events[company.id, kind].items())
                event_days = [day for day, _amount in by_day]
                running = list(accumulate(amount for _day, amount in by_day))
                for day in days:
                    position = bisect_right(event_days, day)
                    amount = running[position - 1] if position else 0.0
                    result.setdefault((company.id, day), {})[kind] = company.currency_id.round(amount)
        return result

    @api.model
    def _periods_sql(self, periods):
        """SQL: the `(first day, last day)` periods as a table `period(first_day, last_day)`."""
        return SQL(
            "unnest(%s::date[], %s::date[]) AS period(first_day, last_day)",
            [first for first, _last in periods],
            [last for _first, last in periods],
        )

    @api.model
    def _credit_sales(self, companies, periods):
        """{(company id, period): credit sales} for `(first day, last day)` periods.

        Credit sales are the posted customer invoices less the credit notes, with tax, in the
        company's currency, by accounting date (the date the receivable is booked on).
        """
        self.env["account.move"].flush_model(["state", "move_type", "date", "amount_total_signed", "company_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.company_id, period.first_day, period.last_day, SUM(m.amount_total_signed)
                  FROM account_move m
                  JOIN %(periods)s ON m.date BETWEEN period.first_day AND period.last_day
                 WHERE m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.company_id IN %(companies)s
                 GROUP BY 1, 2, 3
                """,
                periods=self._periods_sql(periods),
                companies=tuple(companies.ids),
            )
        )
        return {(company_id, (first, last)): amount for company_id, first, last, amount in rows}

    @api.model
    def _collected_after_reminder(self, companies, periods):
        """{(company id, period): amount} paid in each `(first day, last day)` period on invoices
        that had received a reminder by then.

        A reminder is a letter sent at a level past the due date (the notice before the due date is
        an announcement, not a reminder). Paid is a reconciliation with a payment or a bank
        statement line (`_payment_counterpart_sql`), not with a credit note or a write-off.
        """
        for model in ("account.move.line", "account.partial.reconcile", "debtor.dunning.communication.line"):
            self.env[model].flush_model()
        self.env["debtor.dunning.communication"].flush_model(["state"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.company_id, period.first_day, period.last_day, SUM(p.amount)
                  FROM account_partial_reconcile p
                  JOIN %(periods)s ON p.max_date BETWEEN period.first_day AND period.last_day
                  JOIN account_move_line l ON l.id = p.debit_move_id
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  JOIN account_move_line cl ON cl.id = p.credit_move_id
                  JOIN account_move cm ON cm.id = cl.move_id
                  JOIN account_journal cj ON cj.id = cm.journal_id
                 WHERE l.company_id IN %(companies)s
                   AND %(payment)s
                   AND EXISTS (%(reminded)s)
                 GROUP BY 1, 2, 3
                """,
                periods=self._periods_sql(periods),
                companies=tuple(companies.ids),
                payment=self._payment_counterpart_sql("cm", "cj"),
                reminded=self._reminder_sent_sql("l.move_id", SQL("p.max_date")),
            )
        )
        return {(company_id, (first, last)): amount for company_id, first, last, amount in rows}

    @api.model
    def _dunning_written_off(self, companies, periods):
        """{(company id, period): amount written off in the period}, in the company's currency.

        The core writes nothing off: the collection add-on answers with its write-offs. Answer for
        all companies and periods in one query.
        """
        return {}

    @api.model
    def _payment_counterpart_sql(self, move, journal):
        """SQL: the entry `move` (in `journal`) is money received: a payment, a bank statement line
        or an entry in a bank or cash journal (an agency's remittance), not a credit note or a write-off."""
        return SQL(
            "(%s IS NOT NULL OR %s IS NOT NULL OR %s IN ('bank', 'cash', 'credit'))",
            SQL.identifier(move, "origin_payment_id"),
            SQL.identifier(move, "statement_line_id"),
            SQL.identifier(journal, "type"),
        )

    @api.model
    def _reminder_sent_sql(self, move_id, by_day):
        """SQL subquery: the invoice `move_id` was sent a reminder dated `by_day` or earlier."""
        return SQL(
            """SELECT 1 FROM debtor_dunning_communication_line rl
                 JOIN debtor_dunning_communication rc ON rc.id = rl.communication_id AND rc.state = 'sent'
                 JOIN debtor_dunning_level rv ON rv.id = rl.level_id AND rv.letter_layout != 'pre_due'
                WHERE rl.move_id = %s AND NOT rl.is_preview AND NOT rl.is_cancelled AND rl.date <= %s""",
            SQL(move_id),
            by_day,
        )

    @api.model
    def _figures(self, companies, as_of, currency):
        """The overview's KPIs on `as_of` and at the end of the month before, summed over
        `companies` in `currency` (converted at `as_of`'s rate)."""
        previous_end = kpi.previous_month(as_of)[1]
        month, quarter = kpi.previous_month(as_of), kpi.previous_quarter(as_of)
        month_before, quarter_before = kpi.previous_month(month[0]), kpi.previous_quarter(quarter[0])
        countback_now = kpi.months_back(as_of, kpi.COUNTBACK_MONTHS)
        countback_previous = kpi.months_back(previous_end, kpi.COUNTBACK_MONTHS)
        cei_periods = (month, month_before, quarter, quarter_before)
        days = {as_of, previous_end}
        for first, last in cei_periods:
            days |= {first - ONE_DAY, last}
        receivable = self._receivable_on(companies, sorted(days))
        sales = self._credit_sales(companies, sorted(set(countback_now + countback_previous + list(cei_periods))))
        this_month = (as_of.replace(day=1), as_of)
        collected = self._collected_after_reminder(companies, [this_month, month])

        def convert(amounts_by_company):
            total = 0.0
            for company in companies:
                amount = amounts_by_company.get(company.id, 0.0)
                total += company.currency_id._convert(amount, currency, company, as_of) if amount else 0.0
            return total

        def on(day, kind):
            return convert({company.id: receivable[company.id, day][kind] for company in companies})

        def sales_of(period):
            return convert({company.id: sales.get((company.id, period), 0.0) for company in companies})

        def dso_at(day, periods):
            total, overdue = on(day, "total"), on(day, "overdue")
            return kpi.dso_figures(total, total - overdue, {p: sales_of(p) for p in periods}, periods)

        def cei_of(period):
            first, last = period
            opening = on(first - ONE_DAY, "total")
            closing = on(last, "total")
            return kpi.cei(opening, sales_of(period), closing, closing - on(last, "overdue"))

        now, previous = dso_at(as_of, countback_now), dso_at(previous_end, countback_previous)
        figures = {
            "receivable": (on(as_of, "total"), on(previous_end, "total")),
            "overdue": (on(as_of, "overdue"), on(previous_end, "overdue")),
            "dso": (now["dso"], previous["dso"]),
            "add": (now["add"], previous["add"]),
            "cei_month": (cei_of(month), cei_of(month_before)),
            "cei_quarter": (cei_of(quarter), cei_of(quarter_before)),
            "collected_after_reminder": tuple(
                convert({company.id: collected.get((company.id, period), 0.0) for company in companies})
                for period in (this_month, month)
            ),
            "periods": {"previous_end": previous_end, "month": month, "quarter": quarter},
        }
        figures["overdue_share"] = tuple(
            kpi.share(overdue, total) for overdue, total in zip(figures["overdue"], figures["receivable"], strict=True)
        )
        return figures
