# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.addons.debtor_dunning.models.debtor_dunning_run_batch import DebtorDunningRun
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
class TestDunningRun(DunningCommon):
    def test_invoice_climbs_the_whole_ladder_one_level_at_a_time(self):
        invoice = self._invoice(TODAY - timedelta(days=200))
        day = TODAY
        for _step in range(200):
            # Approving dates a letter on the day it is approved: that day must be the run's.
            with freeze_time(day):
                self._run(day)
                self._approve_all()
            day += timedelta(days=1)
        self.assertEqual(self._levels_of(invoice), [2, 3, 4, 5, 6], "pre-due notice skipped, nothing else")
        self.assertEqual(invoice.dunning_level_id, self.levels[-1])
        self.assertEqual(invoice.dunning_state, "handed_over")

    def test_pre_due_notice_goes_out_before_the_due_date(self):
        invoice = self._invoice(TODAY + timedelta(days=5))
        self._run(TODAY - timedelta(days=1))
        self.assertEqual(self._levels_of(invoice), [])
        self._run(TODAY)
        self.assertEqual(self._levels_of(invoice), [1])
        self.assertEqual(invoice.dunning_state, "in_progress")
        self._run(TODAY + timedelta(days=6))
        self.assertEqual(self._levels_of(invoice), [1, 2])

    def test_same_day_twice_sends_nothing_twice(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        first = self._run(TODAY)
        second = self._run(TODAY)
        self.assertEqual(first.sent_count, 1)
        self.assertEqual(second.sent_count, 0)
        self.assertEqual(self._levels_of(invoice), [2])

    def test_the_database_refuses_a_second_letter_of_the_same_level(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        self._run(TODAY)
        line = invoice.dunning_line_ids
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            line.copy({"communication_id": line.communication_id.id})
            self.env.flush_all()

    def test_one_letter_per_debtor_level_and_currency(self):
        first = self._invoice(TODAY - timedelta(days=10))
        second = self._invoice(TODAY - timedelta(days=12), amount=250.0)
        foreign = self._invoice(TODAY - timedelta(days=11), amount=80.0, currency=self.other_currency)
        run = self._run(TODAY)
        communications = run.communication_ids.filtered(lambda c: c.partner_id == self.debtor)
        self.assertEqual(len(communications), 2)
        in_company_currency = communications.filtered(lambda c: c.currency_id == self.company.currency_id)
        self.assertEqual(in_company_currency.move_ids, first | second)
        self.assertAlmostEqual(in_company_currency.amount_residual, 350.0)
        self.assertEqual(communications.filtered(lambda c: c.currency_id == self.other_currency).move_ids, foreign)

    def test_paid_partly_paid_and_credited_invoices(self):
        paid = self._invoice(TODAY - timedelta(days=10))
        partial = self._invoice(TODAY - timedelta(days=10), amount=300.0)
        reversed_invoice = self._invoice(TODAY - timedelta(days=10))
        self._register_payment(paid, payment_date=TODAY - timedelta(days=2))
        self._register_payment(partial, amount=100.0, payment_date=TODAY - timedelta(days=2))
        self._reverse_invoice(reversed_invoice, is_modify=False, post=True, date=TODAY - timedelta(days=1))
        self._run(TODAY)
        self.assertEqual(self._levels_of(paid), [])
        self.assertEqual(self._levels_of(reversed_invoice), [])
        self.assertEqual(self._levels_of(partial), [2])
        self.assertAlmostEqual(partial.dunning_line_ids.amount_residual, 200.0, msg="snapshot of the open amount")
        self.assertEqual(paid.dunning_state, "closed")

    def test_an_invoice_paid_between_two_runs_stops(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        self._run(TODAY)
        self._register_payment(invoice, payment_date=TODAY + timedelta(days=3))
        for offset in (10, 30, 60):
            self._run(TODAY + timedelta(days=offset))
        self.assertEqual(self._levels_of(invoice), [2])
        self.assertEqual(invoice.dunning_state, "closed")

    def test_open_credit_note_covering_the_debt_stops_chasing(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=100.0)
        credit_note = self._create_invoice_one_line(
            move_type="out_refund",
            price_unit=150.0,
            tax_ids=[],
            partner_id=self.debtor,
            invoice_date=TODAY - timedelta(days=5),
            post=True,
        )
        run = self._run(TODAY)
        self.assertEqual(self._levels_of(invoice), [])
        self.assertIn("covered_by_credit", run.skip_reasons)
        self.assertTrue(credit_note.amount_residual)

    def test_minimum_overdue_amount_and_tolerance(self):
        self.policy.write({"minimum_overdue_amount": 50.0, "residual_tolerance": 1.0})
        small = self._invoice(TODAY - timedelta(days=10), amount=40.0)
        crumbs = self._invoice(TODAY - timedelta(days=10), amount=0.5, partner=self.debtor_without_email)
        run = self._run(TODAY)
        self.assertEqual(self._levels_of(small), [])
        self.assertEqual(self._levels_of(crumbs), [])
        self.assertEqual(run.skip_reasons, {"below_minimum": 1, "tolerance": 1})
        self._invoice(TODAY - timedelta(days=3), amount=20.0)
        self._run(TODAY + timedelta(days=1))
        self.assertEqual(self._levels_of(small), [2], "together the debtor's overdue total passes the minimum")

    def test_debtor_policy_overrides_the_company_policy(self):
        gentle = self.policy.copy({"name": "Gentle"})
        gentle.level_ids.filtered(lambda level: level.sequence == 2).day_offset = 20
        self.debtor.with_company(self.company).dunning_policy_id = gentle
        invoice = self._invoice(TODAY - timedelta(days=10))
        self._run(TODAY)
        self.assertEqual(self._levels_of(invoice), [])
        self._run(TODAY + timedelta(days=10))
        self.assertEqual(invoice.dunning_level_id.policy_id, gentle)

    def test_levels_requiring_approval_wait_for_a_manager(self):
        invoice = self._invoice(TODAY - timedelta(days=200))
        day = TODAY
        while invoice.dunning_level_id.sequence != 5:
            self._run(day)
            day += timedelta(days=1)
        communication = invoice.dunning_line_ids.communication_id.filtered(lambda c: c.level_id.sequence == 5)
        self.assertEqual(communication.state, "to_approve")
        self.assertEqual(invoice.dunning_state, "to_approve")
        for offset in range(60):
            self._run(day + timedelta(days=offset))
        self.assertEqual(self._levels_of(invoice), [2, 3, 4, 5], "nothing climbs past an unapproved letter")
        communication.action_approve()
        self.assertEqual(communication.state, "queued")
        self.assertEqual(invoice.dunning_state, "in_default")

    def test_preview_shows_what_would_go_out_and_changes_nothing(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        other = self._invoice(TODAY + timedelta(days=3), partner=self.debtor_without_email)
        preview = self._run(TODAY, preview=True)
        self.assertTrue(preview.is_preview)
        self.assertEqual(preview.communication_ids.mapped("state"), ["preview", "preview"])
        self.assertEqual(preview.communication_ids.move_ids, invoice | other)
        self.assertFalse(invoice.dunning_level_id)
        self.assertFalse(invoice.dunning_line_ids)
        real = self._run(TODAY)
        self.assertEqual(
            sorted((c.partner_id.id, c.level_id.id) for c in real.communication_ids),
            sorted((c.partner_id.id, c.level_id.id) for c in preview.communication_ids),
        )

    def test_a_run_that_breaks_half_way_is_completed_by_the_next_one(self):
        debtors = self.env["res.partner"].create(
            [{"name": f"Debtor {i}", "email": f"d{i}@example.nl"} for i in range(6)]
        )
        invoices = self.env["account.move"]
        for debtor in debtors:
            invoices |= self._invoice(TODAY - timedelta(days=10), partner=debtor)
        original = DebtorDunningRun._create_communications
        calls = []

        def crash_on_second_batch(run, *args, **kwargs):
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("simulated crash")
            return original(run, *args, **kwargs)

        with (
            patch("odoo.addons.debtor_dunning.models.debtor_dunning_run.PARTNER_BATCH_SIZE", 2),
            patch.object(DebtorDunningRun, "_create_communications", crash_on_second_batch),
            mute_logger("odoo.addons.debtor_dunning.models.debtor_dunning_run"),
        ):
            broken = self._run(TODAY)
        self.assertGreater(broken.error_count, 0)
        reached = invoices.filtered("dunning_level_id")
        self.assertTrue(reached and reached != invoices, "some debtors were decided, some were not")
        self._run(TODAY)
        for invoice in invoices:
            self.assertEqual(self._levels_of(invoice), [2], invoice.partner_id.name)

    def test_drafts_vendor_bills_and_other_companies_are_not_chased(self):
        draft = self._invoice(TODAY - timedelta(days=10), post=False)
        bill = self._vendor_bill()
        self._run(TODAY)
        self.assertEqual(self._levels_of(draft), [])
        self.assertEqual(self._levels_of(bill), [])

    def test_no_followup_lines_are_left_alone(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable").no_followup = True
        self._run(TODAY)
        self.assertEqual(self._levels_of(invoice), [])

    def test_a_level_must_reach_the_debtor_through_some_channel(self):
        with self.assertRaises(ValidationError):
            self.levels[1].write({"channel_email": False, "channel_sms": False, "channel_letter": False})

    def test_invoice_list_filters_and_groups_by_dunning_level_and_state(self):
        """The status is read from the dossier, yet the invoice list searches and groups on it."""
        chased = self._invoice(TODAY - timedelta(days=10))
        disputed = self._invoice(TODAY - timedelta(days=10), amount=300.0)
        not_yet = self._invoice(TODAY + timedelta(days=30), amount=50.0)
        paid = self._invoice(TODAY - timedelta(days=10), amount=70.0)
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=paid.ids).create(
            {}
        )._create_payments()
        self._run(TODAY)
        self.env["debtor.dunning.block"].create(
            {"template_id": self.env.ref("debtor_dunning.block_template_dispute").id, "move_id": disputed.id}
        )
        invoices = chased | disputed | not_yet | paid
        Move = self.env["account.move"]
        overdue_level = self.levels.filtered(lambda level: level.sequence == 2)
        self.assertEqual(
            [(move.dunning_state, move.dunning_level_id) for move in invoices],
            [
                ("in_progress", overdue_level),
                ("blocked", overdue_level),
                ("none", Move.dunning_level_id),
                ("closed", Move.dunning_level_id),
            ],
        )
        self.assertEqual(chased.dunning_last_date, TODAY)
        in_form = Move.new({}, origin=chased)
        self.assertEqual((in_form.dunning_state, in_form.dunning_level_id), ("in_progress", overdue_level))
        scope = [("id", "in", invoices.ids)]
        self.assertEqual(Move.search([*scope, ("dunning_state", "=", "blocked")]), disputed)
        self.assertEqual(Move.search([*scope, ("dunning_state", "in", ("in_progress", "none"))]), chased | not_yet)
        self.assertEqual(Move.search([*scope, ("dunning_level_id", "=", overdue_level.id)]), chased | disputed)
        self.assertEqual(Move.search([*scope, ("dunning_level_id", "=", False)]), not_yet | paid)
        self.assertEqual(Move.search([*scope, ("dunning_level_id.sequence", "=", 2)]), chased | disputed)
        self.assertEqual(Move.search(scope, order="dunning_last_date, id"), not_yet | paid | chased | disputed)
        by_state = dict(Move._read_group(scope, ["dunning_state"], ["__count"]))
        self.assertEqual(by_state, {"in_progress": 1, "blocked": 1, "none": 1, "closed": 1})
        by_level = dict(Move._read_group(scope, ["dunning_level_id"], ["__count"]))
        self.assertEqual(by_level, {overdue_level: 2, Move.dunning_level_id: 2})
