# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The claim under Dutch law, as pure functions: published examples, no database."""

from datetime import date
from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..models.statutory import (
    allocate_payment,
    business_collection_costs,
    capped_recurring_costs,
    collection_costs_vat,
    consumer_collection_costs,
    first_uncovered_day,
    interest_start_date,
    is_recurring_small_claim,
    limitation_date,
    statutory_collection_costs,
)


@tagged("post_install", "-at_install")
class TestClaimCosts(BaseCase):
    def test_consumer_owes_costs_only_after_a_valid_letter_whose_term_expired(self):
        self.assertEqual(consumer_collection_costs(2500, letter_valid=True, term_expired=True), Decimal("375.00"))
        self.assertEqual(consumer_collection_costs(10000, letter_valid=True, term_expired=True), Decimal("875.00"))
        self.assertEqual(consumer_collection_costs(2500, letter_valid=True, term_expired=False), Decimal("0.00"))
        self.assertEqual(consumer_collection_costs(2500, letter_valid=False, term_expired=True), Decimal("0.00"))

    def test_consumer_who_paid_part_within_the_term_owes_costs_on_the_rest(self):
        # 2,500 claimed, 1,500 paid within the 14 days: 15% of 1,000.
        self.assertEqual(
            consumer_collection_costs(2500, letter_valid=True, term_expired=True, paid_within_term=1500),
            Decimal("150.00"),
        )
        # Paid all within the term: no costs at all (not the EUR 40 minimum).
        self.assertEqual(
            consumer_collection_costs(2500, letter_valid=True, term_expired=True, paid_within_term=2500),
            Decimal("0.00"),
        )

    def test_several_invoices_are_one_claim(self):
        self.assertEqual(statutory_collection_costs(sum([1000, 1500])), Decimal("375.00"))
        self.assertEqual(statutory_collection_costs(sum([4000, 6000])), Decimal("875.00"))

    def test_minimum_and_maximum(self):
        self.assertEqual(statutory_collection_costs(100), Decimal("40.00"))
        self.assertEqual(statutory_collection_costs(2000000), Decimal("6775.00"))

    def test_business_owes_at_least_forty_euros_per_late_invoice(self):
        self.assertEqual(business_collection_costs([100]), Decimal("40.00"))
        # Three late invoices: 3 x 40, not 40 once (CJEU C-585/20).
        self.assertEqual(business_collection_costs([100, 200, 5000]), Decimal("120.00"))
        self.assertEqual(business_collection_costs([]), Decimal("0.00"))

    def test_business_with_the_staffel_agreed(self):
        self.assertEqual(business_collection_costs([2500], staffel_agreed=True), Decimal("375.00"))
        self.assertEqual(business_collection_costs([4000, 6000], staffel_agreed=True), Decimal("875.00"))
        # Ten small invoices: 10 x 40 = 400 beats the staffel on 1,000 (150).
        self.assertEqual(business_collection_costs([100] * 10, staffel_agreed=True), Decimal("400.00"))

    def test_recurring_small_claims_are_capped_at_140_per_six_months(self):
        self.assertTrue(is_recurring_small_claim([49.95, 266.66]))
        self.assertFalse(is_recurring_small_claim([49.95, 266.67]))
        self.assertFalse(is_recurring_small_claim([]))
        self.assertEqual(capped_recurring_costs(40), Decimal("40.00"))
        self.assertEqual(capped_recurring_costs(40, charged_in_six_months=120), Decimal("20.00"))
        self.assertEqual(capped_recurring_costs(40, charged_in_six_months=140), Decimal("0.00"))
        self.assertEqual(capped_recurring_costs(200), Decimal("140.00"))

    def test_vat_on_costs_only_for_a_creditor_who_cannot_deduct_it(self):
        self.assertEqual(collection_costs_vat(375, 21, creditor_deducts_vat=True), Decimal("0.00"))
        self.assertEqual(collection_costs_vat(375, 21, creditor_deducts_vat=False), Decimal("78.75"))


@tagged("post_install", "-at_install")
class TestClaimInterestAndLimitation(BaseCase):
    def test_interest_starts_the_day_after_the_due_date_or_at_default(self):
        self.assertEqual(interest_start_date(True, date(2025, 3, 31)), date(2025, 4, 1))
        self.assertEqual(interest_start_date(False, date(2025, 3, 31), date(2025, 5, 16)), date(2025, 5, 16))
        self.assertIsNone(interest_start_date(False, date(2025, 3, 31)))

    def test_first_uncovered_day(self):
        table = [(date(2024, 1, 1), 12.5), (date(2024, 7, 1), 12.25)]
        self.assertIsNone(first_uncovered_day(table, date(2024, 2, 1), date(2025, 1, 1)))
        self.assertEqual(first_uncovered_day(table, date(2024, 2, 1), date(2025, 1, 2)), date(2025, 1, 1))
        self.assertEqual(first_uncovered_day(table, date(2023, 12, 31), date(2024, 2, 1)), date(2023, 12, 31))
        self.assertEqual(first_uncovered_day([], date(2024, 1, 1), date(2024, 1, 2)), date(2024, 1, 1))

    def test_limitation_five_years_after_the_due_date(self):
        self.assertEqual(limitation_date(date(2024, 3, 31)), date(2029, 3, 31))
        self.assertEqual(limitation_date(date(2024, 2, 29)), date(2029, 2, 28))

    def test_limitation_two_years_for_a_consumer_purchase(self):
        self.assertEqual(limitation_date(date(2024, 3, 31), years=2), date(2026, 3, 31))

    def test_each_written_reminder_restarts_the_period(self):
        self.assertEqual(limitation_date(date(2024, 3, 31), [date(2024, 5, 1), date(2027, 1, 15)]), date(2032, 1, 15))
        self.assertEqual(limitation_date(date(2024, 3, 31), [date(2025, 3, 1)], years=2), date(2027, 3, 1))
        # A reminder after the claim was time-barred revives nothing.
        self.assertEqual(limitation_date(date(2020, 1, 1), [date(2022, 6, 1)], years=2), date(2022, 1, 1))


@tagged("post_install", "-at_install")
class TestPaymentAllocation(BaseCase):
    def test_costs_then_interest_then_principal(self):
        self.assertEqual(
            allocate_payment(500, costs=375, interest=100, principal=2500),
            (Decimal("375.00"), Decimal("100.00"), Decimal("25.00"), Decimal("0.00")),
        )
        self.assertEqual(
            allocate_payment(300, costs=375, interest=100, principal=2500),
            (Decimal("300.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        )
        self.assertEqual(
            allocate_payment(3000, costs=375, interest=100, principal=2500),
            (Decimal("375.00"), Decimal("100.00"), Decimal("2500.00"), Decimal("25.00")),
        )
        self.assertEqual(allocate_payment(0, 375, 100, 2500), (0, 0, 0, 0))
