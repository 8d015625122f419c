# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_policy_id = fields.Many2one(
        "debtor.dunning.policy",
        string="Default Dunning Policy",
        domain="[('company_id', '=', id)]",
        help="The policy for debtors that have none of their own.",
    )
    dunning_delivery_days_email = fields.Integer(
        string="E-mail Delivery Allowance (days)",
        default=1,
        help="Days after its date by which a letter sent by e-mail has surely been received: the term it "
        "grants is counted from then, and the next level waits until that term has run.",
    )
    dunning_delivery_days_post = fields.Integer(
        string="Post Delivery Allowance (working days)",
        default=3,
        help="Working days after its date by which a posted letter has surely been received.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._dunning_create_default_policy()
        return companies

    def _dunning_create_default_policy(self):
        """A new company starts with its own copy of the shipped ladder, so it can be chased at once."""
        template = self.env.ref("debtor_dunning.policy_default", raise_if_not_found=False)
        if not template:
            return
        # The shipped ladder belongs to the first company, which the user creating a company may not
        # see; reading it to copy its texts is all that sudo does here.
        template = template.sudo()
        for company in self.filtered(lambda company: not company.dunning_policy_id):
            company.sudo().dunning_policy_id = template.copy({"company_id": company.id, "name": template.name})
