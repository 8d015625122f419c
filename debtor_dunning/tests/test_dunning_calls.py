# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
class TestDunningCalls(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.levels.filtered(lambda level: level.sequence == 2).channel_call = True
        cls.debtor.phone = "+31 30 111 2222"
        cls.big = cls.env["res.partner"].create(
            {
                "name": "Groothandel Groot B.V.",
                "is_company": True,
                "email": "ap@groot.example.nl",
                "phone": "+31 20 999",
            }
        )
        cls.Call = cls.env["debtor.dunning.call"]

    def _calls_due(self, on_date=TODAY, env=None):
        return (env or self.env)["debtor.dunning.call"].search([("date_deadline", "<=", on_date)])

    def _letters_sent_with_calls(self):
        self._invoice(TODAY - timedelta(days=10), amount=300.0)
        self._invoice(TODAY - timedelta(days=10), amount=2000.0, partner=self.big)
        with freeze_time(TODAY):
            letters = self._run(TODAY).communication_ids
            letters._send()
        self.assertEqual(set(letters.mapped("call_state")), {"planned"})
        return letters

    def test_todays_calls_most_overdue_first_with_what_the_caller_needs(self):
        self._letters_sent_with_calls()
        calls = self._calls_due()
        self.assertEqual(calls.partner_id, self.big | self.debtor)
        self.assertEqual(calls[0].partner_id, self.big, "the larger overdue amount is called first")
        mine = calls.filtered(lambda call: call.partner_id == self.debtor)
        self.assertEqual(
            (mine.phone, mine.overdue_amount, mine.level_id.sequence, mine.last_contact, mine.date_deadline),
            ("+31 30 111 2222", 300.0, 2, TODAY, TODAY),
        )

    def test_logging_the_outcome_from_the_list_takes_the_call_off_it(self):
        self._letters_sent_with_calls()
        call = self._calls_due()[0]
        action = call.action_log_call()
        with freeze_time(TODAY):
            wizard = Form(self.env[action["res_model"]].with_context(action["context"]))
            self.assertEqual(wizard.outcome, "promise", "a promise to pay is the default: one click to log")
            wizard.save().action_confirm()
        self.assertEqual(self._calls_due().partner_id, self.debtor, "the promise is logged, the call done")
        with freeze_time(TODAY):
            self._calls_due()[0].communication_id._log_call_outcome("not_reached")
        self.assertFalse(self._calls_due())
        self.assertEqual(self._calls_due(TODAY + timedelta(days=2)).partner_id, self.debtor, "called again later")

    def test_a_broken_promise_puts_the_debtor_back_on_the_list(self):
        letters = self._letters_sent_with_calls()
        letter = letters.filtered(lambda c: c.partner_id == self.debtor)
        with freeze_time(TODAY):
            letter._log_call_outcome("promise", promise_date=TODAY + timedelta(days=3))
        self.assertNotIn(self.debtor, self._calls_due(TODAY + timedelta(days=4)).partner_id)
        self._run(TODAY + timedelta(days=4))
        call = self._calls_due(TODAY + timedelta(days=4)).filtered(lambda c: c.partner_id == self.debtor)
        self.assertIn("promise to pay broken", call.summary)

    def test_only_credit_controllers_of_the_company_see_the_calls(self):
        self._letters_sent_with_calls()
        company_b = self.setup_other_company(name="Bellen B.V.")["company"]
        controller_b = new_test_user(
            self.env,
            login="calls_controller_b",
            groups="debtor_dunning.group_debtor_dunning_controller",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        self.assertFalse(self._calls_due(env=self.env(user=controller_b)))
        invoicing = new_test_user(
            self.env, login="calls_invoicing", groups="account.group_account_invoice", company_id=self.company.id
        )
        with self.assertRaises(AccessError):
            self._calls_due(env=self.env(user=invoicing))
