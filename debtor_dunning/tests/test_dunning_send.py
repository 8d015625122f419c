# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
class TestDunningSend(DunningCommon):
    def _decided(self, partner, days_late=10):
        invoice = self._invoice(TODAY - timedelta(days=days_late), partner=partner)
        run = self._run(TODAY)
        return invoice, run.communication_ids.filtered(lambda c: c.partner_id == partner)

    def test_email_goes_to_the_invoice_address_with_the_letter_attached(self):
        accounts = self.env["res.partner"].create(
            {"name": "Crediteuren", "type": "invoice", "parent_id": self.debtor.id, "email": "ap@jansen.example.nl"}
        )
        invoice, communication = self._decided(self.debtor)
        self.assertEqual(communication.recipient_id, accounts)
        self.assertEqual(communication.state, "queued")
        communication._send()
        self.assertEqual((communication.state, communication.email_state), ("sent", "sent"))
        self.assertTrue(communication.letter_attachment_id, "the letter is archived")
        message = communication.mail_message_id
        self.assertIn(accounts, message.partner_ids)
        self.assertIn(communication.letter_attachment_id, message.attachment_ids)
        self.assertIn(invoice.name, message.body)
        self.assertIn(communication._dunning_pay_online_path().split("?")[0], message.body, "a link to pay online")
        self.assertIn(invoice.get_portal_url().split("?")[0], message.body, "a link to the invoice's page")
        self.assertEqual(invoice.dunning_line_ids.pdf_attachment_id, communication.letter_attachment_id)

    def test_each_invoice_an_email_covered_notes_the_reminder_in_its_chatter(self):
        first = self._invoice(TODAY - timedelta(days=10), partner=self.debtor)
        second = self._invoice(TODAY - timedelta(days=12), partner=self.debtor)
        communication = self._run(TODAY).communication_ids
        self.assertEqual(communication.move_ids, first | second)
        communication._send()
        for invoice in (first, second):
            notes = invoice.message_ids.filtered(lambda m: communication.name in (m.body or ""))
            self.assertEqual(len(notes), 1, invoice.name)
            self.assertIn(f"{communication.level_id.name} sent by e-mail", notes.body)
            self.assertIn(f'data-oe-id="{communication.id}"', notes.body, "a link to the letter")
            self.assertFalse(notes.notified_partner_ids, "the invoice's followers are not disturbed")

    def test_a_printed_letter_has_no_reminder_note_on_the_invoice(self):
        invoice, communication = self._decided(self.debtor_without_email)
        communication._send()
        self.assertFalse(invoice.message_ids.filtered(lambda m: communication.name in (m.body or "")))

    def test_the_letter_prints_what_the_run_saw_not_what_is_true_later(self):
        invoice, communication = self._decided(self.debtor, days_late=10)
        line = invoice.dunning_line_ids
        self.assertEqual((line.invoice_date_due, line.days_overdue), (TODAY - timedelta(days=10), 10))
        with freeze_time(TODAY + timedelta(days=30)):
            html = self._letter_html(communication)
        row = etree.fromstring(html, etree.HTMLParser()).xpath("//table[@name='invoice_table']/tbody/tr")
        self.assertEqual(len(row), 1)
        cells = {td.get("name"): " ".join(td.itertext()).strip() for td in row[0].xpath("td")}
        self.assertEqual(cells["td_days_overdue"], "10", "days overdue on the letter's date, from the dossier line")
        self.assertEqual(cells["td_invoice"], invoice.name)

    def test_a_debtor_without_email_gets_a_printed_letter_and_a_call(self):
        _invoice, communication = self._decided(self.debtor_without_email)
        communication._send()
        self.assertEqual(communication.state, "sent")
        self.assertEqual((communication.email_state, communication.letter_state), ("no_address", "to_print"))
        self.assertTrue(communication.letter_attachment_id)
        call = self.debtor_without_email.activity_ids
        self.assertEqual(call.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertIn("No e-mail address", communication.outcome)

    def _letter_html(self, communication):
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html("debtor_dunning.action_report_debtor_dunning_letter", communication.ids)[0]
            .decode()
        )

    def test_the_printed_letter_carries_the_invoice_contacts_address_else_the_debtors(self):
        self.debtor.write({"street": "Dorpsstraat 1", "zip": "1234 AB", "city": "Ergens"})
        accounts = self.env["res.partner"].create(
            {
                "name": "Crediteuren",
                "type": "invoice",
                "parent_id": self.debtor.id,
                "email": "ap@jansen.example.nl",
                "street": "Postbus 12",
                "zip": "3500 AA",
                "city": "Utrecht",
            }
        )
        _invoice, communication = self._decided(self.debtor)
        self.assertEqual(communication.recipient_id, accounts)
        html = self._letter_html(communication)
        self.assertIn("Postbus 12", html)
        self.assertNotIn("Dorpsstraat 1", html)
        accounts.write({"street": False, "city": False, "zip": False})
        html = self._letter_html(communication)
        self.assertIn("Dorpsstraat 1", html, "no address of his own: the debtor's")
        self.assertIn("1234 AB", html)

    def test_the_printed_letter_goes_to_the_invoice_contact_that_has_a_postal_address_even_without_email(self):
        self.debtor.write({"street": "Dorpsstraat 1", "zip": "1234 AB", "city": "Ergens"})
        by_post = self.env["res.partner"].create(
            {
                "name": "Administratie",
                "type": "invoice",
                "parent_id": self.debtor.id,
                "street": "Postbus 99",
                "zip": "3500 AA",
                "city": "Utrecht",
            }
        )
        by_email = self.env["res.partner"].create(
            {"name": "Crediteuren", "type": "invoice", "parent_id": self.debtor.id, "email": "ap@jansen.example.nl"}
        )
        _invoice, communication = self._decided(self.debtor)
        self.assertEqual(communication.recipient_id, by_email, "the e-mail goes to the contact with an e-mail address")
        html = self._letter_html(communication)
        self.assertIn("Postbus 99", html, "the letter goes to the invoice contact with a postal address")
        self.assertNotIn("Dorpsstraat 1", html)
        by_email.write({"street": "Stationsplein 3", "zip": "3511 ED", "city": "Utrecht"})
        html = self._letter_html(communication)
        self.assertIn("Stationsplein 3", html, "the recipient's own postal address, when he has one, comes first")
        self.assertNotIn("Postbus 99", html)
        by_post.active = False
        by_email.write({"street": False})
        self.assertIn("Dorpsstraat 1", self._letter_html(communication), "no invoice contact to post to: the debtor")

    def test_a_debtor_without_address_is_sent_the_letter_at_his_invoice_contacts_postal_address(self):
        nowhere = self.env["res.partner"].create({"name": "Jan Nergens", "lang": "en_US", "is_company": True})
        self.env["res.partner"].create(
            {
                "name": "Boekhouding Nergens",
                "type": "invoice",
                "parent_id": nowhere.id,
                "street": "Postbus 7",
                "zip": "9700 AA",
                "city": "Groningen",
            }
        )
        _invoice, communication = self._decided(nowhere)
        communication._send()
        self.assertEqual((communication.email_state, communication.letter_state), ("no_address", "to_print"))
        self.assertIn("Letter ready to print.", communication.outcome)
        self.assertIn("Postbus 7", self._letter_html(communication))

    def test_a_letter_without_postal_address_is_not_printed_and_says_so(self):
        nowhere = self.env["res.partner"].create({"name": "Jan Nergens", "lang": "en_US", "street": "Dorpsstraat 1"})
        _invoice, communication = self._decided(nowhere)
        communication._send()
        self.assertEqual(communication.state, "sent", communication.error_message)
        self.assertEqual((communication.email_state, communication.letter_state), ("no_address", "none"))
        self.assertIn("No postal address: Jan Nergens has no street and city", communication.outcome)
        self.assertEqual(communication.call_state, "planned", "the controller calls instead")
        self.assertNotIn(communication, self.Communication.search([("letter_state", "=", "to_print")]))

    def test_a_letter_approved_days_after_its_run_states_the_days_overdue_on_its_new_date(self):
        self.levels.filtered(lambda level: level.sequence in (1, 2)).requires_approval = True
        overdue = self._invoice(TODAY - timedelta(days=10))
        not_yet_due = self._invoice(TODAY + timedelta(days=4), partner=self.debtor_without_email)
        letters = self._run(TODAY).communication_ids
        self.assertEqual(letters.mapped("state"), ["to_approve", "to_approve"])
        self.assertEqual((overdue.dunning_line_ids.days_overdue, not_yet_due.dunning_line_ids.days_overdue), (10, 0))
        approved_on = TODAY + timedelta(days=6)
        with freeze_time(approved_on):
            letters.action_approve()
        self.assertEqual(letters.mapped("date"), [approved_on, approved_on])
        self.assertEqual(overdue.dunning_line_ids.date, approved_on)
        self.assertEqual(overdue.dunning_line_ids.days_overdue, 16, "six days later, six days more overdue")
        self.assertEqual(not_yet_due.dunning_line_ids.days_overdue, 2, "counted from its due date, two days ago")
        letter = overdue.dunning_line_ids.communication_id
        row = etree.fromstring(self._letter_html(letter), etree.HTMLParser()).xpath(
            "//table[@name='invoice_table']/tbody/tr/td[@name='td_days_overdue']"
        )
        self.assertEqual([" ".join(cell.itertext()).strip() for cell in row], ["16"])

    def test_a_failure_is_shown_on_the_letter_retried_and_then_marked_failed(self):
        _invoice, communication = self._decided(self.debtor)
        with (
            patch.object(type(self.Communication), "_render_letter", side_effect=RuntimeError("printer on fire")),
            mute_logger("odoo.addons.debtor_dunning.models.debtor_dunning_communication"),
        ):
            communication._send()
            self.assertEqual((communication.state, communication.send_attempts), ("queued", 1))
            self.assertIn("printer on fire", communication.error_message)
            communication._send()
            communication._send()
        self.assertEqual(communication.state, "failed")
        communication.action_retry()
        communication._send()
        self.assertEqual((communication.state, communication.error_message), ("sent", False))

    def test_the_scheduled_step_sends_what_the_run_decided(self):
        self._decided(self.debtor)
        self._decided(self.debtor_without_email)
        queued = self.Communication.search([("state", "=", "queued")])
        self.assertEqual(len(queued), 2)
        cron = self.env.ref("debtor_dunning.ir_cron_debtor_dunning_send")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        queued.invalidate_recordset()
        self.assertEqual(queued.mapped("state"), ["sent", "sent"])

    def test_the_scheduled_run_decides_for_today(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        cron = self.env.ref("debtor_dunning.ir_cron_debtor_dunning_run")
        with freeze_time(TODAY), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        invoice.invalidate_recordset()
        self.assertEqual(self._levels_of(invoice), [2])

    def test_a_cancelled_letter_frees_the_level(self):
        invoice, communication = self._decided(self.debtor)
        communication.action_cancel()
        self.assertFalse(invoice.dunning_level_id)
        self._run(TODAY + timedelta(days=1))
        self.assertEqual(self._levels_of(invoice), [2, 2], "one cancelled, one new")
        self.assertEqual(len(invoice.dunning_line_ids.filtered(lambda line: not line.is_cancelled)), 1)

    def test_sms_goes_to_a_valid_mobile_number_and_a_bad_number_is_reported(self):
        self.levels.filtered(lambda level: level.sequence == 2).channel_sms = True
        netherlands = self.env.ref("base.nl")
        self.debtor.write({"phone": "06 12345678", "country_id": netherlands.id})
        self.debtor_without_email.write({"phone": "030 123 4567", "country_id": netherlands.id})
        _invoice, communication = self._decided(self.debtor)
        other = self.Communication.search([("partner_id", "=", self.debtor_without_email.id)])
        self.assertFalse(other)
        self._invoice(TODAY - timedelta(days=10), partner=self.debtor_without_email)
        other = self._run(TODAY + timedelta(days=1)).communication_ids
        (communication | other)._send()
        sms = self.env["sms.sms"].search([("number", "=", "+31612345678")])
        self.assertEqual(len(sms), 1)
        self.assertIn("Please pay by", sms.body)
        self.assertIn("SMS sent to +31612345678.", communication.outcome)
        self.assertEqual(other.state, "sent", "a bad number never blocks the other channels")
        self.assertIn("is not a mobile number", other.outcome)
        self.assertEqual(other.letter_state, "to_print")
