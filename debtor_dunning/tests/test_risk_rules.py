# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dataclasses import replace

from odoo.addons.debtor_dunning.models.risk import (
    HIGH_FROM,
    MEDIUM_FROM,
    WEIGHTS,
    RiskFacts,
    risk_class,
    risk_explanation,
    risk_profile,
)
from odoo.tests import BaseCase, tagged

WORST = RiskFacts(
    invoice_count=4,
    invoiced_amount=4000.0,
    late_count=4,
    late_amount=4000.0,
    days_late_amount=4000.0 * 90,
    highest_level=6,
    level_count=6,
    promises_broken=2,
    arrangements_broken=1,
    claims_handed_over=1,
    overdue_amount=5000.0,
    credit_limit=2500.0,
)


@tagged("post_install", "-at_install")
class TestRiskRules(BaseCase):
    def test_the_weights_make_a_score_of_at_most_100(self):
        self.assertEqual(sum(WEIGHTS.values()), 100)
        self.assertEqual(risk_profile(WORST).score, 100)
        self.assertEqual(risk_profile(WORST).risk_class, "high")

    def test_a_debtor_without_history_is_low_risk(self):
        profile = risk_profile(RiskFacts())
        self.assertEqual((profile.score, profile.risk_class), (0, "low"))
        self.assertEqual(risk_explanation(RiskFacts()), [("no_invoices", {})])

    def test_paid_14_of_20_late_on_average_23_days(self):
        facts = RiskFacts(
            invoice_count=20,
            invoiced_amount=2000.0,
            late_count=14,
            late_amount=1400.0,
            days_late_amount=1400.0 * 23,
        )
        # 25 x (16.1 / 60) for the days over all invoices + 20 x 0.7 for the share paid late.
        self.assertEqual(risk_profile(facts).score, 21)
        self.assertEqual(risk_explanation(facts), [("paid_late", {"late": 14, "count": 20, "days": 23})])

    def test_lateness_is_weighted_by_amount(self):
        big_late = RiskFacts(
            invoice_count=2, invoiced_amount=10100.0, late_count=1, late_amount=10000.0, days_late_amount=10000.0 * 60
        )
        small_late = RiskFacts(
            invoice_count=2, invoiced_amount=10100.0, late_count=1, late_amount=100.0, days_late_amount=100.0 * 60
        )
        self.assertEqual(risk_profile(big_late).score, 45)
        self.assertEqual(risk_profile(big_late).risk_class, "medium")
        self.assertEqual(risk_profile(small_late).score, 0)

    def test_kept_promises_offset_broken_ones_but_never_below_nothing(self):
        self.assertEqual(risk_profile(RiskFacts(promises_broken=2)).score, 10)
        self.assertEqual(risk_profile(RiskFacts(promises_broken=2, promises_kept=2)).score, 5)
        self.assertEqual(risk_profile(RiskFacts(promises_kept=5)).score, 0)

    def test_overdue_counts_against_the_credit_limit_only_when_there_is_one(self):
        self.assertEqual(risk_profile(RiskFacts(overdue_amount=500.0, credit_limit=1000.0)).score, 5)
        self.assertEqual(risk_profile(RiskFacts(overdue_amount=500.0)).score, 0)
        self.assertEqual(
            risk_explanation(RiskFacts(overdue_amount=1500.0, credit_limit=1000.0))[-1],
            ("over_credit_limit", {"overdue": 1500.0, "limit": 1000.0}),
        )

    def test_a_credit_bureau_can_raise_the_score_but_not_lower_it(self):
        self.assertEqual(risk_profile(RiskFacts(external_score=70)).risk_class, "high")
        self.assertEqual(risk_profile(replace(WORST, external_score=10)).score, 100)
        self.assertIn(("external", {"score": 70}), risk_explanation(RiskFacts(external_score=70)))

    def test_classes_start_at_their_thresholds(self):
        self.assertEqual(
            [risk_class(score) for score in (0, MEDIUM_FROM - 1, MEDIUM_FROM, HIGH_FROM - 1, HIGH_FROM, 100)],
            ["low", "low", "medium", "medium", "high", "high"],
        )

    def test_facts_from_an_add_on_that_are_not_facts_are_ignored(self):
        facts = RiskFacts.from_dict({"arrangements_broken": 1, "something_else": 3})
        self.assertEqual(facts.arrangements_broken, 1)
        self.assertEqual(risk_explanation(facts), [("no_invoices", {}), ("arrangements_broken", {"count": 1})])
