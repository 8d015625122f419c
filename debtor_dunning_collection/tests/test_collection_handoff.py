# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import json
import zipfile
from datetime import timedelta

from freezegun import freeze_time

from odoo.addons.debtor_dunning.tests.common import TODAY
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionHandoff(CollectionCommon):
    def _handover_letter(self, partner, amount=2500.0):
        invoice = self._invoice(TODAY - timedelta(days=200), amount=amount, partner=partner, currency=self.euro)
        return invoice, self._climb_to(invoice, 6)

    def test_approving_the_handover_letter_hands_the_claim_to_the_agency(self):
        invoice, letter = self._handover_letter(self.debtor)
        self.assertEqual(letter.state, "to_approve")
        self.assertFalse(invoice.dunning_case_id)
        with freeze_time(letter.date):
            letter.action_approve()
        case = invoice.dunning_case_id
        self.assertEqual(case.state, "handed_over")
        self.assertEqual(case.agency_id, self.agency)
        self.assertEqual(case.date_handover, letter.date)
        self.assertEqual(case.principal_amount, 2500.0)
        self.assertEqual(case.costs_amount, 40.0, "a business owes EUR 40 for its one late invoice")
        # Commercial interest from the day after the due date at 10 % (test rates), 200 days and more.
        self.assertGreater(case.interest_amount, 2500.0 * 0.10 * 200 / 365)
        self.assertEqual(case.amount_due, case.principal_amount + case.costs_amount + case.interest_amount)
        self.assertEqual(letter.state, "sent", "the debtor gets the letter naming the agency at once")
        self.assertEqual(letter.collection_agency_id, self.agency)
        self.assertFalse(letter._dunning_pay_online_url(), "no payment address of ours on the hand-over letter")
        mail = case.handoff_mail_id
        self.assertEqual(mail.email_to, "dossiers@incassonoord.example.nl")
        self.assertEqual(mail.attachment_ids, case.dossier_attachment_id)

    def test_the_dossier_lists_what_other_add_ons_recorded_on_its_invoices(self):
        invoice, letter = self._handover_letter(self.debtor)
        other = self._invoice(TODAY - timedelta(days=10), amount=99.0, partner=self.debtor, currency=self.euro)
        Move = type(self.env["account.move"])
        original = Move._dunning_dossier_events

        def dossier_events(moves):
            return original(moves) + [
                {"move_id": move.id, "date": TODAY, "kind": "test_event", "description": f"Event of {move.name}"}
                for move in moves
            ]

        Move._dunning_dossier_events = dossier_events
        try:
            with freeze_time(letter.date):
                letter.action_approve()
        finally:
            Move._dunning_dossier_events = original
        with zipfile.ZipFile(io.BytesIO(invoice.dunning_case_id.dossier_attachment_id.raw)) as dossier:
            events = json.loads(dossier.read("events.json"))
        self.assertEqual(
            events,
            [{"invoice": invoice.name, "date": str(TODAY), "kind": "test_event", "text": f"Event of {invoice.name}"}],
            f"only this case's invoices, not {other.name}",
        )

    def test_the_dossier_holds_every_letter_and_case_json_of_this_case_only(self):
        invoice, letter = self._handover_letter(self.debtor)
        other = self._invoice(TODAY + timedelta(days=30), amount=99.0, partner=self.debtor, currency=self.euro)
        with freeze_time(letter.date):
            letter.action_approve()
        case = invoice.dunning_case_id
        self.assertNotIn(other, case.move_ids)
        with zipfile.ZipFile(io.BytesIO(case.dossier_attachment_id.raw)) as dossier:
            names = dossier.namelist()
            data = json.loads(dossier.read("case.json"))
            letter_pdfs = [name for name in names if name.startswith("letters/")]
            letter_contents = sorted(dossier.read(name) for name in letter_pdfs)
        sent = invoice.dunning_line_ids.communication_id.filtered(lambda c: c.state == "sent")
        # Each letter as archived when it went out (PDF in production, HTML in tests without rendering).
        self.assertEqual(letter_contents, sorted(sent.letter_attachment_id.mapped("raw")))
        self.assertEqual(sorted(sent.mapped("level_sequence")), [2, 3, 4, 5, 6])
        self.assertEqual(len(letter_pdfs), len(sent), names)
        self.assertTrue(any("level-6_email" in name for name in letter_pdfs), letter_pdfs)
        self.assertIn(f"invoices/{invoice.name.replace('/', '-')}.pdf", names)
        for part in ("messages.json", "calls.json", "blocks.json", "events.json", "statement_of_account.csv"):
            self.assertIn(part, names)
        self.assertEqual([entry["number"] for entry in data["invoices"]], [invoice.name])
        self.assertEqual(data["debtor"]["name"], self.debtor.name)
        self.assertEqual(data["amounts"]["principal"], 2500.0)
        self.assertEqual(data["amounts"]["costs"], 40.0)
        self.assertEqual([entry["level"] for entry in data["letters"]], [2, 3, 4, 5, 6])
        self.assertEqual(data["agency"]["name"], "Incasso Noord")

    def test_the_run_leaves_handed_over_invoices_alone(self):
        invoice, letter = self._handover_letter(self.debtor)
        with freeze_time(letter.date):
            letter.action_approve()
        day = letter.date + timedelta(days=30)
        with freeze_time(day):
            run = self._run(day)
        self.assertEqual(run.skip_reasons.get("collection"), 1)
        self.assertIn("Handed to a collection agency", run.skip_summary)

    def test_a_consumer_claim_never_goes_to_an_agency_without_justis_registration(self):
        self.agency.wki_registration = False
        invoice, letter = self._handover_letter(self.consumer)
        with freeze_time(letter.date), self.assertRaisesRegex(UserError, "Justis registration"):
            letter.action_approve()
        self.assertEqual(letter.state, "to_approve", "the refusal leaves the letter awaiting approval")
        # A business claim may go to it.
        business_invoice, business_letter = self._handover_letter(self.debtor)
        with freeze_time(business_letter.date):
            business_letter.action_approve()
        self.assertEqual(business_invoice.dunning_case_id.state, "handed_over")

    def test_without_any_agency_the_letter_goes_out_and_no_case_is_opened(self):
        self.company.dunning_collection_agency_id = False
        invoice, letter = self._handover_letter(self.debtor)
        with freeze_time(letter.date):
            letter.action_approve()
        self._send_queued()
        self.assertEqual(letter.state, "sent")
        self.assertFalse(invoice.dunning_case_id)

    def test_a_second_invoice_joins_the_debtors_case(self):
        first, letter = self._handover_letter(self.debtor)
        with freeze_time(letter.date):
            letter.action_approve()
        second = self._invoice(TODAY - timedelta(days=100), amount=500.0, partner=self.debtor, currency=self.euro)
        with freeze_time(letter.date):
            self.env["debtor.dunning.collection.handover"].create(
                {"move_ids": [(6, 0, second.ids)], "reason": "Same debtor, also unpaid"}
            ).action_confirm()
        case = first.dunning_case_id
        self.assertEqual(second.dunning_case_id, case)
        self.assertEqual(case.principal_amount, 3000.0)
        self.assertEqual(case.costs_amount, 80.0, "EUR 40 for each late invoice of a business")
        self.assertIn("Same debtor", case.reason)
        # The debtor got the hand-over letter for the second invoice too.
        self.assertEqual(
            second.dunning_line_ids.communication_id.filtered(lambda c: c.level_sequence == 6).state, "sent"
        )

    def test_manual_handover_requires_a_reason_and_a_credit_manager(self):
        invoice = self._invoice(TODAY - timedelta(days=100), amount=700.0, partner=self.debtor, currency=self.euro)
        controller = new_test_user(
            self.env, login="controller_col", groups="debtor_dunning.group_debtor_dunning_controller"
        )
        wizard = self.env["debtor.dunning.collection.handover"].create(
            {"move_ids": [(6, 0, invoice.ids)], "reason": " "}
        )
        with freeze_time(TODAY), self.assertRaisesRegex(UserError, "why"):
            wizard.action_confirm()
        with self.assertRaises(AccessError):
            self.env["debtor.dunning.collection.handover"].with_user(controller).create(
                {"move_ids": [(6, 0, invoice.ids)], "reason": "No answer"}
            ).action_confirm()
        wizard.reason = "No answer to three calls"
        with freeze_time(TODAY):
            wizard.action_confirm()
        self.assertEqual(invoice.dunning_case_id.state, "handed_over")
        self.assertEqual(invoice.dunning_case_id.reason, "No answer to three calls")

    def test_a_payment_that_reaches_us_after_handoff_shows_on_the_case(self):
        invoice, letter = self._handover_letter(self.debtor)
        with freeze_time(letter.date):
            letter.action_approve()
        case = invoice.dunning_case_id
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": 1000.0, "payment_date": letter.date}
        )._create_payments()
        self.assertEqual(invoice.amount_residual, 1500.0)
        self.assertEqual(case.amount_paid_direct, 1000.0)
        self.assertEqual(case.amount_paid, 1000.0)
        self.assertEqual(case.state, "handed_over")
        # The rebuilt dossier's statement of account shows the payment.
        case.action_export_dossier()
        with zipfile.ZipFile(io.BytesIO(case.dossier_attachment_id.raw)) as dossier:
            statement = dossier.read("statement_of_account.csv").decode()
        payment = invoice._get_reconciled_payments()
        self.assertIn(payment.move_id.name, statement)
        self.assertIn("1000.0", statement)

    def test_a_claim_handed_over_raises_the_debtors_risk(self):
        invoice = self._invoice(TODAY - timedelta(days=100), amount=700.0, partner=self.debtor, currency=self.euro)
        self._run(TODAY)
        before = self.debtor.with_company(self.company).dunning_risk_score
        with freeze_time(TODAY):
            self.env["debtor.dunning.collection.handover"].create(
                {"move_ids": [(6, 0, invoice.ids)], "reason": "Does not answer"}
            ).action_confirm()
        self.assertEqual(invoice.dunning_case_id.state, "handed_over")
        self._run(TODAY + timedelta(days=7))
        debtor = self.debtor.with_company(self.company)
        self.assertGreaterEqual(debtor.dunning_risk_score - before, 10)
        self.assertIn("Claims handed to a collection agency: 1.", debtor.dunning_risk_explanation)


@tagged("post_install", "-at_install")
class TestCollectionPortal(CollectionCommon, HttpCase):
    def _handover_letter(self, partner, amount=2500.0):
        invoice = self._invoice(TODAY - timedelta(days=200), amount=amount, partner=partner, currency=self.euro)
        return invoice, self._climb_to(invoice, 6)

    def test_the_portal_shows_the_agency_and_no_payment_button_of_ours(self):
        invoice, letter = self._handover_letter(self.debtor)
        self.assertTrue(invoice._has_to_be_paid())
        with freeze_time(letter.date):
            letter.action_approve()
            invoice.invalidate_recordset(["dunning_portal_status"])
            self.assertEqual(invoice.dunning_portal_status, "handed_over")
        self.assertFalse(invoice._has_to_be_paid())
        self.authenticate(None, None)
        response = self.url_open(invoice.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Incasso Noord", response.text)
        self.assertIn("info@incassonoord.example.nl", response.text)
        self.assertIn("+31 50 123 4567", response.text)
        self.assertIn("o_dunning_collection_agency", response.text)
        self.assertNotIn('data-bs-target="#pay_with"', response.text)

    def test_a_portal_debtor_lists_his_handed_over_invoices(self):
        invoice, letter = self._handover_letter(self.debtor)
        with freeze_time(letter.date):
            letter.action_approve()
        new_test_user(self.env, login="jansen_portal", groups="base.group_portal", partner_id=self.debtor.id)
        self.authenticate("jansen_portal", "jansen_portal")
        response = self.url_open("/my/invoices")
        self.assertEqual(response.status_code, 200)
        self.assertIn(invoice.name, response.text)
        self.assertIn("o_dunning_portal_status_handed_over", response.text)
