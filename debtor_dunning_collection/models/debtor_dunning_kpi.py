# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class DebtorDunningKpi(models.AbstractModel):
    _inherit = "debtor.dunning.kpi"

    @api.model
    def _dunning_written_off(self, companies, periods):
        """The write-offs of `debtor.dunning.write.off.report`, by the month of their entry."""
        written_off = super()._dunning_written_off(companies, periods)
        by_month = self.env["debtor.dunning.write.off.report"]._read_group(
            [("company_id", "in", companies.ids), ("amount_written_off", "!=", 0)],
            ["company_id", "date:month"],
            ["amount_written_off:sum"],
        )
        amounts = {(company.id, month): amount for company, month, amount in by_month}
        for company in companies:
            for period in periods:
                first, last = period
                amount = amounts.get((company.id, first.replace(day=1)))
                if amount:
                    written_off[company.id, period] = written_off.get((company.id, period), 0.0) + amount
        return written_off
