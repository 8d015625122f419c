# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
class TestDunningSecurity(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.controller = new_test_user(
            cls.env,
            login="dunning_controller",
            groups="debtor_dunning.group_debtor_dunning_controller",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.manager_b = new_test_user(
            cls.env,
            login="dunning_manager_b",
            groups="debtor_dunning.group_debtor_dunning_manager",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )

    def test_every_company_gets_its_own_policy(self):
        policy_b = self.company_b.dunning_policy_id
        self.assertTrue(policy_b)
        self.assertNotEqual(policy_b, self.policy)
        self.assertEqual(policy_b.company_id, self.company_b)
        self.assertEqual(len(policy_b.level_ids), 6)

    def test_each_company_runs_on_its_own_data_and_a_user_sees_only_his(self):
        invoice_a = self._invoice(TODAY - timedelta(days=10))
        invoice_b = self._create_invoice_one_line(
            price_unit=100.0,
            tax_ids=[],
            partner_id=self.debtor,
            company_id=self.company_b.id,
            journal_id=self.env["account.journal"]
            .search([("company_id", "=", self.company_b.id), ("type", "=", "sale")], limit=1)
            .id,
            invoice_date=TODAY - timedelta(days=40),
            invoice_date_due=TODAY - timedelta(days=10),
            invoice_payment_term_id=False,
            post=True,
        )
        runs_b = self.Run.with_user(self.manager_b).execute(date=TODAY)
        self.assertEqual(runs_b.company_id, self.company_b, "a user runs only for his companies")
        self.assertEqual(self._levels_of(invoice_a), [])
        self.assertEqual(invoice_b.dunning_level_id.policy_id, self.company_b.dunning_policy_id)
        self.Run.with_user(self.controller).execute(date=TODAY)
        self.assertEqual(invoice_a.dunning_level_id.policy_id, self.policy)
        visible_to_b = self.Communication.with_user(self.manager_b).search([])
        self.assertEqual(visible_to_b.company_id, self.company_b)
        visible_to_controller = self.Communication.with_user(self.controller).search([])
        self.assertEqual(visible_to_controller.company_id, self.company)
        with self.assertRaises(AccessError):
            invoice_a.dunning_line_ids.communication_id.with_user(self.manager_b).read(["state"])

    def test_controller_runs_and_blocks_but_does_not_configure_or_approve(self):
        self.assertFalse(self.policy.with_user(self.controller).has_access("write"))
        with self.assertRaises(AccessError):
            self.env["debtor.dunning.policy"].with_user(self.controller).create({"name": "Mine"})
        invoice = self._invoice(TODAY - timedelta(days=10))
        self.Run.with_user(self.controller).execute(date=TODAY)
        self.assertEqual(self._levels_of(invoice), [2])
        block = (
            self.env["debtor.dunning.block"]
            .with_user(self.controller)
            .create(
                {
                    "template_id": self.env.ref("debtor_dunning.block_template_promise_to_pay").id,
                    "partner_id": self.debtor.id,
                }
            )
        )
        self.assertEqual(block.user_id, self.controller)
        self.levels.filtered(lambda level: level.sequence == 2).requires_approval = True
        self._invoice(TODAY - timedelta(days=10), partner=self.debtor_without_email)
        self._run(TODAY + timedelta(days=1))
        waiting = self.Communication.search([("state", "=", "to_approve")])
        self.assertTrue(waiting)
        with self.assertRaises(AccessError):
            waiting.with_user(self.controller).action_approve()
        waiting.action_approve()
        self.assertEqual(set(waiting.mapped("state")), {"queued"})

    def test_preview_is_visible_but_does_not_count_as_a_letter(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        preview = self.Run.with_user(self.controller).execute(date=TODAY, preview=True)
        self.assertEqual(preview.communication_ids.move_ids, invoice)
        self.assertFalse(self.debtor.with_user(self.controller).dunning_communication_ids)

    def test_a_letter_sent_by_a_controller_names_the_companys_bank_account(self):
        self._invoice(TODAY - timedelta(days=10), partner=self.debtor_without_email)
        iban = "NL91ABNA0417164300"
        self.env["res.partner.bank"].create({"partner_id": self.company.partner_id.id, "acc_number": iban})
        letter = self.Run.with_user(self.controller).execute(date=TODAY).communication_ids
        html = (
            self.env["ir.actions.report"]
            .with_user(self.controller)
            ._render_qweb_html("debtor_dunning.action_report_debtor_dunning_letter", letter.ids)[0]
            .decode()
        )
        self.assertIn(iban, html)
