# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
class TestDunningPromise(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.controller = new_test_user(
            cls.env,
            login="promise_controller",
            groups="debtor_dunning.group_debtor_dunning_controller",
            company_id=cls.company.id,
        )

    def _letter(self, amount=100.0):
        invoice = self._invoice(TODAY - timedelta(days=20), amount=amount)
        letter = self._run(TODAY).communication_ids.filtered(lambda c: c.partner_id == self.debtor)
        self.assertEqual(self._levels_of(invoice), [2])
        return invoice, letter

    def _promise(self, letter, by, user=None, **values):
        """Log "promised to pay by `by`" with the Log Call wizard, as `user` (default: the test's)."""
        env = self.env(user=user) if user else self.env
        with freeze_time(TODAY):
            wizard = env["debtor.dunning.call.outcome"].create(
                {"communication_id": letter.id, "outcome": "promise", "promise_date": by, **values}
            )
            wizard.action_confirm()
        return wizard, self.env["debtor.dunning.block"].search(
            [("partner_id", "=", self.debtor.id), ("promise_state", "!=", False)]
        )

    def test_a_promise_kept_ends_the_block_and_counts_in_the_risk(self):
        invoice, letter = self._letter(amount=100.0)
        wizard, promise = self._promise(letter, TODAY + timedelta(days=10))
        self.assertEqual(wizard.promise_amount, 100.0, "by default the letter's open amount")
        self.assertEqual((promise.promise_state, promise.promise_amount), ("open", 100.0))
        self.assertEqual(promise.date_end, TODAY + timedelta(days=10), "a block until the promised day")
        self.assertIn("(promised: $\xa0100.00 by 06/11/2026)", letter.call_note)
        self._register_payment(invoice, payment_date=TODAY + timedelta(days=3))
        run = self._run(TODAY + timedelta(days=4))
        self.assertEqual(run.step_counts["promises_kept"], 1)
        self.assertIn("Promises to pay kept: 1", run.step_summary)
        self.assertEqual(
            (promise.state, promise.promise_state, promise.promise_paid_amount), ("expired", "kept", 100.0)
        )
        self.assertIn("Promises to pay kept: 1.", self.debtor.with_company(self.company).dunning_risk_explanation)

    def test_a_promise_needs_an_amount(self):
        _invoice, letter = self._letter()
        with self.assertRaisesRegex(UserError, "amount promised"):
            self._promise(letter, TODAY + timedelta(days=5), promise_amount=0.0)

    def test_a_broken_promise_resumes_dunning_and_plans_a_new_call(self):
        invoice, letter = self._letter(amount=100.0)
        _wizard, promise = self._promise(letter, TODAY + timedelta(days=10), user=self.controller)
        self._register_payment(invoice, amount=40.0, payment_date=TODAY + timedelta(days=2))
        run = self.Run.with_user(self.controller).execute(date=TODAY + timedelta(days=9))
        self.assertEqual(self._levels_of(invoice), [2], "the third level is due, but the promise holds it")
        self.assertEqual(run.skip_reasons, {"blocked_debtor": 1})
        self.assertEqual(promise.promise_state, "open", "the promised day has not passed")
        run = self.Run.with_user(self.controller).execute(date=TODAY + timedelta(days=11))
        self.assertEqual(run.step_counts["promises_broken"], 1)
        self.assertEqual(
            (promise.state, promise.promise_state, promise.promise_paid_amount), ("expired", "broken", 40.0)
        )
        self.assertEqual(self._levels_of(invoice), [2, 3], "dunning resumed the day after the promised day")
        call = letter.call_activity_id
        self.assertEqual((call.res_id, call.date_deadline), (self.debtor.id, TODAY + timedelta(days=11)))
        self.assertIn("promise to pay broken", call.summary)
        self.assertIn("promised to pay $&nbsp;100.00 by 06/11/2026 and paid $&nbsp;40.00", call.note)
        self.assertEqual(letter.call_state, "planned")
        self.assertIn("Promises to pay broken: 1.", self.debtor.with_company(self.company).dunning_risk_explanation)

    def test_only_credit_controllers_log_promises(self):
        _invoice, letter = self._letter()
        invoicing = new_test_user(
            self.env, login="promise_invoicing", groups="account.group_account_invoice", company_id=self.company.id
        )
        with self.assertRaises(AccessError):
            self._promise(letter, TODAY + timedelta(days=5), user=invoicing)
