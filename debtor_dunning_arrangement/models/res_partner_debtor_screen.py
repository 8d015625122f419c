# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    """The debtor screen's arrangements: the timeline has them through the invoices' dossier events
    (`account.move._dunning_dossier_events`); the screen adds his direct-debit mandates."""

    _inherit = "res.partner"

    dunning_mandate_arrangement_ids = fields.Many2many(
        "debtor.dunning.arrangement",
        compute="_compute_dunning_mandate_arrangement_ids",
        string="Direct-Debit Mandates",
        help="The debtor's payment arrangements in this company collected by direct debit under a mandate.",
    )

    @api.depends_context("company")
    def _compute_dunning_mandate_arrangement_ids(self):
        Arrangement = self.env["debtor.dunning.arrangement"]
        arrangements = Arrangement.search(
            [
                ("partner_id", "in", self._origin.commercial_partner_id.ids),
                ("company_id", "=", self.env.company.id),
                ("direct_debit", "=", True),
                ("mandate_reference", "!=", False),
            ],
            order="date_confirmed desc, id desc",
        )
        by_debtor = arrangements.grouped("partner_id")
        for partner in self:
            partner.dunning_mandate_arrangement_ids = by_debtor.get(partner._origin.commercial_partner_id, Arrangement)

    @api.model
    def _dunning_timeline_kind_names(self):
        return super()._dunning_timeline_kind_names() | {
            "arrangement_agreed": self.env._("Payment Arrangement"),
            "arrangement_broken": self.env._("Arrangement Broken"),
            "arrangement_cancelled": self.env._("Arrangement Cancelled"),
            "arrangement_completed": self.env._("Arrangement Completed"),
        }
