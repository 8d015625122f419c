# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date
from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..models.statutory import (
    RateNotCovered,
    next_half_year_start,
    statutory_collection_costs,
    statutory_interest,
)


def every_half_year(first, last, rate):
    """One entry per half-year from ``first`` to ``last`` (included), all at ``rate``."""
    periods = []
    while first <= last:
        periods.append((first, rate))
        first = next_half_year_start(first)
    return periods


COMMERCIAL = [
    (date(2024, 1, 1), 12.50),
    (date(2024, 7, 1), 12.25),
    (date(2025, 1, 1), 11.15),
]


@tagged("post_install", "-at_install")
class TestStatutoryCollectionCosts(BaseCase):
    def assertCosts(self, principal, expected):
        self.assertEqual(
            statutory_collection_costs(principal),
            Decimal(expected),
            f"WIK costs on {principal}",
        )

    def test_worked_examples(self):
        self.assertCosts(2500, "375.00")
        self.assertCosts(10000, "875.00")

    def test_minimum(self):
        self.assertCosts("0.01", "40.00")
        self.assertCosts(100, "40.00")
        self.assertCosts("266.66", "40.00")
        # 15% of 266.67 is 40.0005: just above the minimum, rounded to cents.
        self.assertCosts("266.67", "40.00")
        self.assertCosts(300, "45.00")

    def test_maximum(self):
        self.assertCosts(1000000, "6775.00")
        self.assertCosts(1000001, "6775.00")
        self.assertCosts(5000000, "6775.00")
        self.assertCosts(999800, "6774.00")

    def test_bracket_boundaries(self):
        self.assertCosts(1000, "150.00")
        self.assertCosts(3000, "425.00")
        self.assertCosts(5000, "625.00")
        self.assertCosts(7500, "750.00")
        self.assertCosts(200000, "2775.00")
        self.assertCosts(300000, "3275.00")

    def test_rounding_and_input_types(self):
        self.assertCosts("1234.56", "185.18")
        self.assertCosts(2500.0, "375.00")
        self.assertCosts(Decimal("10000.00"), "875.00")

    def test_zero_and_negative_principal(self):
        self.assertCosts(0, "0.00")
        self.assertCosts(-100, "0.00")
        self.assertCosts(None, "0.00")

    def test_several_invoices_apply_staffel_once(self):
        separately = statutory_collection_costs(1500) + statutory_collection_costs(1000)
        together = statutory_collection_costs(1500 + 1000)
        self.assertEqual(separately, Decimal("375.00"))
        self.assertEqual(together, Decimal("375.00"))
        self.assertEqual(
            statutory_collection_costs(100) + statutory_collection_costs(100),
            Decimal("80.00"),
        )
        self.assertEqual(statutory_collection_costs(200), Decimal("40.00"))


@tagged("post_install", "-at_install")
class TestStatutoryInterest(BaseCase):
    def test_single_rate(self):
        # 10,000 at 11.15% for 61 days: 10,000 * 11.15% * 61 / 365
        self.assertEqual(
            statutory_interest(10000, date(2025, 6, 1), date(2025, 8, 1), [*COMMERCIAL, (date(2025, 7, 1), 11.15)]),
            Decimal("186.34"),
        )

    def test_period_crossing_rate_change(self):
        # June 2024 (30 days) at 12.50%, July 2024 (31 days) at 12.25%
        interest = statutory_interest(10000, date(2024, 6, 1), date(2024, 8, 1), COMMERCIAL)
        self.assertEqual(interest, Decimal("206.78"))
        # Not the same as the whole period at either rate
        at_first_rate = every_half_year(date(2024, 1, 1), date(2024, 7, 1), 12.50)
        self.assertNotEqual(interest, statutory_interest(10000, date(2024, 6, 1), date(2024, 8, 1), at_first_rate))
        self.assertEqual(
            statutory_interest(10000, date(2024, 6, 1), date(2024, 8, 1), at_first_rate),
            Decimal("208.90"),
        )

    def test_full_leap_year_two_rates(self):
        # 182 days at 12.50% + 184 days at 12.25%, actual / 365; no compounding within one year
        self.assertEqual(
            statutory_interest(10000, date(2024, 1, 1), date(2025, 1, 1), COMMERCIAL),
            Decimal("1240.82"),
        )

    def test_compounding_after_one_year(self):
        periods = every_half_year(date(2025, 1, 1), date(2026, 7, 1), 11.15)
        one_year = statutory_interest(10000, date(2025, 1, 1), date(2026, 1, 1), periods)
        self.assertEqual(one_year, Decimal("1115.00"))
        two_years = statutory_interest(10000, date(2025, 1, 1), date(2027, 1, 1), periods)
        # Second year runs on 10,000 + 1,115 = 11,115: 1,239.3225
        self.assertEqual(two_years, Decimal("2354.32"))
        simple = Decimal("10000") * Decimal("0.1115") * 2
        self.assertEqual(simple, Decimal("2230.00"))
        self.assertGreater(two_years, simple)

    def test_compounding_on_29_february(self):
        periods = every_half_year(date(2024, 1, 1), date(2026, 1, 1), 10)
        # Anniversaries on 28-2-2025 and 28-2-2026, then one more day on 12,100
        self.assertEqual(
            statutory_interest(10000, date(2024, 2, 29), date(2026, 3, 1), periods),
            Decimal("2103.32"),
        )

    def test_rate_periods_order_does_not_matter(self):
        self.assertEqual(
            statutory_interest(10000, date(2024, 6, 1), date(2024, 8, 1), list(reversed(COMMERCIAL))),
            Decimal("206.78"),
        )

    def test_nothing_due(self):
        self.assertEqual(statutory_interest(0, date(2024, 6, 1), date(2024, 8, 1), COMMERCIAL), Decimal("0.00"))
        self.assertEqual(statutory_interest(-50, date(2024, 6, 1), date(2024, 8, 1), COMMERCIAL), Decimal("0.00"))
        self.assertEqual(statutory_interest(1000, date(2024, 6, 1), date(2024, 6, 1), COMMERCIAL), Decimal("0.00"))
        self.assertEqual(statutory_interest(1000, date(2024, 8, 1), date(2024, 6, 1), COMMERCIAL), Decimal("0.00"))

    def test_one_day(self):
        # 36,500 at 12.50% for one day: 12.50
        self.assertEqual(
            statutory_interest(36500, date(2024, 3, 1), date(2024, 3, 2), COMMERCIAL),
            Decimal("12.50"),
        )

    def test_missing_rate(self):
        with self.assertRaises(ValueError):
            statutory_interest(1000, date(2023, 12, 1), date(2024, 2, 1), COMMERCIAL)
        with self.assertRaises(ValueError):
            statutory_interest(1000, date(2024, 6, 1), date(2024, 8, 1), [])

    def test_a_missing_half_year_is_refused_not_filled_with_the_last_rate(self):
        # The table ends with 1-1-2025: the second half of 2025 has no rate.
        self.assertEqual(statutory_interest(10000, date(2025, 6, 1), date(2025, 7, 1), COMMERCIAL), Decimal("91.64"))
        with self.assertRaises(RateNotCovered) as refused:
            statutory_interest(10000, date(2025, 6, 1), date(2025, 8, 1), COMMERCIAL)
        self.assertEqual(refused.exception.day, date(2025, 7, 1))
        # A gap in the middle of the table is refused too.
        gap = [(date(2024, 1, 1), 12.50), (date(2025, 1, 1), 11.15)]
        with self.assertRaises(RateNotCovered) as refused:
            statutory_interest(10000, date(2024, 6, 1), date(2025, 2, 1), gap)
        self.assertEqual(refused.exception.day, date(2024, 7, 1))
        # Entering the missing half-year repairs it.
        self.assertEqual(
            statutory_interest(10000, date(2025, 6, 1), date(2025, 8, 1), [*COMMERCIAL, (date(2025, 7, 1), 10.15)]),
            Decimal("177.85"),
        )
