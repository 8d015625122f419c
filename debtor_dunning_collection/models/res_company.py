# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_collection_agency_id = fields.Many2one(
        "debtor.dunning.collection.agency",
        string="Default Collection Agency",
        domain="[('company_id', '=', id)]",
        help="Who receives the claims handed over, unless the debtor's dunning policy names another.",
    )
    dunning_write_off_account_id = fields.Many2one(
        "account.account",
        string="Bad Debt Account",
        domain="[('account_type', 'in', ('expense', 'expense_other'))]",
        help="Where the unpaid part of a written-off invoice is booked.",
    )
    dunning_collection_income_account_id = fields.Many2one(
        "account.account",
        string="Collection Costs and Interest Income Account",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Where the collection costs and statutory interest the agency collected are booked.",
    )
    dunning_collection_fee_account_id = fields.Many2one(
        "account.account",
        string="Agency Fee Account",
        domain="[('account_type', 'in', ('expense', 'expense_other'))]",
        help="Where the agency's fee is booked.",
    )
    dunning_collection_journal_id = fields.Many2one(
        "account.journal",
        string="Collection Journal",
        domain="[('type', 'in', ('bank', 'cash', 'general'))]",
        help="The journal of the agency's remittances and of write-offs (a miscellaneous journal by default).",
    )
    dunning_vat_deductible = fields.Boolean(
        string="Deducts VAT",
        default=True,
        help="A company that deducts VAT may not add VAT to the collection costs it claims; "
        "one that cannot deduct it adds VAT to them.",
    )

    def _dunning_write_off_journal(self):
        """The journal of write-offs and VAT relief: the collection journal when it is a
        miscellaneous one, else the company's default (`_dunning_miscellaneous_journal`)."""
        self.ensure_one()
        collection = self.dunning_collection_journal_id
        return collection.filtered(lambda journal: journal.type == "general") or self._dunning_miscellaneous_journal()
