# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_matching_writeoff_account_id = fields.Many2one(
        "account.account",
        string="Payment Difference Account",
        check_company=True,
        domain="[('account_type', 'in', ('expense', 'income', 'income_other', 'expense_direct_cost'))]",
        help="Where Match Payments writes off a payment difference within the debtor's policy tolerance.",
    )
