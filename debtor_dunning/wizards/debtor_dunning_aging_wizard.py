# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class DebtorDunningAgingWizard(models.TransientModel):
    """Asks the day of the aged receivable: a month-end report reproduced later, say."""

    _name = "debtor.dunning.aging.wizard"
    _description = "Aged Receivable as of a Date"

    date = fields.Date(string="As Of", required=True, default=fields.Date.context_today)

    def action_open(self):
        self.ensure_one()
        if self.date > fields.Date.context_today(self):
            raise UserError(self.env._("The aged receivable is of today or a day in the past, not of %s.", self.date))
        return self.env["debtor.dunning.aging.report"].action_open(self.date)
