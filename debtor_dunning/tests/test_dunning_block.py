# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
class TestDunningBlock(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Block = cls.env["debtor.dunning.block"]
        cls.dispute = cls.env.ref("debtor_dunning.block_template_dispute")
        cls.promise = cls.env.ref("debtor_dunning.block_template_promise_to_pay")
        cls.bankruptcy = cls.env.ref("debtor_dunning.block_template_bankruptcy")

    def test_shipped_templates(self):
        self.assertEqual(
            [
                (t.applies_to, t.blocked_processes, t.duration_days)
                for t in (self.dispute, self.promise, self.bankruptcy)
            ],
            [("move", "reminders", 0), ("partner", "reminders", 14), ("partner", "all", 0)],
        )
        closed = self.env.ref("debtor_dunning.block_template_company_closed")
        self.assertEqual((closed.applies_to, closed.duration_days), ("partner", 30))

    def test_debtor_block_skips_all_his_invoices_and_says_why(self):
        first = self._invoice(TODAY - timedelta(days=10))
        second = self._invoice(TODAY - timedelta(days=20))
        self.Block.create({"template_id": self.bankruptcy.id, "partner_id": self.debtor.id, "date_start": TODAY})
        self.assertEqual(first.dunning_state, "blocked")
        run = self._run(TODAY)
        self.assertEqual(run.blocked_count, 2)
        self.assertEqual(self._levels_of(first) + self._levels_of(second), [])
        self.assertEqual(run.skip_reasons, {"blocked_debtor": 2})
        self.assertIn("Debtor blocked: 2", run.skip_summary, "the run says why in words")

    def test_invoice_block_covers_only_that_invoice(self):
        disputed = self._invoice(TODAY - timedelta(days=10))
        other = self._invoice(TODAY - timedelta(days=10))
        self.Block.create({"template_id": self.dispute.id, "move_id": disputed.id, "reason": "Wrong quantity"})
        run = self._run(TODAY)
        self.assertEqual(self._levels_of(disputed), [])
        self.assertEqual(self._levels_of(other), [2])
        self.assertEqual(run.skip_reasons, {"blocked_invoice": 1})

    def test_promise_to_pay_expires_by_itself_and_dunning_resumes_at_its_level(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        self._run(TODAY)
        block = self.Block.create({"template_id": self.promise.id, "partner_id": self.debtor.id, "date_start": TODAY})
        self.assertEqual(block.date_end, TODAY + timedelta(days=13), "14 days, the start day included")
        self._run(TODAY + timedelta(days=13))
        self.assertEqual(self._levels_of(invoice), [2])
        self._run(TODAY + timedelta(days=14))
        self.assertEqual(block.state, "expired")
        self.assertEqual(self._levels_of(invoice), [2, 3], "resumes at the next level, nothing skipped")

    def test_lifting_resumes_at_the_level_the_invoice_had(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        self._run(TODAY)
        block = self.Block.create({"template_id": self.dispute.id, "move_id": invoice.id})
        self._run(TODAY + timedelta(days=30))
        self.assertEqual(self._levels_of(invoice), [2])
        block.action_lift()
        self.assertEqual((block.state, block.lifted_by_id), ("lifted", self.env.user))
        self.assertEqual(invoice.dunning_state, "in_progress")
        self._run(TODAY + timedelta(days=31))
        self.assertEqual(self._levels_of(invoice), [2, 3])

    def test_only_a_manager_lifts_someone_elses_block(self):
        controller = new_test_user(
            self.env,
            login="controller",
            groups="debtor_dunning.group_debtor_dunning_controller",
            company_id=self.company.id,
        )
        other_controller = new_test_user(
            self.env,
            login="controller2",
            groups="debtor_dunning.group_debtor_dunning_controller",
            company_id=self.company.id,
        )
        block = self.Block.with_user(controller).create({"template_id": self.promise.id, "partner_id": self.debtor.id})
        with self.assertRaises(AccessError):
            block.with_user(other_controller).action_lift()
        block.with_user(controller).action_lift()
        self.assertEqual(block.state, "lifted")

    def test_a_block_covers_a_debtor_or_an_invoice(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.Block.create({"template_id": self.dispute.id, "move_id": invoice.id, "partner_id": self.debtor.id})
            self.env.flush_all()
        bill = self._create_invoice_one_line(move_type="in_invoice", price_unit=10.0, partner_id=self.debtor, post=True)
        with self.assertRaises(ValidationError):
            self.Block.create({"template_id": self.dispute.id, "move_id": bill.id})

    def test_a_block_on_a_contact_is_placed_on_the_debtor(self):
        contact = self.env["res.partner"].create({"name": "Jan", "parent_id": self.debtor.id})
        block = self.Block.create({"template_id": self.promise.id, "partner_id": contact.id})
        self.assertEqual(block.partner_id, self.debtor)

    def test_the_invoice_shows_blocked_exactly_when_the_run_leaves_it_alone(self):
        planned_invoice = self._invoice(TODAY - timedelta(days=10))
        other = self.env["res.partner"].create({"name": "De Ander B.V.", "email": "other@example.nl"})
        ended_invoice = self._invoice(TODAY - timedelta(days=10), partner=other)
        held_by_odoo = self._invoice(
            TODAY - timedelta(days=10),
            partner=self.env["res.partner"].create({"name": "Vast B.V.", "email": "held@example.nl"}),
        )
        held_by_odoo.action_toggle_block_payment()
        # A block holds from the moment it is placed (its create_date, the transaction's time) unless
        # planned for a later start.
        placed = self.env.cr.now().date()
        self.Block.create(
            {"template_id": self.promise.id, "partner_id": self.debtor.id, "date_start": placed + timedelta(days=3)}
        )
        with freeze_time(TODAY - timedelta(days=5)):
            self.Block.create(
                {"template_id": self.promise.id, "partner_id": other.id, "date_end": TODAY - timedelta(days=1)}
            )
        with freeze_time(TODAY):
            self.env.invalidate_all()
            statuses = [move.dunning_state for move in (planned_invoice, ended_invoice, held_by_odoo)]
            portal = [move.dunning_portal_status for move in (planned_invoice, ended_invoice, held_by_odoo)]
        self.assertEqual(statuses, ["none", "none", "blocked"], "a planned or ended block does not hold yet/any more")
        self.assertEqual(portal, ["overdue", "overdue", "paused"])
        self._run(TODAY)
        self.assertEqual(
            [self._levels_of(move) for move in (planned_invoice, ended_invoice, held_by_odoo)], [[2], [2], []]
        )
