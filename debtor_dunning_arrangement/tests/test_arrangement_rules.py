# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.addons.debtor_dunning_arrangement.models import arrangement_rules as rules
from odoo.tests import BaseCase, tagged

D = date(2026, 3, 10)


@tagged("post_install", "-at_install")
class TestArrangementRules(BaseCase):
    """The arrangement's rules without a database."""

    # ---------------------------------------------------------------- allocation
    def test_payments_fill_the_oldest_instalment_first(self):
        self.assertEqual(rules.allocate_payments([100, 100, 100], 150), [100.0, 50.0, 0.0])

    def test_partial_payments_accumulate(self):
        """Two payments of 60 pay the first instalment and 20 of the second, as one of 120 would."""
        self.assertEqual(rules.allocate_payments([100, 100], 60), [60.0, 0.0])
        self.assertEqual(rules.allocate_payments([100, 100], 60 + 60), [100.0, 20.0])

    def test_nothing_paid_and_negative_totals_allocate_nothing(self):
        self.assertEqual(rules.allocate_payments([50, 50], 0), [0.0, 0.0])
        self.assertEqual(rules.allocate_payments([50, 50], -10), [0.0, 0.0])

    def test_overpayment_is_kept_on_the_last_instalment(self):
        self.assertEqual(rules.allocate_payments([33.33, 33.33, 33.34], 110), [33.33, 33.33, 43.34])

    def test_allocation_is_exact_in_cents(self):
        received = rules.allocate_payments([0.1, 0.2, 0.3], 0.3)
        self.assertEqual(received, [0.1, 0.2, 0.0])

    # ---------------------------------------------------------------- state and tolerance
    def test_instalment_state_on_a_date(self):
        self.assertEqual(rules.instalment_state(100, 0, D, D), rules.OPEN, "due today is not late")
        self.assertEqual(rules.instalment_state(100, 0, D, date(2026, 3, 11)), rules.LATE)
        self.assertEqual(rules.instalment_state(100, 100, D, date(2026, 4, 11)), rules.PAID)
        self.assertEqual(rules.instalment_state(100, 40, D, date(2026, 3, 11)), rules.LATE, "partly paid is late")

    def test_a_shortfall_within_the_tolerance_counts_as_paid(self):
        self.assertEqual(rules.instalment_state(100, 99.5, D, date(2026, 4, 1), tolerance=0.5), rules.PAID)
        self.assertEqual(rules.instalment_state(100, 99.49, D, date(2026, 4, 1), tolerance=0.5), rules.LATE)
        self.assertTrue(rules.is_instalment_paid(100, 99.5, 0.5))
        self.assertFalse(rules.is_instalment_paid(100, 99.99, 0))

    # ---------------------------------------------------------------- breach and completion
    def test_an_instalment_breaks_only_after_the_grace_days(self):
        grace = 5
        self.assertFalse(rules.is_breached(100, 0, D, date(2026, 3, 15), grace), "5 days late: within grace")
        self.assertTrue(rules.is_breached(100, 0, D, date(2026, 3, 16), grace), "6 days late breaks")
        self.assertFalse(rules.is_breached(100, 100, D, date(2026, 5, 1), grace), "paid never breaks")
        self.assertFalse(rules.is_breached(100, 99.9, D, date(2026, 5, 1), grace, tolerance=0.1))
        self.assertTrue(rules.is_breached(100, 50, D, date(2026, 3, 11), 0), "no grace: one day late breaks")

    def test_first_breach_is_the_oldest_breaking_instalment(self):
        instalments = [(100, 100, date(2026, 1, 10)), (100, 0, date(2026, 3, 10)), (100, 0, date(2026, 2, 10))]
        self.assertEqual(rules.first_breach(instalments, date(2026, 3, 20), 5), (100, 0, date(2026, 2, 10)))
        self.assertIsNone(rules.first_breach(instalments, date(2026, 2, 15), 5))

    def test_completed_when_every_instalment_is_paid(self):
        self.assertTrue(rules.is_completed([(100, 100), (50, 50)]))
        self.assertFalse(rules.is_completed([(100, 100), (50, 49)]))
        self.assertTrue(rules.is_completed([(100, 100), (50, 49.99)], tolerance=0.01))
        self.assertFalse(rules.is_completed([]), "an empty schedule completes nothing")

    # ---------------------------------------------------------------- reminders
    def test_reminder_goes_out_the_given_days_before_and_until_the_due_date(self):
        self.assertFalse(rules.is_reminder_due(D, date(2026, 3, 6), 3))
        self.assertTrue(rules.is_reminder_due(D, date(2026, 3, 7), 3))
        self.assertTrue(rules.is_reminder_due(D, D, 3), "a run missed on the day still reminds in time")
        self.assertFalse(rules.is_reminder_due(D, date(2026, 3, 11), 3), "too late to remind")
        self.assertEqual(rules.reminder_date(D, 14), date(2026, 2, 24))

    def test_reminder_once_and_never_for_a_paid_instalment(self):
        self.assertFalse(rules.is_reminder_due(D, date(2026, 3, 8), 3, already_reminded=True))
        self.assertFalse(rules.is_reminder_due(D, date(2026, 3, 8), 3, paid=True))

    # ---------------------------------------------------------------- schedule validation
    def _codes(self, lines, total, today=date(2026, 3, 1)):
        return [code for code, _details in rules.schedule_problems(lines, total, today)]

    def test_a_valid_schedule_has_no_problem(self):
        self.assertEqual(self._codes([(D, 33.33), (date(2026, 4, 10), 33.33), (date(2026, 5, 10), 33.34)], 100), [])

    def test_amounts_must_add_up_to_the_total(self):
        problems = rules.schedule_problems([(D, 50), (date(2026, 4, 10), 40)], 100, date(2026, 3, 1))
        self.assertEqual(problems, [(rules.SCHEDULE_SUM_MISMATCH, {"scheduled": 90.0, "total": 100.0})])
        self.assertEqual(self._codes([(D, 50), (date(2026, 4, 10), 50.01)], 100), [rules.SCHEDULE_SUM_MISMATCH])

    def test_dates_must_not_be_in_the_past(self):
        self.assertEqual(self._codes([(date(2026, 2, 28), 100)], 100), [rules.SCHEDULE_DATE_IN_PAST])
        self.assertEqual(self._codes([(date(2026, 3, 1), 100)], 100), [], "today is allowed")

    def test_dates_must_ascend(self):
        self.assertEqual(
            self._codes([(date(2026, 4, 10), 50), (D, 50)], 100),
            [rules.SCHEDULE_NOT_ASCENDING],
        )
        self.assertEqual(self._codes([(D, 50), (D, 50)], 100), [rules.SCHEDULE_NOT_ASCENDING], "two on one day")

    def test_empty_missing_dates_and_non_positive_amounts(self):
        self.assertEqual(self._codes([], 100), [rules.SCHEDULE_EMPTY])
        self.assertEqual(self._codes([(None, 100)], 100), [rules.SCHEDULE_DATE_MISSING])
        self.assertEqual(
            self._codes([(D, 0), (date(2026, 4, 10), 100)], 100),
            [rules.SCHEDULE_AMOUNT_NOT_POSITIVE],
        )
