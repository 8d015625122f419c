# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

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
    move_ids = fields.Many2many("account.move", string="Disputed Invoices")
    available_move_ids = fields.Many2many(related="communication_id.move_ids", string="Invoices of the Letter")
    note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "promise_date" in fields_list and not values.get("promise_date"):
            values["promise_date"] = fields.Date.context_today(self) + timedelta(days=7)
        return values

    def action_confirm(self):
        self.ensure_one()
        communication = self.communication_id
        today = fields.Date.context_today(self)
        Block = self.env["debtor.dunning.block"]
        if self.outcome == "promise":
            if not self.promise_date or self.promise_date < today:
                raise UserError(self.env._("A promise to pay needs a date of today or later."))
            # The block ends on the promised day: if the money is not in by then, dunning resumes.
            Block.create(
                {
                    "template_id": self.env.ref("debtor_dunning.block_template_promise_to_pay").id,
                    "partner_id": communication.partner_id.id,
                    "company_id": communication.company_id.id,
                    "date_start": today,
                    "date_end": self.promise_date,
                    "reason": self.note
                    or self.env._("Promised by phone to pay by %s.", format_date(self.env, self.promise_date)),
                }
            )
        elif self.outcome == "dispute":
            if not self.move_ids:
                raise UserError(self.env._("Name the invoices the debtor disputes."))
            Block.create(
                [
                    {
                        "template_id": self.env.ref("debtor_dunning.block_template_dispute").id,
                        "move_id": move.id,
                        "company_id": move.company_id.id,
                        "reason": self.note or self.env._("Disputed by phone."),
                    }
                    for move in self.move_ids
                ]
            )
        label = dict(self._fields["outcome"]._description_selection(self.env))[self.outcome]
        summary = label if not self.note else f"{label}: {self.note}"
        if self.outcome == "promise":
            summary += " " + self.env._("(promised date: %s)", format_date(self.env, self.promise_date))
        activity = communication.call_activity_id
        if activity:
            activity.action_feedback(feedback=summary)
        if self.outcome == "not_reached":
            communication._schedule_call(deadline=today + timedelta(days=2))
        communication.write({"call_state": "done", "call_outcome": self.outcome, "call_note": summary})
        communication.message_post(body=self.env._("Call logged: %s", summary))
        return {"type": "ir.actions.act_window_close"}
