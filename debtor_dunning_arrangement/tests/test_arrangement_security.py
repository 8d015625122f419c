# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import TODAY, ArrangementCommon


@tagged("post_install", "-at_install")
class TestArrangementSecurity(ArrangementCommon):
    """Credit Controllers arrange; invoicing users only read; each company sees its own arrangements."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(name="Tweede B.V.")["company"]
        cls.controller = new_test_user(
            cls.env,
            login="arr_controller",
            groups="debtor_dunning.group_debtor_dunning_controller",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.accountant = new_test_user(
            cls.env,
            login="arr_accountant",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.template_2 = cls.env["debtor.dunning.arrangement.template"].create(
            {"name": "Tweede", "company_id": cls.company_2.id, "number_of_instalments": 2}
        )

    def test_a_credit_controller_arranges_confirms_and_breaks(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        with freeze_time(TODAY):
            wizard = (
                self.env["debtor.dunning.arrangement.wizard"]
                .with_user(self.controller)
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"template_id": self.template.id})
            )
            arrangement = self.Arrangement.with_user(self.controller).browse(
                wizard.action_create_arrangement()["res_id"]
            )
            arrangement.action_confirm()
            self.assertEqual(arrangement.state, "active")
            arrangement.action_break()
        self.assertEqual(arrangement.state, "broken")

    def test_an_invoicing_user_reads_but_cannot_arrange(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice, confirm=False)
        as_accountant = arrangement.with_user(self.accountant)
        self.assertEqual(as_accountant.state, "draft", "he may read it")
        self.assertEqual(invoice.with_user(self.accountant).arrangement_id, self.Arrangement, "not active yet")
        with freeze_time(TODAY), self.assertRaises(AccessError):
            as_accountant.action_confirm()
        with self.assertRaises(AccessError):
            self.Arrangement.with_user(self.accountant).create({"partner_id": self.debtor.id})
        self.assertEqual(arrangement.state, "draft")

    def test_each_company_sees_only_its_own_arrangements(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        ours = self._arrange(invoice)
        invoice_2 = self._create_invoice_one_line(
            price_unit=100.0,
            tax_ids=[],
            partner_id=self.debtor,
            invoice_date=TODAY - timedelta(days=50),
            invoice_date_due=TODAY - timedelta(days=20),
            invoice_payment_term_id=False,
            company_id=self.company_2.id,
            post=True,
        )
        theirs = self.Arrangement.with_company(self.company_2).create(
            {
                "partner_id": self.debtor.id,
                "company_id": self.company_2.id,
                "template_id": self.template_2.id,
                "move_ids": [Command.set(invoice_2.ids)],
            }
        )
        visible = self.Arrangement.with_user(self.controller).search([])
        self.assertIn(ours, visible)
        self.assertNotIn(theirs, visible)
        with self.assertRaises(AccessError):
            theirs.with_user(self.controller).read(["name"])
        self.assertEqual(self.debtor.with_user(self.controller).arrangement_ids, ours)

    def test_a_template_of_another_company_is_refused(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        with self.assertRaisesRegex(UserError, "no company crossover"):
            self.Arrangement.create(
                {
                    "partner_id": self.debtor.id,
                    "company_id": self.company.id,
                    "template_id": self.template_2.id,
                    "move_ids": [Command.set(invoice.ids)],
                }
            )

    def test_the_run_of_another_company_chases_its_own_invoices(self):
        """An arrangement of company 1 leaves company 2's invoices of the same debtor to company 2's run."""
        ours = self._invoice(TODAY - timedelta(days=20), 300.0)
        self._arrange(ours, on_date=TODAY - timedelta(days=1))
        theirs = self._create_invoice_one_line(
            price_unit=100.0,
            tax_ids=[],
            partner_id=self.debtor,
            invoice_date=TODAY - timedelta(days=50),
            invoice_date_due=TODAY - timedelta(days=20),
            invoice_payment_term_id=False,
            company_id=self.company_2.id,
            post=True,
        )
        with freeze_time(TODAY):
            runs = self.Run.with_context(allowed_company_ids=[self.company.id, self.company_2.id]).execute(
                date=TODAY, companies=self.company | self.company_2
            )
        run_2 = runs.filtered(lambda run: run.company_id == self.company_2)
        self.assertFalse((run_2.skip_reasons or {}).get("arrangement"))
        self.assertEqual(self._levels_of(ours), [])
        self.assertTrue(self._levels_of(theirs), "company 2's invoice is chased")
