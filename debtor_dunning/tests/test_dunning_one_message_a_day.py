# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TODAY, DunningCommon

SENDING_TIME = datetime(2026, 6, 1, 10, 0)


@tagged("post_install", "-at_install")
class TestDunningOneMessageADay(DunningCommon):
    """Several letters decided for one debtor on one day reach him in one e-mail and one SMS."""

    def _notice_and_reminder(self, partner=None):
        """A notice before the due date and a reminder for one debtor, decided by one run."""
        partner = partner or self.debtor
        upcoming = self._invoice(TODAY + timedelta(days=3), partner=partner)
        overdue = self._invoice(TODAY - timedelta(days=10), partner=partner)
        letters = self._run(TODAY).communication_ids.filtered(lambda c: c.partner_id == partner)
        self.assertEqual(sorted(letters.level_id.mapped("sequence")), [1, 2])
        return upcoming, overdue, letters

    def _outgoing_mails_to(self, partner):
        return self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])

    def test_a_notice_and_a_reminder_go_out_in_one_email_with_both_letters(self):
        upcoming, overdue, letters = self._notice_and_reminder()
        letters._send()
        self.assertEqual(letters.mapped("state"), ["sent", "sent"], letters.mapped("error_message"))
        self.assertEqual(letters.mapped("email_state"), ["sent", "sent"])
        message = letters.mail_message_id
        self.assertEqual(len(message), 1, "one e-mail for both letters")
        self.assertEqual(len(self._outgoing_mails_to(self.debtor)), 1)
        self.assertEqual(message.attachment_ids, letters.letter_attachment_id)
        self.assertEqual(len(letters.letter_attachment_id), 2, "each letter its own PDF")
        reminder = letters.filtered(lambda c: c.level_id.sequence == 2)
        self.assertEqual((message.model, message.res_id), (reminder._name, reminder.id), "on the most urgent letter")
        self.assertIn("Friendly reminder", message.subject)
        self.assertIn(upcoming.name, message.body)
        self.assertIn(overdue.name, message.body)
        self.assertIn("This e-mail holds 2 letters", message.body)
        # Each letter stays its own record in its invoice's dossier.
        self.assertEqual(upcoming.dunning_line_ids.communication_id, letters - reminder)
        self.assertEqual(overdue.dunning_line_ids.communication_id, reminder)
        self.assertEqual(upcoming.dunning_line_ids.pdf_attachment_id, (letters - reminder).letter_attachment_id)
        self.assertIn("in one e-mail with", (letters - reminder).outcome)

    def test_letters_in_two_currencies_go_out_in_one_email(self):
        self._invoice(TODAY - timedelta(days=10))
        self._invoice(TODAY - timedelta(days=10), currency=self.other_currency)
        letters = self._run(TODAY).communication_ids
        self.assertEqual(len(letters.currency_id), 2)
        letters._send()
        self.assertEqual(len(letters.mail_message_id), 1)
        self.assertEqual(len(self._outgoing_mails_to(self.debtor)), 1)
        self.assertEqual(letters.mail_message_id.attachment_ids, letters.letter_attachment_id)

    def test_other_debtors_get_their_own_email(self):
        other = self.env["res.partner"].create({"name": "Other Debtor", "email": "other@example.nl"})
        self._invoice(TODAY - timedelta(days=10))
        self._invoice(TODAY - timedelta(days=10), partner=other)
        letters = self._run(TODAY).communication_ids
        letters._send()
        self.assertEqual(len(letters.mail_message_id), 2)
        self.assertEqual(len(self._outgoing_mails_to(other)), 1)

    def test_the_scheduled_step_never_splits_a_debtors_letters_over_batches(self):
        _upcoming, _overdue, letters = self._notice_and_reminder()
        self._invoice(TODAY - timedelta(days=10), partner=self.debtor_without_email)
        self._run(TODAY)
        cron = self.env.ref("debtor_dunning.ir_cron_debtor_dunning_send")
        with (
            patch("odoo.addons.debtor_dunning.models.debtor_dunning_communication.SEND_BATCH_SIZE", 1),
            self.enter_registry_test_mode(),
        ):
            cron.method_direct_trigger()
        letters.invalidate_recordset()
        self.assertEqual(letters.mapped("state"), ["sent", "sent"])
        self.assertEqual(len(letters.mail_message_id), 1, "a batch of one letter still takes the debtor's other")

    def test_one_sms_a_day_per_number(self):
        self.levels.filtered(lambda level: level.sequence in (1, 2, 3)).channel_sms = True
        self.debtor.write({"phone": "06 12345678", "country_id": self.env.ref("base.nl").id})
        _upcoming, _overdue, letters = self._notice_and_reminder()
        with freeze_time(SENDING_TIME):
            letters._send()
        sms = self.env["sms.sms"].search([("number", "=", "+31612345678")])
        self.assertEqual(len(sms), 1, "two letters, one SMS")
        reminder = letters.filtered(lambda c: c.level_id.sequence == 2)
        self.assertEqual(reminder.sms_number, "+31612345678", "the most urgent letter's SMS")
        self.assertIn("SMS sent to +31612345678.", reminder.outcome)
        self.assertIn("SMS not sent: +31612345678 already had one today", (letters - reminder).outcome)

        # A letter sent later that day, in another batch, sends no second SMS; the next day it may.
        self._invoice(TODAY - timedelta(days=10), currency=self.other_currency)
        later = self._run(TODAY + timedelta(days=1)).communication_ids
        self.assertEqual(len(later), 1)
        with freeze_time(SENDING_TIME + timedelta(hours=5)):
            later._send()
        self.assertIn("already had one today", later.outcome)
        self.assertEqual(later.state, "sent", "the other channels went out")
        self.assertEqual(later.email_state, "sent")
        next_day = self._run(TODAY + timedelta(days=20)).communication_ids.filtered(lambda c: c.channel_sms)
        with freeze_time(SENDING_TIME + timedelta(days=1)):
            next_day[:1]._send()
        self.assertIn("SMS sent to +31612345678.", next_day[:1].outcome)
        self.assertEqual(len(self.env["sms.sms"].search([("number", "=", "+31612345678")])), 2)
