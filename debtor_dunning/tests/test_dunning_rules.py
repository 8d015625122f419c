# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from odoo.addons.debtor_dunning.models.dunning_rules import (
    InvoiceHistory,
    LevelRule,
    expected_next_step,
    is_chased,
    mobile_number_e164,
    next_level_due,
)
from odoo.tests import BaseCase, tagged

# The shipped ladder: offset, minimum gap, term.
LADDER = [
    LevelRule(1, 1, -5, 0, 0),
    LevelRule(2, 2, 1, 0, 7),
    LevelRule(3, 3, 14, 7, 14),
    LevelRule(4, 4, 30, 14, 7),
    LevelRule(5, 5, 45, 7, 15),
    LevelRule(6, 6, 60, 14, 0),
]
DUE = date(2026, 3, 31)


def level(history, on_date):
    rule = next_level_due(LADDER, history, on_date)
    return rule.level_id if rule else None


@tagged("post_install", "-at_install")
class TestDunningRules(BaseCase):
    def test_pre_due_notice_is_sent_from_its_offset(self):
        fresh = InvoiceHistory(date_due=DUE)
        self.assertIsNone(level(fresh, DUE - timedelta(days=6)))
        self.assertEqual(level(fresh, DUE - timedelta(days=5)), 1)
        self.assertEqual(level(fresh, DUE - timedelta(days=1)), 1)

    def test_pre_due_notice_is_skipped_once_the_invoice_is_due(self):
        fresh = InvoiceHistory(date_due=DUE)
        self.assertIsNone(level(fresh, DUE), "on the due date itself nothing is late yet")
        self.assertEqual(level(fresh, DUE + timedelta(days=1)), 2)

    def test_a_very_late_invoice_starts_at_the_first_overdue_level_not_the_last(self):
        fresh = InvoiceHistory(date_due=DUE)
        self.assertEqual(level(fresh, DUE + timedelta(days=200)), 2)

    def test_next_level_waits_for_the_term_of_the_previous_letter(self):
        letter = DUE + timedelta(days=20)  # level 2 sent late: its 7-day term runs to letter + 7
        after_two = InvoiceHistory(date_due=DUE, last_level_id=2, last_letter_date=letter)
        self.assertIsNone(level(after_two, letter + timedelta(days=7)), "the term is still running on its last day")
        self.assertEqual(level(after_two, letter + timedelta(days=8)), 3)

    def test_next_level_waits_for_its_own_day_offset(self):
        letter = DUE + timedelta(days=1)
        after_two = InvoiceHistory(date_due=DUE, last_level_id=2, last_letter_date=letter)
        self.assertIsNone(level(after_two, DUE + timedelta(days=13)), "term over, but level 3 is due at +14")
        self.assertEqual(level(after_two, DUE + timedelta(days=14)), 3)

    def test_minimum_gap_since_previous_letter(self):
        gap_ladder = [LevelRule(2, 2, 1, 0, 0), LevelRule(3, 3, 2, 10, 0)]
        history = InvoiceHistory(date_due=DUE, last_level_id=2, last_letter_date=DUE + timedelta(days=5))
        self.assertIsNone(next_level_due(gap_ladder, history, DUE + timedelta(days=14)))
        self.assertEqual(next_level_due(gap_ladder, history, DUE + timedelta(days=15)).level_id, 3)

    def test_a_pending_letter_stops_escalation(self):
        pending = InvoiceHistory(
            date_due=DUE, last_level_id=5, last_letter_date=DUE + timedelta(days=45), last_letter_pending=True
        )
        self.assertIsNone(level(pending, DUE + timedelta(days=365)))

    def test_top_of_the_ladder_is_final(self):
        top = InvoiceHistory(date_due=DUE, last_level_id=6, last_letter_date=DUE + timedelta(days=60))
        self.assertIsNone(level(top, DUE + timedelta(days=400)))
        self.assertEqual(expected_next_step(LADDER, top, DUE + timedelta(days=400)), (None, None))

    def test_a_level_no_longer_in_the_policy_stops_escalation(self):
        orphan = InvoiceHistory(date_due=DUE, last_level_id=99, last_letter_date=DUE)
        self.assertIsNone(level(orphan, DUE + timedelta(days=100)))

    def test_full_climb_never_skips_a_level(self):
        history = InvoiceHistory(date_due=DUE)
        reached = []
        on_date = DUE - timedelta(days=10)
        while on_date < DUE + timedelta(days=400):
            rule = next_level_due(LADDER, history, on_date)
            if rule:
                reached.append(rule.level_id)
                history = InvoiceHistory(date_due=DUE, last_level_id=rule.level_id, last_letter_date=on_date)
            on_date += timedelta(days=1)
        self.assertEqual(reached, [1, 2, 3, 4, 5, 6])

    def test_expected_next_step_tells_the_earliest_date(self):
        letter = DUE + timedelta(days=1)
        after_two = InvoiceHistory(date_due=DUE, last_level_id=2, last_letter_date=letter)
        rule, when = expected_next_step(LADDER, after_two, DUE + timedelta(days=2))
        self.assertEqual((rule.level_id, when), (3, DUE + timedelta(days=14)))

    def test_tolerance(self):
        self.assertFalse(is_chased(0.99, 1.0))
        self.assertFalse(is_chased(1.0, 1.0))
        self.assertTrue(is_chased(1.01, 1.0))

    def test_mobile_numbers_are_normalised_in_the_debtors_country(self):
        self.assertEqual(mobile_number_e164("06 12345678", "NL"), ("+31612345678", None))
        self.assertEqual(mobile_number_e164("+32 470 12 34 56", "NL"), ("+32470123456", None))
        self.assertEqual(mobile_number_e164("030 123 4567", "NL"), (None, "not_mobile"))
        self.assertEqual(mobile_number_e164("06 123", "NL"), (None, "invalid"))
        self.assertEqual(mobile_number_e164("call me", "NL"), (None, "invalid"))
        self.assertEqual(mobile_number_e164("", "NL"), (None, "missing"))
