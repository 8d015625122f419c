# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import DunningCommon

CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestDunningPortal(DunningCommon, HttpCase):
    """The debtor's side of dunning in the customer portal, and what the company sees of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.controller = new_test_user(
            cls.env,
            login="controller",
            name="Carla Controller",
            email="carla@company.example.nl",
            groups="base.group_user,debtor_dunning.group_debtor_dunning_controller",
            company_id=cls.company.id,
        )
        cls.debtor.user_id = cls.controller
        cls.debtor_contact = cls.env["res.partner"].create(
            {"name": "Jan Jansen", "parent_id": cls.debtor.id, "email": "jan@jansen.example.nl", "lang": "en_US"}
        )
        cls.debtor_portal = new_test_user(
            cls.env, login="jan_portal", groups="base.group_portal", partner_id=cls.debtor_contact.id
        )
        cls.other_debtor = cls.env["res.partner"].create(
            {"name": "Slagerij De Vries", "is_company": True, "email": "info@devries.example.nl", "lang": "en_US"}
        )
        cls.other_portal = new_test_user(
            cls.env,
            login="vries_portal",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "Kees de Vries", "parent_id": cls.other_debtor.id, "email": "kees@devries.example.nl"})
            .id,
        )
        cls.invoice = cls._invoice(cls.today - timedelta(days=5))
        cls.other_invoice = cls._invoice(cls.today - timedelta(days=5), partner=cls.other_debtor)
        runs = cls.Run.execute(date=cls.today)
        cls.communications = runs.communication_ids.filtered(lambda c: c.partner_id in cls.debtor | cls.other_debtor)
        cls.communications._send()
        cls.letter = cls.invoice._dunning_portal_letters()
        cls.DebtorMessage = cls.env["debtor.dunning.debtor.message"]

    # ------------------------------------------------------------------ helpers
    def _reminder_link(self, invoice):
        """The link to the invoice in the reminder e-mail the debtor received."""
        communication = self.communications.filtered(lambda c: invoice in c.move_ids)
        body = str(communication.mail_message_id.body)
        links = re.findall(rf'href="([^"]*/my/invoices/{invoice.id}\?[^"]*)"', body)
        self.assertTrue(links, "the reminder links to the invoice's portal page")
        return links[0].replace("&amp;", "&").replace(self.base_url(), "")

    def _page(self, url, status=200):
        response = self.url_open(url)
        self.assertEqual(response.status_code, status)
        return response

    def _post(self, invoice, kind, body, access_token=None, dispute_reason=None, page_url=None, files=None):
        page = self.url_open(page_url or invoice.get_portal_url())
        csrf = CSRF_RE.search(page.text)
        if not csrf:  # a visitor who may not see the invoice: take a token from a page he may see
            csrf = CSRF_RE.search(self.url_open("/web/login").text)
        data = {"csrf_token": csrf.group(1), "kind": kind, "body": body}
        if access_token:
            data["access_token"] = access_token
        if dispute_reason:
            data["dispute_reason"] = dispute_reason
        return self.url_open(f"/my/invoices/{invoice.id}/dunning_message", data=data, files=files)

    def _assert_nothing_leaks(self, response, invoice):
        self.assertNotIn(invoice.name, response.text)
        self.assertNotIn("o_dunning_letters", response.text)
        self.assertNotIn(invoice.partner_id.name, response.text)

    # ------------------------------------------------------------------ what the debtor sees
    def test_the_reminder_link_shows_the_status_and_the_letters(self):
        self.assertEqual(self.invoice.dunning_state, "in_progress")
        self.assertTrue(self.letter.pdf_attachment_id, "the reminder was archived as a letter")
        self.authenticate(None, None)
        page = self._page(self._reminder_link(self.invoice))
        self.assertIn(self.invoice.name, page.text)
        self.assertIn("o_dunning_portal_status_overdue", page.text)
        self.assertIn(self.letter.level_id.name, page.text)
        letter_url = f"/my/invoices/{self.invoice.id}/dunning_letter/{self.letter.id}"
        self.assertIn(letter_url, page.text)
        self.assertIn('data-bs-target="#pay_with"', page.text, "he can pay online")
        pdf = self._page(f"{letter_url}?access_token={self.invoice.access_token}")
        self.assertEqual(pdf.content, self.letter.pdf_attachment_id.raw)

    def test_the_portal_login_shows_his_own_invoices_with_their_status(self):
        self.authenticate("jan_portal", "jan_portal")
        listing = self._page("/my/invoices")
        self.assertIn(self.invoice.name, listing.text)
        self.assertIn("o_dunning_portal_status_overdue", listing.text)
        self.assertNotIn(self.other_invoice.name, listing.text)
        page = self._page(f"/my/invoices/{self.invoice.id}")
        self.assertIn(self.letter.level_id.name, page.text)
        response = self._post(
            self.invoice, "question", "May I pay in two parts?", page_url=f"/my/invoices/{self.invoice.id}"
        )
        self.assertEqual(response.status_code, 200)
        message = self.DebtorMessage.search([("move_id", "=", self.invoice.id)])
        self.assertEqual((message.kind, message.author_id), ("question", self.debtor_contact))

    # ------------------------------------------------------------------ dispute and question
    def test_a_dispute_blocks_the_invoice_at_once_and_the_page_says_so(self):
        self.authenticate(None, None)
        response = self._post(
            self.invoice,
            "dispute",
            "We received 8 crates, not 10.",
            access_token=self.invoice.access_token,
            dispute_reason="amount",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your dispute has been registered", response.text)
        self.assertIn("o_dunning_dispute_notice", response.text)
        self.assertIn("o_dunning_portal_status_paused", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.invoice.dunning_state, "blocked")
        block = self.invoice.dunning_block_ids
        self.assertEqual(block.template_id, self.env.ref("debtor_dunning.block_template_dispute"))
        self.assertEqual((block.state, block.user_id), ("active", self.controller))
        message = self.DebtorMessage.search([("move_id", "=", self.invoice.id)])
        self.assertRecordValues(
            message,
            [{"kind": "dispute", "dispute_reason": "amount", "state": "open", "partner_id": self.debtor.id}],
        )
        self.assertEqual(message.block_id, block)
        self.assertEqual(message.message_id.author_id, self.invoice.partner_id)
        self.assertIn("We received 8 crates, not 10.", str(message.message_id.body))
        activity = self.invoice.activity_ids
        self.assertEqual(activity.user_id, self.controller, "the responsible controller gets an activity")
        self.assertEqual(activity.activity_type_id, self.env.ref("debtor_dunning.mail_activity_type_debtor_message"))
        # The next run sends nothing for the disputed invoice.
        self.assertFalse(self.invoice.dunning_next_level_id)

    def test_a_dispute_needs_a_reason_and_a_message(self):
        self.authenticate(None, None)
        response = self._post(self.invoice, "dispute", "Wrong", access_token=self.invoice.access_token)
        self.assertIn("o_dunning_error", response.text)
        self.env.invalidate_all()
        self.assertFalse(self.DebtorMessage.search([("move_id", "=", self.invoice.id)]))
        self.assertEqual(self.invoice.dunning_state, "in_progress")

    def test_a_question_does_not_pause_unless_the_company_says_so(self):
        self.authenticate(None, None)
        self._post(self.invoice, "question", "Which order is this?", access_token=self.invoice.access_token)
        self.env.invalidate_all()
        question = self.DebtorMessage.search([("move_id", "=", self.invoice.id)])
        self.assertEqual(question.kind, "question")
        self.assertFalse(question.block_id)
        self.assertEqual(self.invoice.dunning_state, "in_progress")
        self.assertTrue(self.invoice.activity_ids, "the controller still gets an activity")

        self.company.dunning_question_pauses = True
        other = self._invoice(self.today - timedelta(days=3))
        self._post(other, "question", "Is this a duplicate?", access_token=other._portal_ensure_token())
        self.env.invalidate_all()
        self.assertEqual(other.dunning_state, "blocked")
        self.assertEqual(
            other.dunning_block_ids.template_id, self.env.ref("debtor_dunning.block_template_debtor_question")
        )

    def test_an_attachment_goes_with_the_message(self):
        self.authenticate(None, None)
        self._post(
            self.invoice,
            "dispute",
            "See the delivery note.",
            access_token=self.invoice.access_token,
            dispute_reason="not_received",
            files={"attachments": ("delivery-note.txt", b"8 crates", "text/plain")},
        )
        message = self.DebtorMessage.search([("move_id", "=", self.invoice.id)])
        self.assertEqual(message.attachment_ids.mapped("name"), ["delivery-note.txt"])
        self.assertEqual(message.attachment_ids.raw, b"8 crates")

    # ------------------------------------------------------------------ the company's answer
    def test_the_answer_reaches_the_debtor_and_internal_notes_do_not(self):
        self.authenticate(None, None)
        self._post(
            self.invoice, "dispute", "Wrong amount.", access_token=self.invoice.access_token, dispute_reason="amount"
        )
        self.env.invalidate_all()
        message = self.DebtorMessage.search([("move_id", "=", self.invoice.id)])
        invoice = self.invoice.with_user(self.controller)
        note = invoice.message_post(body="Internal: debtor is slow payer", subtype_xmlid="mail.mt_note")
        self.assertEqual(message.state, "open", "an internal note is no answer")
        answer = invoice.message_post(
            body="We checked the delivery note and will credit 2 crates.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual((message.state, message.answer_message_id), ("answered", answer))
        self.assertFalse(self.invoice.activity_ids, "answering closes the controller's activity")
        self.assertEqual(self.invoice.dunning_state, "blocked", "a dispute stays blocked until it is resolved")
        # The debtor is told by e-mail.
        mail = self.env["mail.mail"].search([("mail_message_id", "=", answer.id)])
        self.assertIn(self.invoice.partner_id, mail.recipient_ids)
        self.assertFalse(self.env["mail.mail"].search([("mail_message_id", "=", note.id)]))
        # The portal shows the answer, not the note.
        fetched = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": "account.move", "thread_id": self.invoice.id, "token": self.invoice.access_token},
        )
        self.assertIn(answer.id, fetched["messages"])
        self.assertNotIn(note.id, fetched["messages"])
        self.assertNotIn("slow payer", str(fetched))
        page = self._page(self.invoice.get_portal_url())
        self.assertIn("Answered", page.text)
        self.assertNotIn("slow payer", page.text)

    def test_resolving_the_dispute_lifts_the_block_and_resumes_dunning(self):
        self.authenticate(None, None)
        self._post(
            self.invoice, "dispute", "Wrong amount.", access_token=self.invoice.access_token, dispute_reason="amount"
        )
        self.env.invalidate_all()
        message = self.DebtorMessage.search([("move_id", "=", self.invoice.id)])
        level = self.invoice.dunning_level_id
        message.with_user(self.controller).action_resolve()
        self.assertEqual(message.state, "resolved")
        self.assertEqual(message.block_id.state, "lifted")
        self.assertEqual(self.invoice.dunning_state, "in_progress")
        self.assertEqual(self.invoice.dunning_level_id, level, "dunning resumes where it stopped")
        self.assertEqual(self.invoice.dunning_next_level_id.sequence, level.sequence + 1)
        self.assertFalse(self.invoice.activity_ids)
        page = self._page(self.invoice.get_portal_url())
        self.assertNotIn("o_dunning_dispute_notice", page.text)
        self.assertIn("Resolved", page.text)

    def _debtor_emails(self, body):
        """The debtor's contact writes about the invoice by e-mail; his message as the company files it."""
        self.invoice.message_post(
            body=body, author_id=self.debtor_contact.id, message_type="email", subtype_xmlid="mail.mt_comment"
        )
        return self.DebtorMessage.search([("move_id", "=", self.invoice.id)])

    def test_an_email_reply_of_the_debtor_is_a_question(self):
        message = self._debtor_emails("Can you send the order number?")
        self.assertRecordValues(message, [{"kind": "question", "state": "open", "author_id": self.debtor_contact.id}])
        self.assertEqual(self.invoice.activity_ids.user_id, self.controller)

    def test_sending_the_invoice_again_answers_no_question(self):
        question = self._debtor_emails("Which order is this for?")
        self.env["account.move.send.wizard"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({}).action_send_and_print()
        self.assertTrue(
            self.invoice.message_ids.filtered(lambda m: m.message_type == "comment" and m.attachment_ids),
            "the invoice went out again by e-mail",
        )
        self.assertEqual(question.state, "open", "a copy of the invoice is no answer to his question")

    def test_the_company_sees_the_messages_in_its_list(self):
        self.authenticate(None, None)
        self._post(
            self.invoice, "dispute", "Wrong amount.", access_token=self.invoice.access_token, dispute_reason="amount"
        )
        messages = self.DebtorMessage.with_user(self.controller)
        self.assertEqual(messages.search_count([("state", "=", "open"), ("kind", "=", "dispute")]), 1)
        action = (
            self.env["ir.actions.act_window"]
            .with_user(self.controller)
            ._for_xml_id("debtor_dunning.action_debtor_dunning_debtor_message")
        )
        self.assertEqual(action["res_model"], "debtor.dunning.debtor.message")
        menu = self.env.ref("debtor_dunning.menu_debtor_dunning_debtor_message")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.controller)._visible_menu_ids())
        # The filters of the list: unanswered, disputes, by age.
        for name in ("unanswered", "disputes", "older_2_days", "older_7_days"):
            self.assertIn(f'name="{name}"', messages.get_views([(False, "search")])["views"]["search"]["arch"])

    # ------------------------------------------------------------------ security
    @mute_logger("odoo.http")
    def test_another_debtor_cannot_read_or_write_the_invoice(self):
        self.authenticate("vries_portal", "vries_portal")
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        self.assertNotIn(f"/my/invoices/{self.invoice.id}", page.url, "redirected away")
        self._assert_nothing_leaks(page, self.invoice)
        letter = self.url_open(f"/my/invoices/{self.invoice.id}/dunning_letter/{self.letter.id}")
        self.assertEqual(letter.status_code, 404)
        self._assert_nothing_leaks(letter, self.invoice)
        # His own letter id with someone else's invoice id gives nothing either.
        own_letter = self.other_invoice._dunning_portal_letters()
        mixed = self.url_open(
            f"/my/invoices/{self.invoice.id}/dunning_letter/{own_letter.id}?access_token={self.invoice.access_token}"
        )
        self.assertEqual(mixed.status_code, 404)
        response = self._post(
            self.invoice,
            "dispute",
            "Not ours",
            dispute_reason="other",
            page_url=f"/my/invoices/{self.other_invoice.id}",
        )
        self.assertEqual(response.status_code, 404)
        self._assert_nothing_leaks(response, self.invoice)
        self.env.invalidate_all()
        self.assertFalse(self.DebtorMessage.search([("move_id", "=", self.invoice.id)]))
        self.assertEqual(self.invoice.dunning_state, "in_progress")
        # Even with the other debtor's link, he does not write as that debtor.
        response = self._post(
            self.invoice,
            "dispute",
            "Not ours",
            access_token=self.invoice.access_token,
            dispute_reason="other",
            page_url=f"/my/invoices/{self.other_invoice.id}",
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.DebtorMessage.search([("move_id", "=", self.invoice.id)]))

    @mute_logger("odoo.http")
    def test_a_tampered_token_is_refused(self):
        self.authenticate(None, None)
        bad = self.invoice.access_token[:-4] + "beef"
        page = self.url_open(f"/my/invoices/{self.invoice.id}?access_token={bad}")
        self.assertNotIn(f"/my/invoices/{self.invoice.id}", page.url)
        self._assert_nothing_leaks(page, self.invoice)
        # The other debtor's (valid) token does not open this invoice.
        page = self.url_open(f"/my/invoices/{self.invoice.id}?access_token={self.other_invoice.access_token}")
        self._assert_nothing_leaks(page, self.invoice)
        letter = self.url_open(f"/my/invoices/{self.invoice.id}/dunning_letter/{self.letter.id}?access_token={bad}")
        self.assertEqual(letter.status_code, 404)
        self.assertNotEqual(letter.content, self.letter.pdf_attachment_id.raw)
        response = self._post(
            self.invoice, "dispute", "x", access_token=bad, dispute_reason="other", page_url="/web/login"
        )
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertEqual(self.invoice.dunning_state, "in_progress")

    @mute_logger("odoo.http")
    def test_a_public_visitor_without_token_gets_nothing(self):
        self.authenticate(None, None)
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        self.assertNotIn(f"/my/invoices/{self.invoice.id}", page.url)
        self._assert_nothing_leaks(page, self.invoice)
        letter = self.url_open(f"/my/invoices/{self.invoice.id}/dunning_letter/{self.letter.id}")
        self.assertEqual(letter.status_code, 404)
        response = self._post(self.invoice, "question", "Hello", page_url="/web/login")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.DebtorMessage.search([("move_id", "=", self.invoice.id)]))
        fetched = self.url_open(
            "/mail/chatter_fetch",
            json={"params": {"thread_model": "account.move", "thread_id": self.invoice.id}},
        )
        self.assertNotIn("Friendly", fetched.text)
        self.assertNotIn(self.invoice.name, fetched.text)

    # ------------------------------------------------------------------ browser
    def test_tour_from_the_reminder_to_a_dispute_and_its_answer(self):
        link = self._reminder_link(self.invoice)
        self.start_tour(link, "debtor_dunning_portal_dispute")
        self.env.invalidate_all()
        self.assertEqual(self.invoice.dunning_state, "blocked")
        message = self.DebtorMessage.search([("move_id", "=", self.invoice.id)])
        self.assertEqual((message.kind, message.dispute_reason), ("dispute", "amount"))
        invoice = self.invoice.with_user(self.controller)
        invoice.message_post(body="Internal: debtor is slow payer", subtype_xmlid="mail.mt_note")
        invoice.message_post(
            body="We checked the delivery note and will credit 2 crates.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.start_tour(link, "debtor_dunning_portal_answer")
