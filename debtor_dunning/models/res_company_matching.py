# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_matching_writeoff_account_id = fields.Many2one(
        "account.account",
        string="Payment Difference Account",
        check_company=True,
        domain="[('account_type', 'in', ('expense', 'income', 'income_other', 'expense_direct_cost'))]",
        help="Where Match Payments writes off a payment difference within the debtor's policy tolerance.",
    )
    dunning_matching_writeoff_journal_id = fields.Many2one(
        "account.journal",
        string="Payment Difference Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        compute="_compute_dunning_matching_writeoff_journal_id",
        store=True,
        readonly=False,
        help="The miscellaneous journal in which Match Payments books the write-off of a payment difference.",
    )

    @api.depends("dunning_matching_writeoff_account_id")
    def _compute_dunning_matching_writeoff_journal_id(self):
        # Once differences are written off, book them with the other miscellaneous entries unless
        # the company chose a journal: its first miscellaneous journal, not the exchange differences'.
        for company in self:
            journal = company.dunning_matching_writeoff_journal_id
            if company.dunning_matching_writeoff_account_id and not journal:
                journal = company._dunning_miscellaneous_journal()
            company.dunning_matching_writeoff_journal_id = journal

    def _dunning_matching_writeoff_targets(self, difference, currency):
        """(account, journal) in which Match Payments writes off `difference` (in `currency`) for
        this company; a UserError saying what to set when either is missing or not the company's."""
        self.ensure_one()
        _ = self.env._
        amount = format_amount(self.env, difference, currency)
        account = self.dunning_matching_writeoff_account_id
        journal = self.dunning_matching_writeoff_journal_id
        if not account:
            raise UserError(
                _(
                    "Set the Payment Difference Account in the Credit Control settings to write off "
                    "the difference of %(amount)s.",
                    amount=amount,
                )
            )
        if not journal:
            raise UserError(
                _(
                    "Set the Payment Difference Journal in the Credit Control settings to write off "
                    "the difference of %(amount)s.",
                    amount=amount,
                )
            )
        # Searched, not read: a journal of another company is not even readable to its controller.
        Account, Journal = self.env["account.account"], self.env["account.journal"]
        if not Account.search_count([("id", "=", account.id), *Account._check_company_domain(self)], limit=1):
            raise UserError(
                _(
                    "The Payment Difference Account is not an account of %(company)s: choose one of the "
                    "company's in the Credit Control settings.",
                    company=self.name,
                )
            )
        journal_domain = [("id", "=", journal.id), ("type", "=", "general"), *Journal._check_company_domain(self)]
        if not Journal.search_count(journal_domain, limit=1):
            raise UserError(
                _(
                    "The Payment Difference Journal is not a miscellaneous journal of %(company)s: choose one "
                    "of the company's in the Credit Control settings.",
                    company=self.name,
                )
            )
        return account, journal
