# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.addons.debtor_dunning.tests.common import TODAY
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionRemittance(CollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank_journal = cls.company_data["default_journal_bank"]

    def _handed_over_case(self):
        invoice = self._invoice(TODAY - timedelta(days=200), amount=2500.0, partner=self.debtor, currency=self.euro)
        letter = self._climb_to(invoice, 6)
        with freeze_time(letter.date):
            letter.action_approve()
        return invoice, invoice.dunning_case_id

    def _remit(self, case, amount, fee=0.0):
        wizard = self.env["debtor.dunning.collection.payment"].create(
            {"case_id": case.id, "amount": amount, "fee_amount": fee, "journal_id": self.bank_journal.id}
        )
        wizard.action_confirm()
        return case.remittance_move_ids.sorted("id")[-1:]

    def test_a_remittance_pays_costs_then_interest_then_principal(self):
        invoice, case = self._handed_over_case()
        costs, interest = case.costs_amount, case.interest_amount
        self.assertEqual(costs, 40.0)
        self.assertGreater(interest, 0.0)
        entry = self._remit(case, costs + interest + 1000.0, fee=100.0)
        self.assertEqual(entry.state, "posted")
        self.assertEqual(case.costs_paid_amount, costs)
        self.assertEqual(case.interest_paid_amount, interest)
        self.assertEqual(invoice.amount_residual, 1500.0, "only what is left after costs and interest pays the invoice")
        self.assertEqual(case.fee_amount, 100.0)
        by_account = {
            account: sum(
                entry.line_ids.filtered(lambda line, account=account: line.account_id == account).mapped("balance")
            )
            for account in entry.line_ids.account_id
        }
        self.assertAlmostEqual(by_account[self.bank_journal.default_account_id], costs + interest + 900.0)
        self.assertAlmostEqual(by_account[self.company.dunning_collection_fee_account_id], 100.0)
        self.assertAlmostEqual(by_account[self.company.dunning_collection_income_account_id], -(costs + interest))
        self.assertEqual(case.state, "handed_over")
        self.assertAlmostEqual(case.amount_due, 1500.0)
        self.assertEqual(case.amount_paid_direct, 0.0, "the agency's payment is not a payment to us directly")

    def test_the_case_is_paid_when_nothing_is_due(self):
        invoice, case = self._handed_over_case()
        self._remit(case, case.amount_due)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(case.state, "paid")

    def test_a_surplus_or_a_fee_above_the_amount_is_refused_and_nothing_is_booked(self):
        _invoice, case = self._handed_over_case()
        with self.assertRaisesRegex(UserError, "more than the debtor owes"):
            self._remit(case, case.amount_due + 10.0)
        with self.assertRaisesRegex(UserError, "fee cannot exceed"):
            self._remit(case, 50.0, fee=60.0)
        self.assertFalse(case.remittance_move_ids)

    def test_uncollectible_closes_the_case(self):
        _invoice, case = self._handed_over_case()
        case.action_close()
        self.assertEqual(case.state, "closed")
