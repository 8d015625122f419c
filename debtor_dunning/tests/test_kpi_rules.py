# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.addons.debtor_dunning.models.kpi import (
    aging_bucket,
    average_days_delinquent,
    best_possible_dso,
    cei,
    dso_countback,
    months_back,
    previous_month,
    previous_quarter,
    share,
)
from odoo.tests import BaseCase, tagged

# A worked example: the receivable on 31 December and the credit sales of the months before it.
DECEMBER, NOVEMBER, OCTOBER = (40_000.0, 31), (35_000.0, 30), (50_000.0, 31)


@tagged("post_install", "-at_install")
class TestKpiRules(BaseCase):
    def test_aging_buckets_at_their_edges(self):
        expected = {
            -30: "current",
            0: "current",
            1: "1_30",
            30: "1_30",
            31: "31_60",
            60: "31_60",
            61: "61_90",
            90: "61_90",
            91: "90_plus",
            4000: "90_plus",
        }
        self.assertEqual({days: aging_bucket(days) for days in expected}, expected)

    def test_dso_counts_back_whole_months_then_a_fraction(self):
        # 100,000 - 40,000 (31 days) - 35,000 (30 days) leaves 25,000 of October's 50,000: 15.5 days.
        self.assertAlmostEqual(dso_countback(100_000.0, [DECEMBER, NOVEMBER, OCTOBER]), 76.5)
        # Less than the newest month's sales: a fraction of it only.
        self.assertAlmostEqual(dso_countback(10_000.0, [DECEMBER, NOVEMBER]), 7.75)
        self.assertEqual(dso_countback(0.0, [DECEMBER]), 0.0)
        self.assertEqual(dso_countback(-500.0, [DECEMBER]), 0.0)

    def test_a_month_without_sales_adds_its_days_and_the_months_may_run_out(self):
        self.assertAlmostEqual(dso_countback(20_000.0, [(0.0, 15), (-200.0, 31), DECEMBER]), 15 + 31 + 15.5)
        # More receivable than two years of sales: the days counted so far.
        self.assertEqual(dso_countback(1_000_000.0, [DECEMBER, NOVEMBER]), 61)

    def test_cei_worked_example(self):
        # (50,000 + 100,000 - 60,000) / (50,000 + 100,000 - 40,000) = 90,000 / 110,000.
        self.assertAlmostEqual(cei(50_000.0, 100_000.0, 60_000.0, 40_000.0), 81.8181818, places=5)
        # Everything collectable was collected.
        self.assertAlmostEqual(cei(50_000.0, 100_000.0, 30_000.0, 30_000.0), 100.0)
        # Nothing was collectable: no index rather than a division by zero.
        self.assertIsNone(cei(0.0, 0.0, 0.0, 0.0))

    def test_add_is_dso_less_the_countback_of_the_current_receivable(self):
        months = [DECEMBER, NOVEMBER, OCTOBER]
        dso = dso_countback(100_000.0, months)
        best = best_possible_dso(30_000.0, months)  # 30,000 of December's 40,000: 23.25 days
        self.assertAlmostEqual(best, 23.25)
        self.assertAlmostEqual(average_days_delinquent(dso, best), 53.25)
        # Nothing overdue: nothing delinquent.
        self.assertEqual(average_days_delinquent(dso, best_possible_dso(100_000.0, months)), 0.0)

    def test_periods(self):
        self.assertEqual(
            months_back(date(2026, 12, 2), 3),
            [
                (date(2026, 12, 1), date(2026, 12, 2)),
                (date(2026, 11, 1), date(2026, 11, 30)),
                (date(2026, 10, 1), date(2026, 10, 31)),
            ],
        )
        self.assertEqual(previous_month(date(2026, 1, 15)), (date(2025, 12, 1), date(2025, 12, 31)))
        self.assertEqual(previous_quarter(date(2026, 12, 2)), (date(2026, 7, 1), date(2026, 9, 30)))
        self.assertEqual(previous_quarter(date(2026, 2, 10)), (date(2025, 10, 1), date(2025, 12, 31)))
        self.assertEqual(share(25.0, 200.0), 12.5)
        self.assertEqual(share(25.0, 0.0), 0.0)
