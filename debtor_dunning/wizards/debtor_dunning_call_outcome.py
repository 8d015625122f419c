# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models

from ..models.debtor_dunning_communication import CALL_OUTCOMES


class DebtorDunningCallOutcome(models.TransientModel):
    """Log what a dunning call gave, in a few clicks; the dossier keeps it."""

    _name = "debtor.dunning.call.outcome"
    _description = "Dunning Call Outcome"

    communication_id = fields.Many2one("debtor.dunning.communication", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="communication_id.partner_id", string="Debtor")
    phone = fields.Char(related="communication_id.partner_id.phone")
    outcome = fields.Selection(CALL_OUTCOMES, required=True, default="promise")
    promise_date = fields.Date(string="Promised Payment Date")
    company_currency_id = fields.Many2one(related="communication_id.company_id.currency_id")
    promise_amount = fields.Monetary(
        string="Promised Amount",
        currency_field="company_currency_id",
        compute="_compute_promise_amount",
        store=True,
        readonly=False,
        help="What the debtor promised to pay by the date (the letter's open amount unless he said otherwise).",
    )
    move_ids = fields.Many2many("account.move", string="Disputed Invoices")
    available_move_ids = fields.Many2many(related="communication_id.move_ids", string="Invoices of the Letter")
    note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "promise_date" in fields_list and not values.get("promise_date"):
            values["promise_date"] = fields.Date.context_today(self) + timedelta(days=7)
        return values

    @api.depends("communication_id")
    def _compute_promise_amount(self):
        for wizard in self:
            letter = wizard.communication_id
            wizard.promise_amount = letter._open_amount_in_company_currency() if letter else 0.0

    def action_confirm(self):
        self.ensure_one()
        self.communication_id._log_call_outcome(
            self.outcome,
            note=self.note,
            promise_date=self.promise_date,
            disputed_moves=self.move_ids,
            promise_amount=self.promise_amount if self.outcome == "promise" else None,
        )
        return {"type": "ir.actions.act_window_close"}
