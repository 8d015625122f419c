# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .matching import NAME_PREFIX_LENGTH


class ResPartner(models.Model):
    _inherit = "res.partner"

    # A payment without debtor is given the debtors whose name its text contains: their names are
    # looked up by the pieces of the text their first characters can be, not read all.
    _dunning_name_prefix_index = models.Index(f"(left(upper(name), {NAME_PREFIX_LENGTH}))")

    def action_view_dunning_unmatched(self):
        """The debtor's unmatched payments and credits, each with its Suggestions button."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("debtor_dunning.action_debtor_dunning_unmatched")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        action["name"] = self.env._("Unmatched Payments of %(debtor)s", debtor=self.commercial_partner_id.display_name)
        return action
