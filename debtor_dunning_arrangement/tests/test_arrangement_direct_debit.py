# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import TODAY, ArrangementCommon


@tagged("post_install", "-at_install")
class TestArrangementDirectDebit(ArrangementCommon, HttpCase):
    """First payment with iDEAL → mandate → recurring charges on the due dates → a failed charge is late."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_fake_mollie()
        cls.template.direct_debit = True

    def _webhook(self, mollie_id):
        return self.url_open("/debtor_dunning_arrangement/mollie/webhook", data={"id": mollie_id})

    def _mandated(self):
        """An arrangement of 300 in three instalments whose first payment gave the mandate."""
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        first = arrangement.instalment_ids[0]
        self.mollie.complete_first(first.mollie_payment_id)
        self.assertEqual(self._webhook(first.mollie_payment_id).status_code, 200)
        return invoice, arrangement

    def test_confirming_creates_the_customer_and_the_first_payment_the_debtor_authorises(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        first = arrangement.instalment_ids[0]
        self.assertTrue(arrangement.mollie_customer_id.startswith("cst_"))
        sent = self.mollie.payments[first.mollie_payment_id]
        self.assertEqual((sent["sequenceType"], sent["method"]), ("first", "ideal"))
        self.assertEqual(sent["amount"], {"currency": "USD", "value": "100.00"})
        self.assertEqual(first.debit_state, "pending")
        confirmation = arrangement.message_ids.filtered(
            lambda m: m.attachment_ids == arrangement.confirmation_attachment_id
        )
        self.assertIn(first.mollie_checkout_url, confirmation.body, "the debtor authorises from the confirmation")

        self.mollie.complete_first(first.mollie_payment_id)
        with mute_logger("odoo.addons.debtor_dunning_arrangement.controllers.mollie"):
            for mollie_id in (first.mollie_payment_id, first.mollie_payment_id, "tr_forged123", "no-id"):
                self.assertEqual(self._webhook(mollie_id).status_code, 200)
        self.assertEqual(first.debit_state, "paid")
        self.assertTrue(arrangement.mollie_mandate_id.startswith("mdt_"))
        self.assertEqual(arrangement.mandate_reference, arrangement.mollie_mandate_id)
        self.assertEqual(invoice.amount_residual, 200.0, "booked once, reconciled with the invoice")
        self.assertEqual(first.payment_id.journal_id, self.provider.journal_id)
        self.assertEqual(first.state, "paid")

    def test_later_instalments_are_charged_on_their_due_date_with_the_mandate(self):
        invoice, arrangement = self._mandated()
        second = arrangement.instalment_ids[1]
        reminder_day = second.date_due - timedelta(days=3)
        self._run_on(reminder_day)
        reminder = arrangement.message_ids.filtered(lambda m: m.subject and "instalment 2" in m.subject)
        self.assertIn("by SEPA direct debit", reminder.body, "the reminder is the pre-notification")
        self.assertIn(arrangement.mandate_reference, reminder.body)
        self.assertEqual(second.debit_state, "none", "not charged before its due date")
        run = self._run_on(second.date_due)
        self.assertEqual(run.step_counts.get("direct_debits_charged"), 1)
        sent = self.mollie.payments[second.mollie_payment_id]
        self.assertEqual((sent["sequenceType"], sent["mandateId"]), ("recurring", arrangement.mollie_mandate_id))
        self.mollie.settle(second.mollie_payment_id)
        self._webhook(second.mollie_payment_id)
        self.assertEqual((second.debit_state, second.state), ("paid", "paid"))
        self.assertEqual(invoice.amount_residual, 100.0)
        self._run_on(second.date_due + timedelta(days=1))
        ours = [p for p in self.mollie.payments.values() if p["customerId"] == arrangement.mollie_customer_id]
        self.assertEqual(len(ours), 2, "the first payment and one charge: charged once")

    def test_a_credit_controllers_run_charges_the_debit(self):
        """The API key is an administrator's; a controller's Run Now still charges (the key only goes to Mollie)."""
        controller = new_test_user(
            self.env,
            login="dd_controller",
            groups="debtor_dunning.group_debtor_dunning_controller",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        _invoice, arrangement = self._mandated()
        second = arrangement.instalment_ids[1]
        with freeze_time(second.date_due):
            self.Run.with_user(controller).execute(date=second.date_due)
        self.assertEqual(second.debit_state, "pending")
        self.assertTrue(second.mollie_payment_id)

    def test_a_failed_debit_makes_the_instalment_late_and_then_breaks(self):
        invoice, arrangement = self._mandated()
        second = arrangement.instalment_ids[1]
        self._run_on(second.date_due)
        self.mollie.settle(second.mollie_payment_id, paid=False)
        self._webhook(second.mollie_payment_id)
        self.assertEqual((second.debit_state, second.state), ("failed", "late"), "never silently paid")
        self.assertEqual(invoice.amount_residual, 200.0)
        self._run_on(second.date_due + timedelta(days=6))
        self.assertEqual(arrangement.state, "broken")

    def test_a_charge_back_undoes_the_booking_and_makes_the_instalment_late(self):
        invoice, arrangement = self._mandated()
        second = arrangement.instalment_ids[1]
        self._run_on(second.date_due)
        self.mollie.settle(second.mollie_payment_id)
        self._webhook(second.mollie_payment_id)
        self.assertEqual(invoice.amount_residual, 100.0)
        self.mollie.charge_back(second.mollie_payment_id)
        self._webhook(second.mollie_payment_id)
        self.assertEqual((second.debit_state, second.state), ("charged_back", "late"))
        self.assertEqual(invoice.amount_residual, 200.0, "the reversed money is open again")
        self.assertEqual(second.payment_id.state, "canceled")

    def test_a_block_on_all_processes_holds_the_debits(self):
        _invoice, arrangement = self._mandated()
        second = arrangement.instalment_ids[1]
        self.env["debtor.dunning.block"].create(
            {
                "template_id": self.env.ref("debtor_dunning.block_template_bankruptcy").id,
                "partner_id": self.debtor.id,
                "date_start": second.date_due - timedelta(days=1),
            }
        )
        self._run_on(second.date_due)
        self.assertEqual(second.debit_state, "none")
        self.assertFalse(second.mollie_payment_id)

    def test_the_hourly_check_finds_what_a_lost_webhook_did_not_say(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        first = arrangement.instalment_ids[0]
        self.mollie.complete_first(first.mollie_payment_id)
        cron = self.env.ref("debtor_dunning_arrangement.ir_cron_check_direct_debits")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        first.invalidate_recordset()
        arrangement.invalidate_recordset()
        self.assertEqual(first.debit_state, "paid")
        self.assertTrue(arrangement.mollie_mandate_id)

    def test_direct_debit_without_mollie_is_refused_and_nothing_is_sent(self):
        self.provider.state = "disabled"
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice, confirm=False)
        with freeze_time(TODAY), self.assertRaisesRegex(UserError, "Direct debit needs Odoo's Mollie payment provider"):
            arrangement.action_confirm()
        self.assertFalse(arrangement.confirmation_attachment_id)
