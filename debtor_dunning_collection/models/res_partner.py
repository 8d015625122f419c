# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.debtor_dunning.models.risk import WINDOW_DAYS
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_limitation_soon_count = fields.Integer(
        string="Time-barred Soon",
        compute="_compute_dunning_limitation_soon_count",
        help="Open invoices of this debtor that will be time-barred within 90 days.",
    )

    @api.model
    def _dunning_risk_inputs(self, partner_ids, company, on_date):
        """The claims handed to an agency in the risk window (not taken back) feed the risk score."""
        inputs = super()._dunning_risk_inputs(partner_ids, company, on_date)
        handed = self.env["debtor.dunning.collection.case"]._read_group(
            [
                ("partner_id", "in", partner_ids),
                ("company_id", "=", company.id),
                ("state", "in", ("handed_over", "paid", "closed")),
                ("date_handover", ">", on_date - timedelta(days=WINDOW_DAYS)),
                ("date_handover", "<=", on_date),
            ],
            ["partner_id"],
            ["__count"],
        )
        for partner, count in handed:
            inputs.setdefault(partner.id, {})["claims_handed_over"] = count
        return inputs

    def _compute_dunning_limitation_soon_count(self):
        Move = self.env["account.move"]
        counts = dict(
            Move._read_group(
                Domain("commercial_partner_id", "in", self.ids) & Move._dunning_limitation_soon_domain(),
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.dunning_limitation_soon_count = counts.get(partner, 0)
