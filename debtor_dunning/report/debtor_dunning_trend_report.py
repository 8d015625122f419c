# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models

from ..models import kpi

TREND_MONTHS = 24


class DebtorDunningTrendReport(models.TransientModel):
    """Month by month for the last 24 months, per company: receivable, overdue, DSO, CEI, written off.

    Built when opened (`action_open`), for the companies selected, from `debtor.dunning.kpi`: the
    figures of a month are those of its last day (today for the current month). A snapshot of the
    user's own (a transient model: each user reads only the rows he built).
    """

    _name = "debtor.dunning.trend.report"
    _description = "Credit Control Trend"
    _order = "company_id, month desc"
    _rec_name = "month"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    month = fields.Date(required=True, readonly=True, help="The first day of the month.")
    date = fields.Date(string="Figures Of", readonly=True, help="The month's last day, or today.")
    receivable = fields.Monetary(string="Receivable", readonly=True, aggregator=None)
    overdue = fields.Monetary(string="Overdue", readonly=True, aggregator=None)
    overdue_share = fields.Float(string="Overdue (%)", digits=(16, 1), readonly=True, aggregator=None)
    credit_sales = fields.Monetary(string="Credit Sales", readonly=True)
    dso = fields.Float(string="DSO (days)", digits=(16, 1), readonly=True, aggregator=None)
    cei = fields.Float(string="CEI (%)", digits=(16, 1), readonly=True, aggregator=None)
    written_off = fields.Monetary(string="Written Off", readonly=True)

    @api.model
    def action_open(self):
        """Build the rows of the selected companies and open them."""
        self.search([("create_uid", "=", self.env.uid)]).unlink()
        rows = self.create(self._trend_values(self.env.companies, fields.Date.context_today(self)))
        action = self.env["ir.actions.act_window"]._for_xml_id("debtor_dunning.action_debtor_dunning_trend_report")
        action["domain"] = [("id", "in", rows.ids)]
        return action

    @api.model
    def _trend_values(self, companies, as_of, months=TREND_MONTHS):
        """One row of values per company and month, newest month first."""
        Kpi = self.env["debtor.dunning.kpi"]
        periods = kpi.months_back(as_of, months + kpi.COUNTBACK_MONTHS)
        shown = periods[:months]
        days = sorted({last for _first, last in shown} | {first - timedelta(days=1) for first, _last in shown})
        receivable = Kpi._receivable_on(companies, days)
        sales = Kpi._credit_sales(companies, periods)
        written_off = Kpi._dunning_written_off(companies, shown)
        values = []
        for company in companies:
            company_sales = {period: sales.get((company.id, period), 0.0) for period in periods}
            for index, period in enumerate(shown):
                first, last = period
                closing = receivable[company.id, last]
                opening = receivable[company.id, first - timedelta(days=1)]
                current = closing["total"] - closing["overdue"]
                countback = periods[index : index + kpi.COUNTBACK_MONTHS]
                dso = kpi.dso_figures(closing["total"], current, company_sales, countback)["dso"]
                cei = kpi.cei(opening["total"], company_sales[period], closing["total"], current)
                values.append(
                    {
                        "company_id": company.id,
                        "month": first,
                        "date": last,
                        "receivable": closing["total"],
                        "overdue": closing["overdue"],
                        "overdue_share": kpi.share(closing["overdue"], closing["total"]),
                        "credit_sales": company_sales[period],
                        "dso": dso,
                        "cei": cei or 0.0,
                        "written_off": written_off.get((company.id, period), 0.0),
                    }
                )
        return values
