# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The hooks other add-ons build on, and the company scope of the run.

Each hook is overridden here as an add-on would (on the registry's class, so that the real chain
of add-ons still runs underneath) and the test checks that the run honours the override.
"""

from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY, DunningCommon


@contextmanager
def override(model, method_name, replacement):
    """Override `method_name` of `model` as an add-on would; `replacement(record, super_method, ...)`."""
    cls = type(model)
    original = getattr(cls, method_name)

    def method(self, *args, **kwargs):
        return replacement(self, lambda *a, **kw: original(self, *a, **kw), *args, **kwargs)

    with patch.object(cls, method_name, method):
        yield


@tagged("post_install", "-at_install")
class TestDunningHooks(DunningCommon):
    def test_daily_steps_run_first_on_the_run_date_and_their_counts_are_shown(self):
        seen = []

        def daily_steps(run, super_steps):
            seen.append((run.company_id, run.date, run.communication_ids))
            return super_steps() | {"test_reminders": 3}

        def step_labels(run, super_labels):
            return super_labels() | {"test_reminders": "Instalment reminders sent"}

        self._invoice(TODAY - timedelta(days=10))
        Run = self.env["debtor.dunning.run"]
        with (
            override(Run, "_dunning_daily_steps", daily_steps),
            override(Run, "_dunning_step_labels", step_labels),
        ):
            run = self._run(TODAY)
            self.assertEqual(seen, [(self.company, TODAY, self.Communication)], "before any letter")
            self.assertEqual(run.step_counts, {"test_reminders": 3, "risk_recomputed": 1})
            self.assertIn("Instalment reminders sent: 3", run.step_summary)
            self._run(TODAY, preview=True)
            self.assertEqual(len(seen), 1, "a preview changes nothing, so it runs no daily step")

    def test_a_failing_daily_step_is_shown_and_the_letters_still_go(self):
        def daily_steps(run, super_steps):
            raise ValueError("the agency's server is down")

        invoice = self._invoice(TODAY - timedelta(days=10))
        with (
            override(self.env["debtor.dunning.run"], "_dunning_daily_steps", daily_steps),
            mute_logger("odoo.addons.debtor_dunning.models.debtor_dunning_run"),
        ):
            run = self._run(TODAY)
        self.assertIn("the agency's server is down", run.error_message)
        self.assertEqual(self._levels_of(invoice), [2])

    def test_the_core_daily_step_expires_blocks_of_the_run_company_only(self):
        company_2 = self.setup_other_company(name="Dunning Tweede B.V.")["company"]
        promise = self.env.ref("debtor_dunning.block_template_promise_to_pay")
        ours, theirs = self.env["debtor.dunning.block"].create(
            [
                {
                    "template_id": promise.id,
                    "partner_id": self.debtor.id,
                    "company_id": company.id,
                    "date_start": TODAY - timedelta(days=20),
                    "date_end": TODAY - timedelta(days=5),
                }
                for company in (self.company, company_2)
            ]
        )
        run = self.Run.execute(date=TODAY, companies=self.company)
        self.assertEqual((ours.state, theirs.state), ("expired", "active"))
        self.assertEqual(run.step_counts, {"blocks_expired": 1})
        self.assertIn("Blocks expired: 1", run.step_summary)

    def test_excluded_moves_are_left_alone_with_their_reason(self):
        excluded = self._invoice(TODAY - timedelta(days=10))
        chased = self._invoice(TODAY - timedelta(days=10))
        calls = []

        def excluded_moves(run, super_excluded, move_ids):
            calls.append(set(move_ids))
            return super_excluded(move_ids) | {excluded.id: "test_arrangement"}

        def reason_labels(run, super_labels):
            return super_labels() | {"test_arrangement": "In a payment arrangement"}

        Run = self.env["debtor.dunning.run"]
        with (
            override(Run, "_dunning_excluded_moves", excluded_moves),
            override(Run, "_dunning_reason_labels", reason_labels),
        ):
            run = self._run(TODAY)
            calls_of_the_run = list(calls)
            self.assertIn("In a payment arrangement: 1", run.skip_summary)
            (excluded | chased).invalidate_recordset(["dunning_next_level_id", "dunning_next_date"])
            self.assertFalse(excluded.dunning_next_level_id, "the invoice shows no next step the run won't take")
            self.assertTrue(chased.dunning_next_level_id)
        self.assertEqual(calls_of_the_run, [{excluded.id, chased.id}], "one call for the batch's open invoices")
        self.assertEqual(self._levels_of(excluded), [])
        self.assertEqual(self._levels_of(chased), [2])
        self.assertEqual(run.skip_reasons, {"test_arrangement": 1})
        self.assertEqual((run.skipped_count, run.blocked_count), (1, 0))

    def test_resume_dates_count_the_gap_and_term_from_the_resumption(self):
        """After a pause ending on day 5, level 3 waits for level 2's 7-day term counted from day 5.

        The term runs from delivery: an e-mail counts as delivered a day after it is sent."""
        paused = self._invoice(TODAY - timedelta(days=20))
        control = self._invoice(TODAY - timedelta(days=20), partner=self.debtor_without_email)
        self._run(TODAY)
        self.assertEqual((self._levels_of(paused), self._levels_of(control)), ([2], [2]))
        calls = []

        def resume_dates(run, super_resume, move_ids):
            calls.append(set(move_ids))
            return super_resume(move_ids) | {paused.id: TODAY + timedelta(days=5)}

        with override(self.env["debtor.dunning.run"], "_dunning_resume_dates", resume_dates):
            self._run(TODAY + timedelta(days=1))
            self.assertEqual(calls[0], {paused.id, control.id}, "one call for the batch's open invoices")
            with freeze_time(TODAY + timedelta(days=6)):
                (paused | control).invalidate_recordset(["dunning_next_level_id", "dunning_next_date"])
                self.assertEqual(paused.dunning_next_date, TODAY + timedelta(days=14), "the day the run will take")
                self.assertEqual(control.dunning_next_date, TODAY + timedelta(days=9))
            self._run(TODAY + timedelta(days=9))
            self.assertEqual(self._levels_of(control), [2, 3], "without a pause: the term of level 2 ended")
            self.assertEqual(self._levels_of(paused), [2], "term counted from the resumption: not yet")
            self._run(TODAY + timedelta(days=13))
            self.assertEqual(self._levels_of(paused), [2], "the term's last day")
            self._run(TODAY + timedelta(days=14))
            self.assertEqual(self._levels_of(paused), [2, 3], "the next level, none skipped")

    def test_after_create_receives_every_communication_the_run_created(self):
        self._invoice(TODAY - timedelta(days=10))
        self._invoice(TODAY - timedelta(days=10), partner=self.debtor_without_email)
        self._invoice(TODAY - timedelta(days=10), currency=self.other_currency)
        received = []

        def after_create(communications, super_after_create):
            received.append(communications)
            communications.write({"outcome": "filled by an add-on"})
            return super_after_create()

        with override(self.Communication, "_dunning_after_create", after_create):
            run = self._run(TODAY)
            preview = self._run(TODAY + timedelta(days=30), preview=True)
        self.assertEqual(len(received), 2, "once per batch: set-based")
        self.assertEqual(received[0], run.communication_ids)
        self.assertEqual(len(run.communication_ids), 3)
        self.assertEqual(set(run.communication_ids.mapped("outcome")), {"filled by an add-on"})
        self.assertEqual(received[1], preview.communication_ids)

    def test_portal_statuses_can_be_refined_for_the_whole_set(self):
        arranged = self._invoice(TODAY - timedelta(days=10))
        overdue = self._invoice(TODAY - timedelta(days=10))
        calls = []

        def portal_statuses(moves, super_statuses):
            calls.append(moves)
            statuses = super_statuses()
            if arranged.id in statuses:
                statuses[arranged.id] = "in_arrangement"
            return statuses

        with override(self.env["account.move"], "_dunning_portal_statuses", portal_statuses):
            moves = arranged | overdue
            moves.invalidate_recordset(["dunning_portal_status"])
            self.assertEqual(moves.mapped("dunning_portal_status"), ["in_arrangement", "overdue"])
        self.assertEqual(len(calls), 1, "one call for the whole set")


@tagged("post_install", "-at_install")
class TestDunningCompanyScope(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(name="Dunning Tweede B.V.")["company"]
        cls.invoice_1 = cls._invoice(TODAY - timedelta(days=10))
        cls.invoice_2 = cls._create_invoice_one_line(
            price_unit=100.0,
            tax_ids=[],
            partner_id=cls.debtor,
            company_id=cls.company_2.id,
            journal_id=cls.env["account.journal"]
            .search([("type", "=", "sale"), ("company_id", "=", cls.company_2.id)], limit=1)
            .id,
            invoice_date=TODAY - timedelta(days=40),
            invoice_date_due=TODAY - timedelta(days=10),
            invoice_payment_term_id=False,
            post=True,
        )

    def _selected(self, *companies):
        """The run model as seen with `companies` selected in the company switcher."""
        return self.Run.with_context(allowed_company_ids=[company.id for company in companies])

    def test_run_now_and_preview_run_for_the_companies_selected_in_the_switcher(self):
        with freeze_time(TODAY):
            action = self._selected(self.company_2).action_preview()
        previews = self.Run.search([("is_preview", "=", True)])
        self.assertEqual(previews.company_id, self.company_2)
        self.assertIn(("run_id", "in", previews.ids), action["domain"])
        with freeze_time(TODAY):
            self._selected(self.company_2).action_run_now()
        self.assertEqual((self._levels_of(self.invoice_1), self._levels_of(self.invoice_2)), ([], [2]))
        with freeze_time(TODAY):
            self._selected(self.company, self.company_2).action_run_now()
        self.assertEqual(self._levels_of(self.invoice_1), [2])

    def test_the_scheduled_run_covers_every_company_of_its_user(self):
        with freeze_time(TODAY):
            runs = self._selected(self.company).with_user(self.env.user)._cron_execute()
        self.assertEqual(runs.company_id, self.company | self.company_2)
        self.assertEqual((self._levels_of(self.invoice_1), self._levels_of(self.invoice_2)), ([2], [2]))

    def test_a_run_for_a_company_the_user_does_not_have_is_refused(self):
        self.env.user.company_ids = [Command.unlink(self.company_2.id)]
        with self.assertRaises(AccessError):
            self.Run.execute(date=TODAY, companies=self.company_2)
        self.assertEqual(self._levels_of(self.invoice_2), [])


@tagged("post_install", "-at_install")
class TestDunningDueDate(DunningCommon):
    """The due date that counts (the earliest open instalment's) is the same everywhere."""

    def test_earliest_open_instalment_counts_for_run_status_portal_and_debtor(self):
        invoice = self._invoice_in_two_instalments(TODAY - timedelta(days=10))
        first_instalment = TODAY - timedelta(days=10)
        self.assertGreater(invoice.invoice_date_due, TODAY, "Odoo's due date is the last instalment's")
        self.assertEqual(invoice.dunning_date_due, first_instalment)
        self.assertEqual(
            self.env["account.move"].search([("dunning_date_due", "<", TODAY), ("id", "=", invoice.id)]), invoice
        )
        with freeze_time(TODAY):
            invoice.invalidate_recordset(["dunning_portal_status"])
            self.assertEqual(invoice.dunning_portal_status, "overdue")
            self.debtor.invalidate_recordset(["dunning_overdue_amount"])
            self.assertEqual(self.debtor.dunning_overdue_amount, 300.0, "the overdue instalment, as the run counts")
            self.assertEqual(invoice.dunning_next_level_id.sequence, 2)
        self._run(TODAY)
        self.assertEqual(invoice.dunning_line_ids.invoice_date_due, first_instalment, "the letter's snapshot")
        self.assertEqual(invoice.dunning_line_ids.days_overdue, 10)
        # Once the first instalment is paid the second one's date counts.
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": 300.0, "payment_date": TODAY}
        )._create_payments()
        invoice.invalidate_recordset()
        self.assertEqual(invoice.dunning_date_due, invoice.invoice_date_due)

    def test_credit_notes_are_not_chased_and_have_no_dunning_status(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        refund = invoice._reverse_moves()
        self.assertTrue(invoice.dunning_is_chased)
        self.assertFalse(refund.dunning_is_chased, "a draft credit note")
        refund.action_post()
        self.assertFalse(refund.dunning_is_chased)
        self.assertFalse(refund.dunning_state)
        self.assertFalse(refund.dunning_portal_status)
        self.assertIn(invoice, self.env["account.move"].search([("dunning_is_chased", "=", True)]))
        self.assertNotIn(refund, self.env["account.move"].search([("dunning_is_chased", "=", True)]))
