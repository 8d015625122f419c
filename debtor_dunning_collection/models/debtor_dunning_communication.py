# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .statutory import statutory_collection_costs


class DebtorDunningCommunication(models.Model):
    _inherit = "debtor.dunning.communication"

    statutory_costs_amount = fields.Monetary(
        string="Collection Costs Stated",
        currency_field="currency_id",
        compute="_compute_statutory_costs_amount",
        help="The statutory extrajudicial collection costs (WIK staffel on the open amount) that the notice "
        "of default announces to a consumer: he owes them only if this letter states their amount "
        "and gives him 14 days after receipt to pay (art. 6:96 lid 6 BW).",
    )

    @api.depends("level_id.letter_layout", "partner_id.is_company", "currency_id", "amount_residual")
    def _compute_statutory_costs_amount(self):
        euro = self.env.ref("base.EUR", raise_if_not_found=False)
        for communication in self:
            states_costs = (
                communication.letter_layout == "default_notice"
                and not communication.partner_id.commercial_partner_id.is_company
                # The staffel is in euros: a letter in another currency announces no amount.
                and communication.currency_id == euro
            )
            communication.statutory_costs_amount = (
                float(statutory_collection_costs(communication.amount_residual)) if states_costs else 0.0
            )
