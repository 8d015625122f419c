# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_limitation_soon_count = fields.Integer(
        string="Time-barred Soon",
        compute="_compute_dunning_limitation_soon_count",
        help="Open invoices of this debtor that will be time-barred within 90 days.",
    )

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
