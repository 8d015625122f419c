# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_date

from . import kpi

# Broken promises to pay stay on the work queue this long.
PROMISE_QUEUE_DAYS = 30
# Failed runs stay on the work queue this long.
FAILED_RUN_QUEUE_DAYS = 7

KPI_FIELDS = {
    "receivable": ("receivable_amount", "receivable_amount_previous"),
    "overdue": ("overdue_amount", "overdue_amount_previous"),
    "overdue_share": ("overdue_share", "overdue_share_previous"),
    "dso": ("dso", "dso_previous"),
    "add": ("add_days", "add_days_previous"),
    "cei_month": ("cei_month", "cei_month_previous"),
    "cei_quarter": ("cei_quarter", "cei_quarter_previous"),
    "collected_after_reminder": ("collected_after_reminder", "collected_after_reminder_previous"),
}


class DebtorDunningOverview(models.TransientModel):
    """The Credit Control app's landing page: how collection is going and what to do today.

    A snapshot of the companies selected in the company switcher, taken when it is opened
    (`action_open`) and again on **Refresh**. The figures come from `debtor.dunning.kpi` (the
    arithmetic is `kpi`'s), the aging from `debtor.dunning.aging.report`; the work queue and the
    warnings from the hooks `_dunning_work_queue()` and `_dunning_warnings()`, which the other
    add-ons extend with their own items.
    """

    _name = "debtor.dunning.overview"
    _description = "Credit Control Overview"

    name = fields.Char(default=lambda self: self.env._("Credit Control"))
    date = fields.Date(string="As Of", readonly=True)
    company_names = fields.Char(string="Companies", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    previous_date = fields.Date(string="End of Previous Month", readonly=True)
    month_label = fields.Char(string="Last Month", readonly=True)
    quarter_label = fields.Char(string="Last Quarter", readonly=True)
    receivable_amount = fields.Monetary(string="Total Receivable", readonly=True)
    receivable_amount_previous = fields.Monetary(string="Total Receivable Before", readonly=True)
    overdue_amount = fields.Monetary(string="Overdue", readonly=True)
    overdue_amount_previous = fields.Monetary(string="Overdue Before", readonly=True)
    overdue_share = fields.Float(string="Overdue Share (%)", digits=(16, 1), readonly=True)
    overdue_share_previous = fields.Float(string="Overdue Share Before (%)", digits=(16, 1), readonly=True)
    dso = fields.Float(string="DSO (days)", digits=(16, 1), readonly=True, help="Days sales outstanding, countback.")
    dso_previous = fields.Float(string="DSO Before (days)", digits=(16, 1), readonly=True)
    add_days = fields.Float(
        string="ADD (days)",
        digits=(16, 1),
        readonly=True,
        help="Average days delinquent: DSO less the best possible DSO.",
    )
    add_days_previous = fields.Float(string="ADD Before (days)", digits=(16, 1), readonly=True)
    cei_month = fields.Float(
        string="CEI Last Month (%)", digits=(16, 1), readonly=True, help="Collection effectiveness index."
    )
    cei_month_previous = fields.Float(string="CEI the Month Before (%)", digits=(16, 1), readonly=True)
    cei_quarter = fields.Float(string="CEI Last Quarter (%)", digits=(16, 1), readonly=True)
    cei_quarter_previous = fields.Float(string="CEI the Quarter Before (%)", digits=(16, 1), readonly=True)
    collected_after_reminder = fields.Monetary(
        string="Collected after a Reminder",
        readonly=True,
        help="Paid this month on invoices that had received a reminder.",
    )
    collected_after_reminder_previous = fields.Monetary(string="Collected after a Reminder Last Month", readonly=True)
    aging_current = fields.Monetary(string="Current", readonly=True)
    aging_1_30 = fields.Monetary(string="1-30 Days", readonly=True)
    aging_31_60 = fields.Monetary(string="31-60 Days", readonly=True)
    aging_61_90 = fields.Monetary(string="61-90 Days", readonly=True)
    aging_90_plus = fields.Monetary(string="More than 90 Days", readonly=True)
    aging_current_share = fields.Float(string="Current (%)", readonly=True)
    aging_1_30_share = fields.Float(string="1-30 Days (%)", readonly=True)
    aging_31_60_share = fields.Float(string="31-60 Days (%)", readonly=True)
    aging_61_90_share = fields.Float(string="61-90 Days (%)", readonly=True)
    aging_90_plus_share = fields.Float(string="More than 90 Days (%)", readonly=True)
    queue_ids = fields.One2many("debtor.dunning.overview.queue", "overview_id", string="Work Queue", readonly=True)
    warning_message = fields.Text(string="Warnings", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        overviews = super().create(vals_list)
        for overview in overviews:
            overview._refresh()
        return overviews

    @api.model
    def action_open(self):
        """The landing page: a fresh overview of the selected companies."""
        overview = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Overview"),
            "res_model": self._name,
            "res_id": overview.id,
            "view_mode": "form",
            "views": [(self.env.ref("debtor_dunning.debtor_dunning_overview_view_form").id, "form")],
            "target": "current",
        }

    def action_refresh(self):
        self.ensure_one()
        self._refresh()
        return True

    def _refresh(self):
        self.ensure_one()
        companies = self.env.companies
        today = fields.Date.context_today(self)
        currency = self.env.company.currency_id
        figures = self.env["debtor.dunning.kpi"]._figures(companies, today, currency)
        values = {
            "date": today,
            "company_names": ", ".join(companies.mapped("name")),
            "currency_id": currency.id,
            "previous_date": figures["periods"]["previous_end"],
            "month_label": format_date(self.env, figures["periods"]["month"][0], date_format="MMMM y"),
            "quarter_label": self._quarter_label(figures["periods"]["quarter"][0]),
        }
        for key, (now_field, previous_field) in KPI_FIELDS.items():
            now, previous = figures[key]
            values[now_field] = now or 0.0
            values[previous_field] = previous or 0.0
        values |= self._aging_values(companies, currency, today)
        values["warning_message"] = "\n".join(self._dunning_warnings())
        self.queue_ids.unlink()
        values["queue_ids"] = [fields.Command.create(item) for item in self._work_queue_lines()]
        self.write(values)

    def _quarter_label(self, first_day):
        return self.env._("Q%(quarter)s %(year)s", quarter=(first_day.month - 1) // 3 + 1, year=first_day.year)

    def _aging_values(self, companies, currency, today):
        totals = self.env["debtor.dunning.aging.report"].with_context(aging_as_of=today)._totals_by_bucket()
        # The report sums each company in its own currency; several companies are shown in one.
        if len(companies.currency_id) > 1:
            totals = self._aging_totals_converted(companies, currency, today)
        grand_total = sum(abs(amount) for amount in totals.values())
        values = {}
        for code in kpi.AGING_BUCKET_CODES:
            amount = totals.get(code, 0.0)
            values[f"aging_{code}"] = amount
            values[f"aging_{code}_share"] = kpi.share(abs(amount), grand_total)
        return values

    def _aging_totals_converted(self, companies, currency, today):
        Aging = self.env["debtor.dunning.aging.report"].with_context(aging_as_of=today)
        totals = {}
        for company, bucket, amount in Aging._read_group(
            [("company_id", "in", companies.ids)], ["company_id", "bucket"], ["amount_residual:sum"]
        ):
            converted = company.currency_id._convert(amount, currency, company, today)
            totals[bucket] = totals.get(bucket, 0.0) + converted
        return totals

    def action_open_aging(self):
        """The aged receivable of today; on one bucket when the button passes `bucket`."""
        self.ensure_one()
        return self.env["debtor.dunning.aging.report"].action_open(self.date, self.env.context.get("bucket"))

    def action_open_trend(self):
        return self.env["debtor.dunning.trend.report"].action_open()

    def action_open_effectiveness(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "debtor_dunning.action_debtor_dunning_effectiveness_report"
        )

    # ------------------------------------------------------------------ work queue
    def _work_queue_lines(self):
        """The queue items the user may read, with their counts, as values for the queue lines."""
        lines = []
        for item in self._dunning_work_queue():
            Model = self.env[item["model"]]
            if not Model.has_access("read"):
                continue
            lines.append(
                {
                    "code": item["code"],
                    "sequence": item.get("sequence", 100),
                    "name": item["label"],
                    "res_model": item["model"],
                    "domain": json.loads(json.dumps(item["domain"], default=str)),
                    "action_xmlid": item.get("action"),
                    "count": Model.search_count(item["domain"]),
                }
            )
        return lines

    def _dunning_work_queue(self):
        """What waits for a credit controller today: a list of items, each a dict with

        - `code`: a stable code, `label`: its words, `sequence`: its place in the queue;
        - `model` and `domain`: the records to handle (the count is `search_count(domain)`, with
          the user's access rules; items of models the user may not read are left out);
        - `action` (optional): the xml id of the window action to open them with (its views and
          context), else the model's default views.

        Add-ons extend the list with their own items (`super()` first). Domains name the
        companies themselves: the overview is of `self.env.companies`.
        """
        today = fields.Date.context_today(self)
        companies = [("company_id", "in", self.env.companies.ids)]
        # The words first: Odoo's string extraction mistakes the domains' tuples after them for more words.
        label = {
            "letters_to_approve": self.env._("Letters awaiting approval"),
            "letters_to_print": self.env._("Letters to print"),
            "calls_due": self.env._("Calls due today"),
            "messages_unanswered": self.env._("Debtor messages unanswered"),
            "promises_expired": self.env._("Promises to pay expired unpaid"),
            "letters_failed": self.env._("Letters that failed to send"),
            "runs_failed": self.env._("Runs that failed (last %s days)", FAILED_RUN_QUEUE_DAYS),
        }
        return [
            {
                "code": "letters_to_approve",
                "sequence": 10,
                "label": label["letters_to_approve"],
                "model": "debtor.dunning.communication",
                "domain": [("state", "=", "to_approve"), *companies],
                "action": "debtor_dunning.action_debtor_dunning_communication_to_approve",
            },
            {
                "code": "letters_to_print",
                "sequence": 20,
                "label": label["letters_to_print"],
                "model": "debtor.dunning.communication",
                "domain": [("letter_state", "=", "to_print"), ("state", "=", "sent"), *companies],
                "action": "debtor_dunning.action_debtor_dunning_communication_to_print",
            },
            {
                "code": "calls_due",
                "sequence": 30,
                "label": label["calls_due"],
                "model": "debtor.dunning.communication",
                # The letter's open call task (a call not reached plans the next one on the same
                # letter); a done task is archived, which a search through the letter still finds.
                "domain": [
                    ("call_activity_id.active", "=", True),
                    ("call_activity_id.date_deadline", "<=", today),
                    *companies,
                ],
                "action": "debtor_dunning.action_debtor_dunning_communication",
            },
            {
                "code": "messages_unanswered",
                "sequence": 40,
                "label": label["messages_unanswered"],
                "model": "debtor.dunning.debtor.message",
                "domain": [("state", "=", "open"), *companies],
                "action": "debtor_dunning.action_debtor_dunning_debtor_message",
            },
            {
                "code": "promises_expired",
                "sequence": 50,
                "label": label["promises_expired"],
                "model": "debtor.dunning.block",
                # Judged by the run (`debtor.dunning.block._check_promises`): the day passed unpaid.
                "domain": [
                    ("promise_state", "=", "broken"),
                    ("date_end", ">=", today - timedelta(days=PROMISE_QUEUE_DAYS)),
                    *companies,
                ],
                "action": "debtor_dunning.action_debtor_dunning_block",
            },
            {
                "code": "letters_failed",
                "sequence": 200,
                "label": label["letters_failed"],
                "model": "debtor.dunning.communication",
                "domain": [("state", "=", "failed"), *companies],
                "action": "debtor_dunning.action_debtor_dunning_communication",
            },
            {
                "code": "runs_failed",
                "sequence": 210,
                "label": label["runs_failed"],
                "model": "debtor.dunning.run",
                "domain": [
                    ("state", "=", "failed"),
                    ("is_preview", "=", False),
                    ("date", ">=", today - timedelta(days=FAILED_RUN_QUEUE_DAYS)),
                    *companies,
                ],
                "action": "debtor_dunning.action_debtor_dunning_run",
            },
        ]

    # ------------------------------------------------------------------ warnings
    def _dunning_warnings(self):
        """Sentences the controller must read before anything else. Add-ons add their own."""
        warnings = []
        yesterday = fields.Date.context_today(self) - timedelta(days=1)
        Run = self.env["debtor.dunning.run"]
        companies = self.env.companies.filtered("dunning_policy_id")
        if not companies:
            return warnings
        last_runs = dict(
            Run._read_group(
                [("company_id", "in", companies.ids), ("is_preview", "=", False), ("state", "=", "done")],
                ["company_id"],
                ["date:max"],
            )
        )
        for company in companies:
            last = last_runs.get(company)
            if not last:
                warnings.append(self.env._("The daily dunning run has never run for %s.", company.name))
            elif last < yesterday:
                warnings.append(
                    self.env._(
                        "The daily dunning run did not run yesterday for %(company)s (last run: %(date)s).",
                        company=company.name,
                        date=format_date(self.env, last),
                    )
                )
        return warnings
