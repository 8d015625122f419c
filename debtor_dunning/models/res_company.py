# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .risk import RISK_HIGH, RISK_LOW, RISK_MEDIUM


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_policy_id = fields.Many2one(
        "debtor.dunning.policy",
        string="Default Dunning Policy",
        domain="[('company_id', '=', id)]",
        help="The policy for debtors that have none of their own.",
    )
    # A policy per risk class (`res.partner.dunning_risk_class`) for debtors without one of their own,
    # so that risky debtors get the shorter ladder; empty: the default policy.
    dunning_policy_low_risk_id = fields.Many2one(
        "debtor.dunning.policy",
        string="Policy for Low-Risk Debtors",
        domain="[('company_id', '=', id)]",
        help="For debtors of low risk without a policy of their own; empty: the default policy.",
    )
    dunning_policy_medium_risk_id = fields.Many2one(
        "debtor.dunning.policy",
        string="Policy for Medium-Risk Debtors",
        domain="[('company_id', '=', id)]",
        help="For debtors of medium risk without a policy of their own; empty: the default policy.",
    )
    dunning_policy_high_risk_id = fields.Many2one(
        "debtor.dunning.policy",
        string="Policy for High-Risk Debtors",
        domain="[('company_id', '=', id)]",
        help="For debtors of high risk without a policy of their own, typically a shorter ladder; "
        "empty: the default policy.",
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

    def _dunning_policies_by_risk_class(self):
        """{risk class: policy} of the classes this company gave a policy of their own."""
        self.ensure_one()
        policies = {
            RISK_LOW: self.dunning_policy_low_risk_id,
            RISK_MEDIUM: self.dunning_policy_medium_risk_id,
            RISK_HIGH: self.dunning_policy_high_risk_id,
        }
        return {risk_class: policy for risk_class, policy in policies.items() if policy}

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

    def _dunning_miscellaneous_journal(self):
        """The journal a write-off is booked in when none is chosen: the company's first
        miscellaneous journal, not the one Odoo books exchange differences in."""
        self.ensure_one()
        return self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self),
                ("type", "=", "general"),
                ("id", "!=", self.currency_exchange_journal_id.id),
            ],
            limit=1,
        )
