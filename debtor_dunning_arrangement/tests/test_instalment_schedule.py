# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime
from decimal import Decimal

from odoo.addons.debtor_dunning_arrangement.models.instalment_schedule import (
    instalment_date,
    instalment_schedule,
)
from odoo.tests import BaseCase, tagged


def _exact_sum(schedule):
    return sum((Decimal(str(amount)) for _date, amount in schedule), Decimal(0))


@tagged("post_install", "-at_install")
class TestInstalmentSchedule(BaseCase):
    def assertSumsTo(self, schedule, total):
        self.assertEqual(_exact_sum(schedule), Decimal(str(total)))

    def test_single_instalment(self):
        schedule = instalment_schedule(250.0, 1, date(2026, 3, 15))
        self.assertEqual(schedule, [(date(2026, 3, 15), 250.0)])

    def test_awkward_total_thirds(self):
        schedule = instalment_schedule(100.00, 3, date(2026, 1, 10))
        self.assertEqual(
            schedule,
            [(date(2026, 1, 10), 33.33), (date(2026, 2, 10), 33.33), (date(2026, 3, 10), 33.34)],
        )
        self.assertSumsTo(schedule, 100.00)

    def test_awkward_total_last_absorbs_rounding_down(self):
        schedule = instalment_schedule(200.00, 3, date(2026, 1, 10))
        self.assertEqual([amount for _d, amount in schedule], [66.67, 66.67, 66.66])
        self.assertSumsTo(schedule, 200.00)

    def test_awkward_totals_always_sum_exactly(self):
        for total in (0.1, 0.7, 1.0, 10.01, 99.99, 100.0, 123.45, 1000.0, 1234.56, 999999.99):
            for count in (1, 2, 3, 6, 7, 9, 11, 12):
                if total < count * 0.01:
                    continue
                schedule = instalment_schedule(total, count, date(2026, 1, 1))
                self.assertEqual(len(schedule), count)
                self.assertSumsTo(schedule, total)
                for _due, amount in schedule:
                    self.assertGreater(amount, 0)
                    self.assertEqual(Decimal(str(amount)), Decimal(str(amount)).quantize(Decimal("0.01")))

    def test_tiny_amount_never_negative_instalment(self):
        schedule = instalment_schedule(0.07, 7, date(2026, 1, 1))
        self.assertSumsTo(schedule, 0.07)
        self.assertTrue(all(amount == 0.01 for _d, amount in schedule))
        # 0.15 / 10 = 0.015 rounds half-up to 0.02, and 9 x 0.02 would exceed 0.15:
        # the regular instalments are rounded down instead so the last one stays positive
        schedule = instalment_schedule(0.15, 10, date(2026, 1, 1))
        self.assertSumsTo(schedule, 0.15)
        self.assertTrue(all(amount > 0 for _d, amount in schedule))

    def test_month_end_dates(self):
        schedule = instalment_schedule(400.0, 4, date(2026, 1, 31))
        self.assertEqual(
            [due for due, _amount in schedule],
            [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)],
        )

    def test_month_end_leap_year(self):
        schedule = instalment_schedule(300.0, 3, date(2028, 1, 31))
        self.assertEqual(
            [due for due, _amount in schedule],
            [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)],
        )

    def test_month_end_across_year(self):
        schedule = instalment_schedule(300.0, 3, date(2026, 11, 30), interval_length=2)
        self.assertEqual(
            [due for due, _amount in schedule],
            [date(2026, 11, 30), date(2027, 1, 30), date(2027, 3, 30)],
        )

    def test_weekly(self):
        schedule = instalment_schedule(100.0, 4, date(2026, 2, 20), interval="week")
        self.assertEqual(
            schedule,
            [
                (date(2026, 2, 20), 25.0),
                (date(2026, 2, 27), 25.0),
                (date(2026, 3, 6), 25.0),
                (date(2026, 3, 13), 25.0),
            ],
        )

    def test_biweekly_and_daily(self):
        schedule = instalment_schedule(90.0, 3, date(2026, 2, 20), interval="week", interval_length=2)
        self.assertEqual([due for due, _a in schedule], [date(2026, 2, 20), date(2026, 3, 6), date(2026, 3, 20)])
        schedule = instalment_schedule(90.0, 3, date(2026, 2, 27), interval="day", interval_length=10)
        self.assertEqual([due for due, _a in schedule], [date(2026, 2, 27), date(2026, 3, 9), date(2026, 3, 19)])

    def test_down_payment(self):
        schedule = instalment_schedule(1000.0, 4, date(2026, 1, 31), down_payment=250.0)
        self.assertEqual(
            schedule,
            [
                (date(2026, 1, 31), 250.0),
                (date(2026, 2, 28), 250.0),
                (date(2026, 3, 31), 250.0),
                (date(2026, 4, 30), 250.0),
            ],
        )

    def test_down_payment_awkward(self):
        schedule = instalment_schedule(100.0, 4, date(2026, 5, 1), down_payment=33.333)
        self.assertEqual([amount for _d, amount in schedule], [33.33, 22.22, 22.22, 22.23])
        self.assertSumsTo(schedule, 100.0)

    def test_rounding_unit(self):
        schedule = instalment_schedule(100.0, 3, date(2026, 1, 1), rounding=1)
        self.assertEqual([amount for _d, amount in schedule], [33.0, 33.0, 34.0])
        schedule = instalment_schedule(10.0, 3, date(2026, 1, 1), rounding=0.05)
        self.assertEqual([amount for _d, amount in schedule], [3.35, 3.35, 3.3])
        self.assertSumsTo(schedule, 10.0)

    def test_datetime_first_date(self):
        schedule = instalment_schedule(10.0, 2, datetime(2026, 1, 31, 13, 45))
        self.assertEqual([due for due, _a in schedule], [date(2026, 1, 31), date(2026, 2, 28)])

    def test_instalment_date_not_cumulative(self):
        first = date(2026, 1, 31)
        self.assertEqual(instalment_date(first, 1), date(2026, 2, 28))
        self.assertEqual(instalment_date(first, 2), date(2026, 3, 31))
        self.assertEqual(instalment_date(first, 12), date(2027, 1, 31))

    def test_invalid_inputs(self):
        first = date(2026, 1, 1)
        invalid_calls = {
            "count zero": lambda: instalment_schedule(100.0, 0, first),
            "count negative": lambda: instalment_schedule(100.0, -2, first),
            "count float": lambda: instalment_schedule(100.0, 2.5, first),
            "total zero": lambda: instalment_schedule(0.0, 3, first),
            "total negative": lambda: instalment_schedule(-10.0, 3, first),
            "total not a number": lambda: instalment_schedule("100", 3, first),
            "down payment equals total": lambda: instalment_schedule(100.0, 3, first, down_payment=100.0),
            "down payment above total": lambda: instalment_schedule(100.0, 3, first, down_payment=150.0),
            "down payment negative": lambda: instalment_schedule(100.0, 3, first, down_payment=-1.0),
            "down payment single instalment": lambda: instalment_schedule(100.0, 1, first, down_payment=10.0),
            "unknown interval": lambda: instalment_schedule(100.0, 3, first, interval="year"),
            "interval length zero": lambda: instalment_schedule(100.0, 3, first, interval_length=0),
            "rounding zero": lambda: instalment_schedule(100.0, 3, first, rounding=0),
            "no date": lambda: instalment_schedule(100.0, 3, False),
            "too small to split": lambda: instalment_schedule(0.02, 3, first),
            "rest too small after down payment": lambda: instalment_schedule(1.0, 3, first, down_payment=0.999),
        }
        for label, call in invalid_calls.items():
            with self.subTest(label), self.assertRaises(ValueError):
                call()

    def test_error_messages_are_clear(self):
        with self.assertRaisesRegex(ValueError, "number of instalments must be at least 1"):
            instalment_schedule(100.0, 0, date(2026, 1, 1))
        with self.assertRaisesRegex(ValueError, "total amount must be positive"):
            instalment_schedule(0, 1, date(2026, 1, 1))
        with self.assertRaisesRegex(ValueError, "down payment .* must be lower than the total amount"):
            instalment_schedule(100.0, 2, date(2026, 1, 1), down_payment=100.0)
