# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.addons.debtor_dunning.models import odoo_report_adapter
from odoo.tests import tagged

from .common import TODAY, ArrangementCommon


@tagged("post_install", "-at_install")
class TestArrangement(ArrangementCommon):
    """Arranging invoices, confirming, payments toward instalments, and the run's daily step."""

    def test_the_wizard_makes_a_draft_with_the_template_schedule(self):
        invoices = self._invoice(TODAY - timedelta(days=20), 100.0) | self._invoice(TODAY - timedelta(days=10), 200.0)
        arrangement = self._arrange(invoices, confirm=False)
        self.assertEqual(arrangement.state, "draft")
        self.assertEqual(arrangement.partner_id, self.debtor)
        self.assertEqual(arrangement.move_ids, invoices)
        self.assertEqual(arrangement.amount_total, 300.0)
        self.assertTrue(arrangement.name.startswith("ARR/"), arrangement.name)
        self.assertEqual(
            [(i.date_due, i.amount) for i in arrangement.instalment_ids],
            [(date(2026, 6, 15), 100.0), (date(2026, 7, 15), 100.0), (date(2026, 8, 15), 100.0)],
        )

    def test_the_wizard_from_the_debtor_takes_his_open_invoices_not_yet_arranged(self):
        open_invoice = self._invoice(TODAY - timedelta(days=20))
        arranged = self._invoice(TODAY - timedelta(days=20))
        self._arrange(arranged)
        self._invoice(TODAY - timedelta(days=20), partner=self.debtor_without_email)
        wizard = (
            self.env["debtor.dunning.arrangement.wizard"]
            .with_context(active_model="res.partner", active_id=self.debtor.id)
            .create({"template_id": self.template.id})
        )
        self.assertEqual(wizard.move_ids, open_invoice)

    def test_confirming_sends_the_schedule_archives_it_and_notes_it_on_the_invoices(self):
        invoices = self._invoice(TODAY - timedelta(days=20), 150.0) | self._invoice(TODAY - timedelta(days=5), 150.0)
        arrangement = self._arrange(invoices)
        self.assertEqual(arrangement.state, "active")
        self.assertEqual(arrangement.date_confirmed, TODAY)
        self.assertTrue(arrangement.confirmation_attachment_id, "the letter is archived")
        self.assertEqual(arrangement.confirmation_attachment_id.res_id, arrangement.id)
        message = arrangement.message_ids.filtered(lambda m: arrangement.confirmation_attachment_id in m.attachment_ids)
        self.assertEqual(message.partner_ids, self.debtor, "e-mailed to the debtor")
        self.assertIn("payment arrangement", message.subject)
        self.assertIn("100.00", message.body, "the schedule's amounts")
        self.assertIn("more than", message.body, "what happens when a term is missed")
        self.assertIn(f"/my/arrangements/{arrangement.id}?access_token=", message.body, "its page in the portal")
        for invoice in invoices:
            self.assertTrue(
                invoice.message_ids.filtered(lambda m, a=arrangement: a.name in m.body and "confirmed" in m.body),
                "each invoice's chatter notes it",
            )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("debtor_dunning_arrangement.action_report_debtor_dunning_arrangement", arrangement.ids)[
                0
            ]
            .decode()
        )
        for text in ("Schedule", "How to pay", "When an instalment is missed", invoices[0].name, "06/15/2026"):
            self.assertIn(text, html)

    def test_the_schedule_carries_the_letterhead_where_wkhtmltopdf_prints_no_page_header(self):
        self.company.write({"company_registry": "30123456", "street": "Oudegracht 1"})
        arrangement = self._arrange(self._invoice(TODAY - timedelta(days=20), 300.0), confirm=False)
        report = "debtor_dunning_arrangement.action_report_debtor_dunning_arrangement"
        for patched_qt, letterhead_in_body in ((False, True), (True, False)):
            with patch.object(odoo_report_adapter, "prints_several_documents_per_call", return_value=patched_qt):
                html = self.env["ir.actions.report"]._render_qweb_html(report, arrangement.ids)[0].decode()
            self.assertEqual('name="letterhead_in_body"' in html, letterhead_in_body)
            self.assertEqual("Chamber of Commerce: <span>30123456</span>" in html, letterhead_in_body)

    def test_payments_after_confirmation_count_oldest_instalment_first_and_accumulate(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        self._pay(invoice, 60.0, TODAY + timedelta(days=3))
        self.assertEqual(arrangement.amount_paid, 60.0)
        self.assertEqual(arrangement.instalment_ids.mapped("amount_paid"), [60.0, 0.0, 0.0])
        self._pay(invoice, 60.0, TODAY + timedelta(days=4))
        self.assertEqual(arrangement.instalment_ids.mapped("amount_paid"), [100.0, 20.0, 0.0])
        self.assertEqual(arrangement.instalment_ids.mapped("state"), ["paid", "open", "open"])
        self.assertEqual(arrangement.amount_residual, 180.0)

    def test_a_shortfall_within_the_policy_tolerance_pays_the_instalment(self):
        self.policy.residual_tolerance = 1.0
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        self._pay(invoice, 99.5, TODAY + timedelta(days=14))
        run = self._run_on(TODAY + timedelta(days=20))
        self.assertEqual(arrangement.instalment_ids[0].state, "paid")
        self.assertEqual(arrangement.state, "active")
        self.assertNotIn("instalments_late", run.step_counts or {})

    def test_the_run_leaves_arranged_invoices_alone_and_chases_the_others(self):
        arranged = self._invoice(TODAY - timedelta(days=20))
        other = self._invoice(TODAY - timedelta(days=20))
        self._arrange(arranged, on_date=TODAY - timedelta(days=1))
        run = self._run_on(TODAY)
        self.assertEqual(self._levels_of(arranged), [])
        self.assertEqual(self._levels_of(other), [2], "the debtor's other invoice is chased as usual")
        self.assertEqual(run.skip_reasons.get("arrangement"), 1)
        self.assertIn("In a payment arrangement: 1", run.skip_summary)
        with freeze_time(TODAY):
            self.assertEqual(arranged.dunning_portal_status, "in_arrangement")
            self.assertEqual(other.dunning_portal_status, "overdue")
            self.assertEqual(arranged.arrangement_id.move_ids, arranged)

    def test_reminder_goes_out_the_days_before_each_instalment_once(self):
        self.debtor.write({"phone": "06 12345678", "country_id": self.env.ref("base.nl").id})
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        first = arrangement.instalment_ids[0]  # due TODAY + 14
        run = self._run_on(TODAY + timedelta(days=10))
        self.assertFalse(first.date_reminded, "4 days before: not yet")
        run = self._run_on(TODAY + timedelta(days=11))
        self.assertEqual(first.date_reminded, TODAY + timedelta(days=11))
        self.assertEqual(run.step_counts.get("instalment_reminders"), 1)
        self.assertIn("Instalment reminders queued: 1", run.step_summary)
        reminder = arrangement.message_ids.filtered(lambda m: m.subject and "instalment 1" in m.subject)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.partner_ids, self.debtor)
        self.assertIn("100.00", reminder.body)
        pay_path = f"/my/arrangements/{arrangement.id}/instalment/{first.id}/pay"
        self.assertIn(pay_path, reminder.body, "pay exactly this one")
        sms = self.env["sms.sms"].search([("number", "=", "+31612345678")])
        self.assertEqual(len(sms), 1, "an SMS to the valid mobile number")
        self.assertIn(arrangement.name, sms.body)
        run = self._run_on(TODAY + timedelta(days=12))
        self.assertNotIn("instalment_reminders", run.step_counts or {}, "once only")

    def test_the_sending_cron_sends_the_queued_reminders_except_for_an_instalment_paid_meanwhile(self):
        first_invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        kept = self._arrange(first_invoice)
        other = self.env["res.partner"].create({"name": "Bakker B.V.", "email": "bakker@example.com"})
        paid_invoice = self._invoice(TODAY - timedelta(days=20), 300.0, partner=other)
        paid = self._arrange(paid_invoice)
        on_date = TODAY + timedelta(days=11)
        with freeze_time(on_date):
            self._run(on_date)
        queued = (kept | paid).instalment_ids.filtered("reminder_queued")
        self.assertEqual(queued, kept.instalment_ids[0] | paid.instalment_ids[0], "the run only decides")
        self._pay(paid_invoice, 100.0, on_date)
        cron = self.env.ref("debtor_dunning_arrangement.ir_cron_send_instalment_reminders")
        with freeze_time(on_date), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertFalse(queued.filtered("reminder_queued"))

        def reminders(arrangement):
            return arrangement.message_ids.filtered(lambda m: m.subject and "instalment 1" in m.subject)

        self.assertEqual(len(reminders(kept)), 1)
        self.assertFalse(reminders(paid), "nothing to remind of once it is paid")

    def test_no_sms_without_a_valid_mobile_number(self):
        self.debtor.write({"phone": "030 1234567", "country_id": self.env.ref("base.nl").id})
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        self._run_on(TODAY + timedelta(days=11))
        self.assertTrue(arrangement.instalment_ids[0].date_reminded, "the e-mail still goes")
        self.assertFalse(self.env["sms.sms"].search([("number", "like", "301234567")]))

    def test_late_then_broken_after_the_grace_days(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        due = arrangement.instalment_ids[0].date_due
        run = self._run_on(due + timedelta(days=1))
        self.assertEqual(arrangement.instalment_ids[0].state, "late")
        self.assertEqual(run.step_counts.get("instalments_late"), 1)
        self._run_on(due + timedelta(days=5))
        self.assertEqual(arrangement.state, "active", "within the grace days")
        run = self._run_on(due + timedelta(days=6))
        self.assertEqual(arrangement.state, "broken")
        self.assertEqual(arrangement.date_broken, due + timedelta(days=6))
        self.assertEqual(run.step_counts.get("arrangements_broken"), 1)
        self.assertIn("Instalment 1", arrangement.break_reason)
        lapse = arrangement.message_ids.filtered(lambda m: m.subject and "lapsed" in m.subject)
        self.assertEqual(len(lapse), 1)
        self.assertIn("300.00", lapse.body, "the remaining amount")
        self.assertEqual(lapse.attachment_ids, arrangement.lapse_attachment_id)

    def test_completed_when_everything_is_paid(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        self._pay(invoice, 300.0, TODAY + timedelta(days=5))
        run = self._run_on(TODAY + timedelta(days=6))
        self.assertEqual(arrangement.state, "completed")
        self.assertEqual(run.step_counts.get("arrangements_completed"), 1)
        self.assertEqual(arrangement.instalment_ids.mapped("state"), ["paid"] * 3)

    def test_cancelling_an_active_arrangement_tells_the_debtor_and_resumes(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        with freeze_time(TODAY + timedelta(days=3)):
            arrangement.action_cancel()
        self.assertEqual(arrangement.state, "cancelled")
        self.assertEqual(arrangement.date_end, TODAY + timedelta(days=3))
        self.assertTrue(arrangement.lapse_attachment_id)
        self._run_on(TODAY + timedelta(days=4))
        self.assertEqual(self._levels_of(invoice), [2], "no longer left alone")

    def test_breaking_by_hand(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        with freeze_time(TODAY + timedelta(days=2)):
            arrangement.action_break()
        self.assertEqual((arrangement.state, arrangement.date_broken), ("broken", TODAY + timedelta(days=2)))
        self.assertTrue(arrangement.break_reason)
        events = invoice._dunning_dossier_events()
        self.assertEqual(
            [(event["kind"], event["date"]) for event in events],
            [("arrangement_agreed", arrangement.date_confirmed), ("arrangement_broken", TODAY + timedelta(days=2))],
            "a claim's dossier shows the arrangement and how it ended",
        )
        self.assertIn(arrangement.name, events[1]["description"])

    def test_cancelling_a_draft_sends_nothing(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice, confirm=False)
        messages = arrangement.message_ids
        arrangement.action_cancel()
        self.assertEqual(arrangement.state, "cancelled")
        self.assertFalse(arrangement.lapse_attachment_id)
        self.assertFalse((arrangement.message_ids - messages).filtered(lambda m: m.partner_ids))

    def test_the_debtor_form_lists_his_arrangements(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        self.assertEqual(self.debtor.arrangement_ids, arrangement)
        self.assertEqual(self.debtor.arrangement_count, 1)
        action = self.debtor.action_view_arrangements()
        self.assertEqual(self.Arrangement.search(action["domain"]), arrangement)

    def test_a_broken_arrangement_raises_the_debtors_risk(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        self._run_on(TODAY + timedelta(days=1))
        calm = self.debtor.with_company(self.company).dunning_risk_score
        with freeze_time(TODAY + timedelta(days=2)):
            arrangement.action_break()
        self._run_on(TODAY + timedelta(days=10))
        debtor = self.debtor.with_company(self.company)
        self.assertGreaterEqual(
            debtor.dunning_risk_score - calm, 10, "recomputed within a week, though no entry changed"
        )
        self.assertIn("Payment arrangements broken: 1.", debtor.dunning_risk_explanation)
