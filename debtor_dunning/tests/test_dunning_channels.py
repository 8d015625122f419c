# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
from datetime import timedelta

from freezegun import freeze_time
from PyPDF2 import PdfFileReader

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
class TestDunningChannels(DunningCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_fake_mollie()
        cls.Link = cls.env["debtor.dunning.payment.link"]

    def _sent(self, partner, days_late=10, amount=100.0):
        invoice = self._invoice(TODAY - timedelta(days=days_late), partner=partner, amount=amount)
        communication = self._run(TODAY).communication_ids.filtered(lambda c: c.partner_id == partner)
        communication._send()
        return invoice, communication

    def _webhook(self, mollie_id):
        return self.url_open("/debtor_dunning/mollie/webhook", data={"id": mollie_id})

    # ------------------------------------------------------------------ letters
    def test_the_letter_carries_a_qr_code_with_the_payment_link(self):
        self.provider.state = "disabled"
        invoice, communication = self._sent(self.debtor)
        self.assertFalse(communication.payment_link_id, "without Mollie, Odoo's own payment page")
        self.assertIn(f"/debtor_dunning/pay/{communication.id}?access_token=", communication._dunning_pay_online_url())
        qr_code = communication._payment_qr_code()
        self.assertTrue(qr_code.startswith("data:image/png;base64,"))
        self.assertEqual(base64.b64decode(qr_code.split(",", 1)[1])[:8], b"\x89PNG\r\n\x1a\n")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("debtor_dunning.action_report_debtor_dunning_letter", communication.ids)[0]
            .decode()
        )
        self.assertIn('alt="QR code" src="data:image/png;base64,', html)
        self.assertIn(communication._dunning_pay_online_url().replace("&", "&amp;"), html)
        self.assertNotIn(invoice.get_portal_url().split("?")[0], html, "one address for the letter, not the invoice's")
        self.assertIn(communication._reference(), html)

    def test_a_days_letters_print_as_one_pdf_and_stay_in_the_dossier(self):
        self.provider.state = "disabled"
        other = self.env["res.partner"].create(
            {"name": "Klaas Zonder Mail", "street": "Dorpsstraat 1", "zip": "1234 AB", "city": "Ergens"}
        )
        self._invoice(TODAY - timedelta(days=10), partner=self.debtor_without_email)
        self._invoice(TODAY - timedelta(days=12), partner=other)
        letters = self._run(TODAY).communication_ids
        letters.with_context(force_report_rendering=True)._send()
        self.assertEqual(set(letters.mapped("letter_state")), {"to_print"})
        to_print = self.Communication.search([("letter_state", "=", "to_print")])
        self.assertEqual(to_print, letters)
        action = self.Communication.with_context(force_report_rendering=True).action_print_letters()
        batch = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        pages = PdfFileReader(io.BytesIO(batch.raw)).getNumPages()
        self.assertGreaterEqual(pages, 2, "one PDF holding every letter")
        self.assertEqual(set(letters.mapped("letter_state")), {"printed"})
        self.assertTrue(all(letters.mapped("date_printed")))
        for letter in letters:
            self.assertEqual(letter.letter_attachment_id.mimetype, "application/pdf")
            self.assertIn(letter.letter_attachment_id, letter.move_ids.dunning_line_ids.pdf_attachment_id)

    def test_letters_share_wkhtmltopdf_calls_and_a_long_one_gets_its_own(self):
        """wkhtmltopdf costs over a second per call: a batch of one-page letters takes one call."""
        self.provider.state = "disabled"
        debtors = self.env["res.partner"].create(
            [{"name": f"Debtor {number}", "email": f"debtor{number}@example.nl"} for number in range(5)]
        )
        for debtor in debtors:
            self._invoice(TODAY - timedelta(days=10), partner=debtor)
        for days in range(45):  # one letter listing 45 invoices: more than a page
            self._invoice(TODAY - timedelta(days=10 + days % 5), partner=debtors[4], amount=10.0 + days)
        letters = self._run(TODAY).communication_ids.filtered(lambda c: c.partner_id in debtors)
        long_letter = letters.filtered(lambda c: c.partner_id == debtors[4])

        def pages(letter):
            return PdfFileReader(io.BytesIO(letter.letter_attachment_id.raw)).getNumPages()

        with self._counting_wkhtmltopdf_calls() as calls:
            (letters - long_letter)[:3].with_context(force_report_rendering=True)._send()
            self.assertEqual(calls, [1], "three one-page letters, one wkhtmltopdf call")
        short_letters = (letters - long_letter)[:3]
        self.assertEqual([pages(letter) for letter in short_letters], [1, 1, 1])
        self.assertEqual(len(set(short_letters.letter_attachment_id.mapped("checksum"))), 3, "each its own letter")
        self.assertEqual(set(short_letters.mapped("state")), {"sent"})

        batch = long_letter | (letters - long_letter)[3:]
        with self._counting_wkhtmltopdf_calls() as calls:
            batch.with_context(force_report_rendering=True)._send()
        self.assertGreater(pages(long_letter), 1)
        self.assertEqual(pages((letters - long_letter)[3:]), 1)
        self.assertEqual(set(batch.mapped("state")), {"sent"})
        self.assertEqual(len(calls), 3, "the joined try, then each letter on its own")

    # ------------------------------------------------------------------ calls
    @freeze_time(TODAY)
    def test_call_outcomes_go_into_the_dossier_and_place_blocks(self):
        self.provider.state = "disabled"
        self.levels.filtered(lambda level: level.sequence == 2).channel_call = True
        first = self._invoice(TODAY - timedelta(days=10))
        second = self._invoice(TODAY - timedelta(days=11))
        communication = self._run(TODAY).communication_ids.filtered(lambda c: c.partner_id == self.debtor)
        communication._send()
        self.assertEqual(communication.call_state, "planned")
        call = communication.call_activity_id
        self.assertEqual(call.res_id, self.debtor.id)

        def log(outcome, **values):
            wizard = self.env["debtor.dunning.call.outcome"].create(
                {"communication_id": communication.id, "outcome": outcome, **values}
            )
            wizard.action_confirm()

        log("promise", promise_date=TODAY + timedelta(days=5), note="Pays Friday")
        self.assertFalse(call.exists() and call.active, "the call task is done")
        promise = self.env["debtor.dunning.block"].search([("partner_id", "=", self.debtor.id)])
        self.assertEqual((promise.template_id.name, promise.date_end), ("Promise to pay", TODAY + timedelta(days=5)))
        self.assertEqual((communication.call_state, communication.call_outcome), ("done", "promise"))
        self.assertIn("Pays Friday", communication.call_note)
        # The date as the controller's language writes it (en_US here), not as ISO.
        self.assertIn("(promised: $\xa0200.00 by 06/06/2026)", communication.call_note)
        log("dispute", move_ids=[(6, 0, second.ids)], note="Wrong quantity")
        self.assertEqual(second.dunning_block_ids.template_id.name, "Dispute")
        self.assertFalse(first.dunning_block_ids)
        log("not_reached")
        self.assertTrue(communication.call_activity_id, "a new call is planned")
        self.assertEqual(communication.call_activity_id.date_deadline, TODAY + timedelta(days=2))
        log("wrong_number", note="Number belongs to someone else")
        self.assertEqual(communication.call_outcome, "wrong_number")
        logged = communication.message_ids.filtered(lambda m: "Call logged" in (m.body or ""))
        self.assertEqual(len(logged), 4)

    # ------------------------------------------------------------------ Mollie
    def test_a_mollie_link_is_sent_paid_and_booked_exactly_once(self):
        invoice, communication = self._sent(self.debtor, amount=121.0)
        link = communication.payment_link_id
        self.assertEqual((link.state, link.amount), ("open", 121.0), communication.outcome)
        self.assertTrue(link.mollie_id.startswith("pl_"))
        self.assertIn(link.url, communication.mail_message_id.body)
        self.assertEqual(communication._dunning_pay_online_url(), link.url)
        payment_id = self.mollie.pay(link.mollie_id)
        with mute_logger("odoo.addons.debtor_dunning.controllers.mollie"):
            for mollie_id in (payment_id, payment_id, "tr_forged123", "pl_forged123", "no-id"):
                self.assertEqual(self._webhook(mollie_id).status_code, 200)
        payments = self.env["account.payment"].search([("partner_id", "=", self.debtor.id)])
        self.assertEqual(len(payments), 1, "two webhooks, one booking; forged ids change nothing")
        self.assertEqual(payments.amount, 121.0)
        self.assertEqual(payments.journal_id, self.provider.journal_id)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual((link.state, link.mollie_payment_id), ("paid", payment_id))
        self._run(TODAY + timedelta(days=30))
        self.assertEqual(self._levels_of(invoice), [2], "a paid invoice is no longer chased")

    def test_the_scheduled_check_finds_payments_whose_webhook_was_lost(self):
        invoice, communication = self._sent(self.debtor)
        self.mollie.pay(communication.payment_link_id.mollie_id)
        cron = self.env.ref("debtor_dunning.ir_cron_debtor_dunning_check_payment_links")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        communication.payment_link_id.invalidate_recordset()
        self.assertEqual(communication.payment_link_id.state, "paid")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_a_payment_after_a_partial_bank_payment_is_booked_without_error(self):
        invoice, communication = self._sent(self.debtor, amount=100.0)
        self._register_payment(invoice, amount=40.0, payment_date=TODAY)
        self.mollie.pay(communication.payment_link_id.mollie_id)
        self._webhook(communication.payment_link_id.mollie_id)
        self.assertEqual(invoice.amount_residual, 0.0)
        mollie_payment = communication.payment_link_id.payment_id
        self.assertEqual(mollie_payment.amount, 100.0, "what the debtor paid, no more and no less")
        self.assertAlmostEqual(mollie_payment.move_id.line_ids.filtered("reconciled").amount_residual, 0.0)

    def test_mollie_trouble_never_stops_a_letter(self):
        self.mollie.fail_with = 401
        try:
            invoice, communication = self._sent(self.debtor)
        finally:
            self.mollie.fail_with = None
        self.assertEqual(communication.state, "sent", communication.error_message)
        self.assertFalse(communication.payment_link_id)
        self.assertIn("Mollie payment link not created", communication.outcome)
        self.assertIn(communication._dunning_pay_online_path().split("?")[0], communication.mail_message_id.body)
        self.mollie.fail_with = 429
        try:
            with mute_logger("odoo.addons.debtor_dunning.controllers.mollie"):
                self.assertEqual(self._webhook("tr_whatever1").status_code, 200)
        finally:
            self.mollie.fail_with = None
