# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    arrangement_ids = fields.One2many(
        "debtor.dunning.arrangement", "partner_id", string="Payment Arrangements", readonly=True
    )
    arrangement_count = fields.Integer(compute="_compute_arrangement_count", string="Arrangements")

    def _compute_arrangement_count(self):
        counts = dict(
            self.env["debtor.dunning.arrangement"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.arrangement_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_arrangements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "debtor_dunning_arrangement.debtor_dunning_arrangement_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_open_arrangement_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "debtor_dunning_arrangement.debtor_dunning_arrangement_wizard_action"
        )
        action["context"] = {"active_model": "res.partner", "active_id": self.commercial_partner_id.id}
        return action
