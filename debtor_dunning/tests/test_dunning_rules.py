# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from odoo.addons.debtor_dunning.models.dunning_rules import (
    DebtorPolicy,
    InvoiceHistory,
    LevelRule,
    OpenInvoice,
    chased_due_date,
    decide_for_debtor,
    expected_next_step,
    is_chased,
    is_open_instalment,
    mobile_number_e164,
    next_level_due,
    term_end,
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

    def test_the_term_runs_from_delivery_e_mail_one_day_post_three_working_days(self):
        by_email = LevelRule(5, 5, 45, 0, 14, email_delivery_days=1, post_delivery_working_days=3)
        by_post = LevelRule(5, 5, 45, 0, 14, by_post=True, email_delivery_days=1, post_delivery_working_days=3)
        friday = date(2026, 5, 29)
        self.assertEqual(term_end(by_email, friday), friday + timedelta(days=15))
        # Posted on a Friday: delivered on Wednesday (Monday, Tuesday, Wednesday), then 14 days.
        self.assertEqual(term_end(by_post, friday), date(2026, 6, 3) + timedelta(days=14))
        # A level that grants no term waits for no delivery.
        self.assertEqual(
            term_end(LevelRule(6, 6, 60, 0, 0, by_post=True, post_delivery_working_days=3), friday), friday
        )

    def test_the_next_level_waits_until_the_term_has_surely_run(self):
        ladder = [
            LevelRule(5, 5, 45, 0, 14, by_post=True, email_delivery_days=1, post_delivery_working_days=3),
            LevelRule(6, 6, 46, 0, 0),
        ]
        friday = date(2026, 5, 29)
        history = InvoiceHistory(date_due=DUE, last_level_id=5, last_letter_date=friday)
        self.assertIsNone(next_level_due(ladder, history, date(2026, 6, 17)))
        self.assertEqual(next_level_due(ladder, history, date(2026, 6, 18)).level_id, 6)
        rule, when = expected_next_step(ladder, history, friday)
        self.assertEqual((rule.level_id, when), (6, date(2026, 6, 18)))

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


EUR, CHF = 1, 2
POLICY = DebtorPolicy(rules=tuple(LADDER), residual_tolerance=1.0, minimum_overdue_amount=50.0)
LATE = DUE + timedelta(days=10)  # the day of the decision: level 2 is due for a fresh invoice


def invoice(move_id, residual=100.0, currency=EUR, overdue=None, date_due=DUE, **history):
    """An open invoice as the run reads it; overdue (company currency) defaults to the residual."""
    return OpenInvoice(
        move_id=move_id,
        currency_id=currency,
        residual=residual,
        residual_company_overdue=residual if overdue is None else overdue,
        history=InvoiceHistory(date_due=date_due, **history),
    )


@tagged("post_install", "-at_install")
class TestDecideForDebtor(BaseCase):
    """The run's decision for one debtor, without a database: letters and a reason per skipped invoice."""

    def test_letters_are_grouped_by_level_and_currency(self):
        decision = decide_for_debtor(
            [invoice(1), invoice(2), invoice(3, currency=CHF), invoice(4, date_due=LATE + timedelta(days=3))],
            POLICY,
            LATE,
        )
        self.assertEqual(dict(decision.letters), {(2, EUR): [1, 2], (2, CHF): [3], (1, EUR): [4]})
        self.assertEqual(decision.skipped, {})

    def test_an_invoice_not_yet_due_for_a_level_is_neither_decided_nor_skipped(self):
        decision = decide_for_debtor([invoice(1, date_due=LATE + timedelta(days=30))], POLICY, LATE)
        self.assertEqual((dict(decision.letters), decision.skipped), ({}, {}))

    def test_no_policy(self):
        for policy in (None, DebtorPolicy(rules=())):
            decision = decide_for_debtor([invoice(1), invoice(2)], policy, LATE)
            self.assertEqual(decision.skipped, {1: "no_policy", 2: "no_policy"})
            self.assertFalse(decision.letters)

    def test_a_blocked_debtor_gets_nothing(self):
        decision = decide_for_debtor([invoice(1), invoice(2)], POLICY, LATE, debtor_blocked=True)
        self.assertEqual(decision.skipped, {1: "blocked_debtor", 2: "blocked_debtor"})

    def test_tolerance_block_and_exclusion_per_invoice(self):
        decision = decide_for_debtor(
            [invoice(1, residual=1.0), invoice(2), invoice(3), invoice(4)],
            POLICY,
            LATE,
            blocked_moves={2},
            excluded_moves={3: "arrangement"},
        )
        self.assertEqual(decision.skipped, {1: "tolerance", 2: "blocked_invoice", 3: "arrangement"})
        self.assertEqual(dict(decision.letters), {(2, EUR): [4]})

    def test_a_blocked_or_excluded_invoice_does_not_count_towards_the_minimum(self):
        decision = decide_for_debtor(
            [invoice(1, residual=40.0), invoice(2, residual=500.0)], POLICY, LATE, excluded_moves={2: "arrangement"}
        )
        self.assertEqual(decision.skipped, {1: "below_minimum", 2: "arrangement"})

    def test_credit_covers_the_debt_per_currency_never_across_currencies(self):
        invoices = [invoice(1, residual=100.0), invoice(2, residual=80.0, currency=CHF)]
        decision = decide_for_debtor(invoices, POLICY, LATE, credits={EUR: 150.0})
        self.assertEqual(decision.skipped, {1: "covered_by_credit"})
        self.assertEqual(dict(decision.letters), {(2, CHF): [2]})
        # A credit that leaves more than the tolerance open covers nothing.
        decision = decide_for_debtor(invoices, POLICY, LATE, credits={EUR: 98.0})
        self.assertEqual(dict(decision.letters), {(2, EUR): [1], (2, CHF): [2]})
        decision = decide_for_debtor(invoices, POLICY, LATE, credits={EUR: 99.0})
        self.assertEqual(decision.skipped, {1: "covered_by_credit"}, "what is left is within the tolerance")

    def test_minimum_overdue_total_holds_back_all_but_the_pre_due_notice(self):
        small = invoice(1, residual=30.0)
        coming = invoice(2, residual=500.0, overdue=0.0, date_due=LATE + timedelta(days=3))
        decision = decide_for_debtor([small, coming], POLICY, LATE)
        self.assertEqual(decision.skipped, {1: "below_minimum"})
        self.assertEqual(dict(decision.letters), {(1, EUR): [2]}, "the courtesy notice still goes out")
        # Together the overdue amounts pass the minimum.
        decision = decide_for_debtor([small, invoice(3, residual=30.0)], POLICY, LATE)
        self.assertEqual(dict(decision.letters), {(2, EUR): [1, 3]})

    def test_a_last_letter_outside_the_current_policy_is_left_to_the_controller(self):
        moved = invoice(1, last_level_id=99, last_letter_date=DUE)
        decision = decide_for_debtor([moved, invoice(2)], POLICY, LATE)
        self.assertEqual(decision.skipped, {1: "policy_changed"})
        self.assertEqual(dict(decision.letters), {(2, EUR): [2]})

    def test_next_level_follows_the_history(self):
        after_two = invoice(1, last_level_id=2, last_letter_date=DUE + timedelta(days=1))
        decision = decide_for_debtor([after_two], POLICY, DUE + timedelta(days=14))
        self.assertEqual(dict(decision.letters), {(3, EUR): [1]})


@tagged("post_install", "-at_install")
class TestChasedDueDate(BaseCase):
    def test_the_earliest_open_instalment_counts(self):
        first, second = date(2026, 1, 31), date(2026, 3, 31)
        self.assertEqual(chased_due_date([second, first], invoice_date_due=second), first)

    def test_without_open_instalment_the_invoice_dates(self):
        self.assertEqual(chased_due_date([], date(2026, 3, 31), date(2026, 3, 1)), date(2026, 3, 31))
        self.assertEqual(chased_due_date([None], None, date(2026, 3, 1), date(2026, 2, 1)), date(2026, 3, 1))
        self.assertEqual(chased_due_date([], None, None, date(2026, 2, 1)), date(2026, 2, 1))

    def test_open_instalments_are_unreconciled_receivables_not_excluded_from_follow_up(self):
        self.assertTrue(is_open_instalment("asset_receivable", False, False))
        self.assertFalse(is_open_instalment("asset_receivable", True, False), "paid")
        self.assertFalse(is_open_instalment("asset_receivable", False, True), "excluded from follow-up")
        self.assertFalse(is_open_instalment("income", False, False))
