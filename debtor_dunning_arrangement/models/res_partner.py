# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.debtor_dunning.models.risk import WINDOW_DAYS


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

    @api.model
    def _dunning_risk_inputs(self, partner_ids, company, on_date):
        """The arrangements each debtor broke in the risk window feed his risk score."""
        inputs = super()._dunning_risk_inputs(partner_ids, company, on_date)
        broken = self.env["debtor.dunning.arrangement"]._read_group(
            [
                ("partner_id", "in", partner_ids),
                ("company_id", "=", company.id),
                ("state", "=", "broken"),
                ("date_broken", ">", on_date - timedelta(days=WINDOW_DAYS)),
                ("date_broken", "<=", on_date),
            ],
            ["partner_id"],
            ["__count"],
        )
        for partner, count in broken:
            inputs.setdefault(partner.id, {})["arrangements_broken"] = count
        return inputs

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
