# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_policy_id = fields.Many2one(
        "debtor.dunning.policy",
        string="Default Dunning Policy",
        domain="[('company_id', '=', id)]",
        help="The policy for debtors that have none of their own.",
    )
