# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class DebtorDunningMatchWizard(models.TransientModel):
    """The ranked suggestions for one unmatched payment; Match on one reconciles it."""

    _name = "debtor.dunning.match.wizard"
    _description = "Match Payment"

    unmatched_id = fields.Many2one("debtor.dunning.unmatched", string="Payment", required=True, readonly=True)
    company_id = fields.Many2one(related="unmatched_id.company_id")
    currency_id = fields.Many2one(related="unmatched_id.currency_id")
    partner_id = fields.Many2one(related="unmatched_id.partner_id")
    date = fields.Date(related="unmatched_id.date")
    label = fields.Char(related="unmatched_id.label")
    reference = fields.Char(related="unmatched_id.reference")
    amount = fields.Monetary(related="unmatched_id.amount", currency_field="currency_id")
    line_ids = fields.One2many("debtor.dunning.match.wizard.line", "wizard_id", string="Suggestions")

    def _fill_suggestions(self):
        self.ensure_one()
        # The lines created as such, not written through `line_ids`: the one2many's write would
        # read the wizard's lines back and link each one again.
        self.env["debtor.dunning.match.wizard.line"].create(
            [
                {
                    "wizard_id": self.id,
                    "sequence": rank,
                    "move_ids": [fields.Command.set(list(suggestion.invoice_ids))],
                    "score": suggestion.score,
                    "reason_codes": ",".join(suggestion.reasons),
                    "open_amount": suggestion.amount,
                    "difference": suggestion.difference,
                }
                for rank, suggestion in enumerate(self.unmatched_id._matching_suggestions(), start=1)
            ]
        )
