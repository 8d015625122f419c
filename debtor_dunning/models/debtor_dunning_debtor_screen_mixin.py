# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class DebtorDunningDebtorScreenMixin(models.AbstractModel):
    """A "Debtor" button for the app's lists: opens the Debtor form of the record's debtor."""

    _name = "debtor.dunning.debtor.screen.mixin"
    _description = "Opens the Debtor Form"

    def _dunning_debtor(self):
        """The debtor (commercial partner) of the records; a model whose debtor is elsewhere overrides it."""
        return self.partner_id.commercial_partner_id

    def action_open_debtor(self):
        return self[:1]._dunning_debtor().action_open_debtor_screen()
