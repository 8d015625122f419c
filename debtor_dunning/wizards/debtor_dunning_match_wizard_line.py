# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class DebtorDunningMatchWizardLine(models.TransientModel):
    """One suggestion: an invoice or a combination of invoices, its score and why."""

    _name = "debtor.dunning.match.wizard.line"
    _description = "Payment Match Suggestion"
    _order = "sequence, id"

    wizard_id = fields.Many2one("debtor.dunning.match.wizard", required=True, ondelete="cascade")
    sequence = fields.Integer(string="Rank")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    move_ids = fields.Many2many("account.move", string="Invoices", readonly=True)
    score = fields.Integer(readonly=True)
    # The codes of `matching.WEIGHTS`, comma-separated; `reasons` says them in words.
    reason_codes = fields.Char(readonly=True)
    reasons = fields.Char(compute="_compute_reasons")
    open_amount = fields.Monetary(string="Open Amount", currency_field="currency_id", readonly=True)
    difference = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="What the invoices' open amount exceeds the payment by; negative: the payment is more.",
    )

    def _reason_labels(self):
        _ = self.env._
        return {
            "invoice_number": _("Invoice number in the payment"),
            "letter_reference": _("Letter reference in the payment"),
            "exact_amount": _("Same amount"),
            "combination_amount": _("Invoices add up to the amount"),
            "within_tolerance": _("Amount within tolerance"),
            "combination_within_tolerance": _("Invoices add up to the amount within tolerance"),
            "partner": _("Same debtor"),
            "bank_account": _("Debtor's bank account"),
            "partner_name": _("Debtor's name in the payment"),
        }

    @api.depends("reason_codes")
    def _compute_reasons(self):
        labels = self._reason_labels()
        for line in self:
            codes = (line.reason_codes or "").split(",")
            line.reasons = ", ".join(labels.get(code, code) for code in codes if code)

    def action_match(self):
        self.ensure_one()
        self.wizard_id.unmatched_id._match(self.move_ids)
        return {"type": "ir.actions.act_window_close"}
