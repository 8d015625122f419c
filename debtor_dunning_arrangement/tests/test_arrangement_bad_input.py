# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.addons.debtor_dunning.tests.test_dunning_hooks import override
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY, ArrangementCommon


@tagged("post_install", "-at_install")
class TestArrangementBadInput(ArrangementCommon):
    """Each refusal says what is wrong, and loses nothing: the arrangement stays as it was, nothing is sent."""

    def assertRefused(self, arrangement, message):
        messages_before = arrangement.message_ids
        with freeze_time(TODAY), self.assertRaisesRegex(UserError, message):
            arrangement.action_confirm()
        self.assertEqual(arrangement.state, "draft", "nothing changed")
        self.assertFalse(arrangement.confirmation_attachment_id, "nothing sent")
        self.assertFalse((arrangement.message_ids - messages_before).filtered("partner_ids"))

    def _schedule(self, *amounts, start=14):
        return [(TODAY + timedelta(days=start + 30 * index), amount) for index, amount in enumerate(amounts)]

    def test_invoice_of_another_debtor(self):
        ours = self._invoice(TODAY - timedelta(days=20))
        theirs = self._invoice(TODAY - timedelta(days=20), partner=self.debtor_without_email)
        arrangement = self._arrangement(ours | theirs, self._schedule(100, 100))
        self.assertRefused(arrangement, "belongs to Piet Zonder Mail, not to Bakkerij Jansen")

    def test_selection_of_two_debtors_in_the_invoice_list(self):
        invoices = self._invoice(TODAY - timedelta(days=20)) | self._invoice(
            TODAY - timedelta(days=20), partner=self.debtor_without_email
        )
        with self.assertRaisesRegex(UserError, "covers the invoices of one debtor"):
            self.env["debtor.dunning.arrangement.wizard"].with_context(
                active_model="account.move", active_ids=invoices.ids
            ).create({"template_id": self.template.id})

    def test_mixed_currencies(self):
        invoices = self._invoice(TODAY - timedelta(days=20)) | self._invoice(
            TODAY - timedelta(days=20), currency=self.other_currency
        )
        arrangement = self._arrangement(invoices, self._schedule(100, 100))
        self.assertRefused(arrangement, "several currencies")

    def test_invoice_of_another_company(self):
        company_2 = self.setup_other_company(name="Tweede B.V.")["company"]
        ours = self._invoice(TODAY - timedelta(days=20))
        theirs = self._create_invoice_one_line(
            price_unit=100.0,
            tax_ids=[],
            partner_id=self.debtor,
            invoice_date=TODAY - timedelta(days=50),
            invoice_date_due=TODAY - timedelta(days=20),
            invoice_payment_term_id=False,
            company_id=company_2.id,
            post=True,
        )
        arrangement = self._arrangement(ours, self._schedule(50, 50))
        arrangement = arrangement.with_context(allowed_company_ids=[self.company.id, company_2.id])
        # check_company refuses the mix at the ORM level already; the message names the companies.
        problems = self.Arrangement._arrangeable_problems(ours | theirs, self.debtor, self.company)
        self.assertIn("several companies", "\n".join(problems))

    def test_paid_invoice(self):
        invoice = self._invoice(TODAY - timedelta(days=20))
        arrangement = self._arrangement(invoice, self._schedule(50, 50))
        self._pay(invoice, 100.0, TODAY - timedelta(days=1))
        self.assertRefused(arrangement, "is already paid")

    def test_draft_invoice_and_vendor_bill(self):
        draft = self._invoice(TODAY - timedelta(days=20), post=False)
        bill = self._vendor_bill()
        problems = "\n".join(self.Arrangement._arrangeable_problems(draft | bill, self.debtor, self.company))
        self.assertIn(f"{bill.name} is not a posted customer invoice", problems)
        self.assertEqual(problems.count("is not a posted customer invoice"), 2)

    def test_invoice_already_in_an_active_arrangement(self):
        invoice = self._invoice(TODAY - timedelta(days=20))
        first = self._arrange(invoice)
        second = self._arrangement(invoice, self._schedule(50, 50))
        self.assertRefused(second, f"{invoice.name} is already in payment arrangement {first.name}")
        with self.assertRaisesRegex(UserError, "already in payment arrangement"):
            self._arrange(invoice)

    def test_debtor_blocked_for_all_processes(self):
        invoice = self._invoice(TODAY - timedelta(days=20))
        self.env["debtor.dunning.block"].create(
            {
                "template_id": self.env.ref("debtor_dunning.block_template_bankruptcy").id,
                "partner_id": self.debtor.id,
                "date_start": TODAY - timedelta(days=3),
            }
        )
        arrangement = self._arrangement(invoice, self._schedule(50, 50))
        self.assertRefused(arrangement, "Bakkerij Jansen is blocked for all processes")

    def test_a_block_on_reminders_only_does_not_stop_an_arrangement(self):
        invoice = self._invoice(TODAY - timedelta(days=20))
        self.env["debtor.dunning.block"].create(
            {
                "template_id": self.env.ref("debtor_dunning.block_template_dispute").id,
                "move_id": invoice.id,
                "date_start": TODAY - timedelta(days=3),
            }
        )
        arrangement = self._arrangement(invoice, self._schedule(50, 50))
        with freeze_time(TODAY):
            arrangement.action_confirm()
        self.assertEqual(arrangement.state, "active")

    def test_invoice_blocked_for_payment_in_odoo(self):
        invoice = self._invoice(TODAY - timedelta(days=20))
        arrangement = self._arrangement(invoice, self._schedule(50, 50))
        invoice.payment_state = "blocked"
        self.assertRefused(arrangement, "blocked for payment")

    def test_invoice_handed_to_collection_by_another_add_on(self):
        """An invoice another add-on takes out of the run (collection) is not ours to arrange."""
        invoice = self._invoice(TODAY - timedelta(days=20))
        arrangement = self._arrangement(invoice, self._schedule(50, 50))

        def excluded_moves(run, super_excluded, move_ids):
            return super_excluded(move_ids) | {invoice.id: "test_collection"}

        def reason_labels(run, super_labels):
            return super_labels() | {"test_collection": "Handed over to a collection agency"}

        Run = self.env["debtor.dunning.run"]
        with (
            override(Run, "_dunning_excluded_moves", excluded_moves),
            override(Run, "_dunning_reason_labels", reason_labels),
        ):
            self.assertRefused(arrangement, "cannot be arranged: Handed over to a collection agency")

    def test_schedule_not_adding_up(self):
        invoice = self._invoice(TODAY - timedelta(days=20))
        arrangement = self._arrangement(invoice, self._schedule(50, 40))
        self.assertRefused(arrangement, r"add up to \$\xa090.00, but the open amount is \$\xa0100.00")

    def test_date_in_the_past(self):
        invoice = self._invoice(TODAY - timedelta(days=20))
        arrangement = self._arrangement(invoice, self._schedule(50, 50, start=-1))
        self.assertRefused(arrangement, "Instalment 1 is due on 05/31/2026, which is in the past")

    def test_dates_not_ascending(self):
        invoice = self._invoice(TODAY - timedelta(days=20))
        arrangement = self._arrangement(
            invoice, [(TODAY + timedelta(days=40), 50.0), (TODAY + timedelta(days=20), 50.0)]
        )
        self.assertRefused(arrangement, "Instalment 2 .* is not due after the one before it")

    def test_no_invoice_and_no_schedule(self):
        arrangement = self.Arrangement.create({"partner_id": self.debtor.id, "template_id": self.template.id})
        self.assertRefused(arrangement, "Select at least one open invoice")
        invoice = self._invoice(TODAY - timedelta(days=20))
        arrangement.move_ids = invoice
        self.assertRefused(arrangement, "has no instalments")

    def test_confirming_twice_and_breaking_a_draft(self):
        invoice = self._invoice(TODAY - timedelta(days=20))
        arrangement = self._arrange(invoice)
        with self.assertRaisesRegex(UserError, "Only a draft or proposed arrangement can be confirmed"):
            arrangement.action_confirm()
        draft = self._arrangement(self._invoice(TODAY - timedelta(days=20)), self._schedule(50, 50))
        with self.assertRaisesRegex(UserError, "Only an active arrangement can be broken"):
            draft.action_break()
        arrangement.action_cancel()
        with self.assertRaisesRegex(UserError, "has already ended"):
            arrangement.action_cancel()
        with self.assertRaisesRegex(UserError, "Only draft, proposed or cancelled"):
            self._arrange(self._invoice(TODAY - timedelta(days=20))).unlink()

    def test_computing_without_a_template(self):
        invoice = self._invoice(TODAY - timedelta(days=20))
        arrangement = self._arrangement(invoice, [])
        arrangement.template_id = False
        with self.assertRaisesRegex(UserError, "Choose a template"):
            arrangement.action_compute_instalments()

    def test_negative_grace_or_reminder_days_are_refused(self):
        for field in ("grace_days", "reminder_days_before"):
            with self.subTest(field=field), mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
                with self.env.cr.savepoint():
                    self.template.write({field: -1})
                    self.env.flush_all()
