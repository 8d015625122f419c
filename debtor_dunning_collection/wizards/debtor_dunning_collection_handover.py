# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.debtor_dunning.models.dunning_rules import CHASED_MOVE_TYPES, OPEN_PAYMENT_STATES
from odoo.exceptions import UserError


class DebtorDunningCollectionHandover(models.TransientModel):
    """A Credit Manager hands selected invoices to the collection agency directly, with a reason."""

    _name = "debtor.dunning.collection.handover"
    _description = "Hand Over to a Collection Agency"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    partner_id = fields.Many2one("res.partner", string="Debtor")
    reason = fields.Text(required=True, help="Why these invoices go to the agency now (kept on the case).")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and "move_ids" in fields_list:
            partner = self.env["res.partner"].browse(self.env.context.get("active_id"))
            values["partner_id"] = partner.id
            values["move_ids"] = [fields.Command.set(partner.dunning_open_move_ids.ids)]
        return values

    def action_confirm(self):
        self.ensure_one()
        Case = self.env["debtor.dunning.collection.case"]
        Case._check_manager()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why these invoices are handed over."))
        unfit = self.move_ids.filtered(
            lambda move: (
                move.state != "posted"
                or move.move_type not in CHASED_MOVE_TYPES
                or move.payment_state not in OPEN_PAYMENT_STATES
            )
        )
        if unfit:
            raise UserError(
                self.env._(
                    "Only open customer invoices can be handed over: %s.", ", ".join(unfit.mapped("display_name"))
                )
            )
        already = self.move_ids._dunning_handed_over()
        if already:
            raise UserError(self.env._("Already handed over: %s.", ", ".join(already.mapped("display_name"))))
        cases = Case._open_for(self.move_ids, reason=self.reason)
        cases._check_can_hand_over()
        cases._update_claim()
        cases._send_handover_letters()
        cases.action_approve()
        return {
            "type": "ir.actions.act_window",
            "res_model": cases._name,
            "view_mode": "list,form" if len(cases) > 1 else "form",
            "res_id": cases.id if len(cases) == 1 else False,
            "domain": [("id", "in", cases.ids)],
        }
