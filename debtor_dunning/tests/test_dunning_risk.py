# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
class TestDunningRisk(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]

    def _risk(self, partner, company=None):
        partner = partner.with_company(company or self.company)
        return partner.dunning_risk_score, partner.dunning_risk_class, partner.dunning_risk_explanation

    def _bureau(self, scores):
        """The credit bureau hook answering `scores` ({partner: score})."""
        return patch.object(
            type(self.env["res.partner"]),
            "_dunning_external_risk",
            lambda partners, partner_ids, company, on_date: {p.id: s for p, s in scores.items() if p.id in partner_ids},
        )

    def test_the_run_scores_a_debtor_from_his_companys_ledger(self):
        late = self._invoice(TODAY - timedelta(days=60), amount=1000.0)
        self._register_payment(late, payment_date=TODAY - timedelta(days=30))
        on_time = self._invoice(TODAY - timedelta(days=40), amount=1000.0)
        self._register_payment(on_time, payment_date=TODAY - timedelta(days=45))
        run = self._run(TODAY)
        self.assertGreaterEqual(run.step_counts["risk_recomputed"], 1)
        self.assertIn("Risk profiles recomputed", run.step_summary)
        self.assertEqual(self._risk(self.debtor), (16, "low", "Paid 1 of 2 invoices late, on average 30 days."))
        self.assertEqual(self._risk(self.debtor, self.company_b), (0, False, False), "nothing in the other company")

    def test_the_profile_is_recomputed_when_the_ledger_changes(self):
        self._invoice(TODAY - timedelta(days=30), amount=1000.0)
        recent = self._invoice(TODAY - timedelta(days=2), amount=1000.0)
        self._run(TODAY)
        self.assertEqual(self._risk(self.debtor), (27, "low", "Paid 2 of 2 invoices late, on average 16 days."))
        again = self._run(TODAY)
        self.assertNotIn("risk_recomputed", again.step_counts or {}, "nothing changed in the ledger")
        self._register_payment(recent, payment_date=TODAY - timedelta(days=3))
        after = self._run(TODAY + timedelta(days=1))
        self.assertEqual(after.step_counts["risk_recomputed"], 1)
        self.assertEqual(
            self._risk(self.debtor),
            (21, "low", "Paid 1 of 2 invoices late, on average 31 days. Reached reminder level 2 of 6."),
        )

    def test_a_risky_debtor_gets_the_ladder_of_his_risk_class(self):
        short = self.policy.copy({"name": "Short Ladder"})
        self.company.dunning_policy_medium_risk_id = short
        own = self.env["res.partner"].create({"name": "Eigen Beleid B.V.", "is_company": True})
        own.with_company(self.company).dunning_policy_id = self.policy
        risky = self._invoice(TODAY - timedelta(days=200))
        risky_with_own_policy = self._invoice(TODAY - timedelta(days=200), partner=own)
        calm = self._invoice(TODAY - timedelta(days=3), partner=self.debtor_without_email)
        self._run(TODAY)
        self.assertEqual(self._risk(self.debtor)[:2], (45, "medium"))
        self.assertEqual(self._risk(own)[1], "medium")
        self.assertEqual(self._risk(self.debtor_without_email)[1], "low")
        self.assertEqual(risky.dunning_level_id.policy_id, short)
        self.assertEqual(risky_with_own_policy.dunning_level_id.policy_id, self.policy, "his own policy comes first")
        self.assertEqual(calm.dunning_level_id.policy_id, self.policy)

    def test_a_credit_bureau_can_make_a_debtor_high_risk(self):
        self._invoice(TODAY - timedelta(days=100))
        with self._bureau({self.debtor: 75}):
            self._run(TODAY)
        self.assertEqual(
            self._risk(self.debtor),
            (75, "high", "Paid 1 of 1 invoices late, on average 100 days. Credit bureau score: 75."),
        )

    def test_a_draft_invoice_warns_of_a_high_risk_debtor_beside_the_credit_limit(self):
        self._invoice(TODAY - timedelta(days=100))
        with self._bureau({self.debtor: 75}):
            self._run(TODAY)
        draft = self._invoice(TODAY + timedelta(days=30), post=False)
        warning = "Bakkerij Jansen is a high-risk debtor (risk score 75): Paid 1 of 1 invoices late"
        self.assertIn(warning, draft.partner_credit_warning)
        self.assertIn(warning, draft.alerts["account_partner_credit_warning"]["message"])
        self.company.account_use_credit_limit = True
        self.debtor.with_company(self.company).credit_limit = 50.0
        draft.invalidate_recordset(["partner_credit_warning"])
        self.assertIn("has reached its credit limit", draft.partner_credit_warning, "Community's warning stays")
        self.assertEqual(draft.partner_credit_warning.count(warning), 1)
        calm = self._invoice(TODAY + timedelta(days=30), partner=self.debtor_without_email, post=False)
        self.assertFalse(calm.partner_credit_warning)
        draft.action_post()
        draft.invalidate_recordset(["partner_credit_warning"])
        self.assertFalse(draft.partner_credit_warning, "a confirmed invoice warns no more")

    def test_a_sale_order_warns_of_a_high_risk_debtor_when_sale_is_installed(self):
        # The add-on does not depend on `sale`; the test run installs it to check the order's warning.
        if "sale.order" not in self.env:
            self.skipTest("sale is not installed in this database")
        self._invoice(TODAY - timedelta(days=100))
        with self._bureau({self.debtor: 75}):
            self._run(TODAY)
        self.company.account_use_credit_limit = True
        salesman = new_test_user(
            self.env, login="risk_salesman", groups="sales_team.group_sale_salesman", company_id=self.company.id
        )

        def order_for(partner):
            return (
                self.env["sale.order"]
                .with_user(salesman)
                .create(
                    {
                        "partner_id": partner.id,
                        "company_id": self.company.id,
                        "order_line": [Command.create({"product_id": self.product_a.id, "price_unit": 400.0})],
                    }
                )
            )

        order = order_for(self.debtor)
        warning = "Bakkerij Jansen is a high-risk debtor (risk score 75): Paid 1 of 1 invoices late"
        self.assertIn(warning, order.partner_credit_warning)
        self.assertNotIn("has reached its credit limit", order.partner_credit_warning, "he has no limit")
        self.assertFalse(order_for(self.debtor_without_email).partner_credit_warning, "a low-risk debtor")
        self.debtor.with_company(self.company).credit_limit = 50.0
        order.invalidate_recordset(["partner_credit_warning"])
        self.assertIn("has reached its credit limit", order.partner_credit_warning, "Community's warning stays")
        self.assertEqual(order.partner_credit_warning.count(warning), 1)
        order.action_confirm()
        order.invalidate_recordset(["partner_credit_warning"])
        self.assertFalse(order.partner_credit_warning, "a confirmed order warns no more")

    def test_overdue_over_the_credit_limit_raises_the_score(self):
        self._invoice(TODAY - timedelta(days=100), amount=1000.0)
        self.company.account_use_credit_limit = True
        self.debtor.with_company(self.company).credit_limit = 500.0
        self._run(TODAY)
        score, risk_class, explanation = self._risk(self.debtor)
        self.assertEqual((score, risk_class), (55, "medium"))
        self.assertIn("over his credit limit of", explanation)

    def test_who_sees_and_changes_a_risk_profile(self):
        self._invoice(TODAY - timedelta(days=100))
        self._run(TODAY)
        profile = self.env["debtor.dunning.risk"].search([("partner_id", "=", self.debtor.id)])
        self.assertEqual(len(profile), 1)
        invoicing = new_test_user(
            self.env, login="risk_invoicing", groups="account.group_account_invoice", company_id=self.company.id
        )
        self.assertEqual(self.debtor.with_user(invoicing).dunning_risk_class, "medium", "invoicing reads the class")
        controller = new_test_user(
            self.env,
            login="risk_controller",
            groups="debtor_dunning.group_debtor_dunning_manager",
            company_id=self.company.id,
        )
        for user in (invoicing, controller):
            with self.assertRaises(AccessError):
                profile.with_user(user).write({"score": 0})
        manager_b = new_test_user(
            self.env,
            login="risk_manager_b",
            groups="debtor_dunning.group_debtor_dunning_manager",
            company_id=self.company_b.id,
            company_ids=[(6, 0, self.company_b.ids)],
        )
        self.assertFalse(self.env["debtor.dunning.risk"].with_user(manager_b).search([]))
        self.assertFalse(self.debtor.with_user(manager_b).dunning_risk_class)
        plain = new_test_user(self.env, login="risk_plain", groups="base.group_user", company_id=self.company.id)
        with self.assertRaises(AccessError):
            self.debtor.with_user(plain).dunning_risk_class  # noqa: B018
