# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Awkward input, as a credit controller meets it: one row per case, with what the controller expects.

Every row names a case, the behaviour a controller expects and the message he reads where one is
due (a skip reason of the run, the outcome of a letter, an error). `test_bad_input_table` runs each
row in its own savepoint, rolled back afterwards, so that the rows never see each other's data.
A case method sets up the data, runs the dunning and returns what a controller would look at:
the levels the main invoice reached and the messages shown; it asserts the details itself.
"""

from collections import namedtuple
from datetime import timedelta
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import fields, sql_db
from odoo.addons.debtor_dunning.models.debtor_dunning_run import RUN_LOCK_CLASS
from odoo.addons.debtor_dunning.models.debtor_dunning_run_batch import DebtorDunningRun
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY, DunningCommon

Case = namedtuple("Case", "name expected_behaviour levels message")

NO_EMAIL = "No e-mail address: letter to print and a call task for the controller."
# The run's reason codes (the run stores codes; their words are translated in one place).
COVERED = "covered_by_credit"
TOLERANCE = "tolerance"
MINIMUM = "below_minimum"
NO_POLICY = "no_policy"
LEVEL_GONE = "policy_changed"

CASES = [
    Case("missing_email", "letter decided; printed and a call task instead of the e-mail", [2], NO_EMAIL),
    Case("invalid_email", "an unusable address counts as none: printed letter and call task", [2], NO_EMAIL),
    Case("invalid_phone", "the e-mail goes out, the SMS is reported and not guessed", [2], "is not a valid phone"),
    Case("missing_phone", "the e-mail goes out, the missing number is reported", [2], "has no phone number"),
    Case("landline_for_sms", "no SMS to a fixed line, the other channels go on", [2], "is not a mobile number"),
    Case("partner_without_country", "the number is read in the company's country", [2], "SMS sent to +31612345678"),
    Case("foreign_currency", "one letter in the invoice's currency, amounts in that currency", [2], None),
    Case("two_currencies", "one letter per currency, never a sum over currencies", [2], None),
    Case("exchange_rate_changed", "the letter keeps the invoice's own currency amount", [2], None),
    Case("credit_note_larger_than_invoice", "not chased: the debtor owes nothing", [], COVERED),
    Case("credit_note_smaller_than_invoice", "chased: the credit leaves an amount due", [2], None),
    Case("credit_note_in_other_currency", "no netting across currencies: chased", [2], None),
    Case("credit_note_alone", "a credit note is never chased", [], None),
    Case("unmatched_payment_covers_debt", "not chased: the payment only needs matching", [], COVERED),
    Case("payment_registered_not_on_bank", "an invoice in payment is not chased", [], None),
    Case("zero_amount_invoice", "nothing to chase", [], None),
    Case("full_discount_invoice", "nothing to chase", [], None),
    Case("residual_below_tolerance", "a remainder below the tolerance counts as paid", [], TOLERANCE),
    Case("residual_equal_to_tolerance", "a remainder equal to the tolerance counts as paid", [], TOLERANCE),
    Case("remainder_below_minimum", "above the tolerance but below the minimum: not chased", [], MINIMUM),
    Case("small_invoice_below_minimum", "not chased, the reason is shown", [], MINIMUM),
    Case("pre_due_notice_below_minimum", "the courtesy notice before the due date still goes out", [1], None),
    Case("archived_debtor", "archiving a debtor does not cancel his debt: chased", [2], "E-mail sent to"),
    Case("archived_invoice_contact", "the letter goes to the debtor himself", [2], None),
    Case("invoice_contact_without_email", "the letter goes to the debtor's own address", [2], None),
    Case("contact_and_company_invoices", "one letter to the company covering both invoices", [2], None),
    Case("merged_debtor", "the dossier follows the invoice: next level, no repeat", [2, 3], None),
    Case("partner_language_missing", "the letter goes out in the company's language", [2], "E-mail sent to"),
    Case("invoice_in_other_company", "chased by its own company's run and policy only", [], None),
    Case("draft_invoice", "not chased, not even evaluated", [], None),
    Case("cancelled_invoice", "not chased", [], None),
    Case("vendor_bill", "not chased", [], None),
    Case("reset_to_draft_and_reposted", "the dossier stays: no second letter of the same level", [2], None),
    Case("due_far_in_the_future", "evaluated, nothing due yet", [], None),
    Case("two_instalments_first_overdue", "the overdue instalment is chased", [2], None),
    Case("missing_due_date", "read from the receivable line; the other invoices still go", [2], None),
    Case("policy_without_levels", "not chased, the reason is shown", [], NO_POLICY),
    Case("company_without_policy", "not chased, the reason is shown", [], NO_POLICY),
    Case("debtor_moved_to_other_policy", "stops and tells the controller", [2], LEVEL_GONE),
    Case("level_deleted_after_it_was_sent", "the deletion is refused, the dossier stays", [2], None),
    Case("level_deleted_before_use", "the ladder goes on with the next rung", [3], None),
    Case("negative_tolerance", "refused by the database", [], "cannot be negative"),
    Case("block_ended_in_the_past", "the block expires and dunning resumes", [2], None),
    Case("block_planned_in_the_future", "chased until the block starts, then blocked", [2], "blocked_debtor"),
    Case("block_lifted", "dunning resumes", [2], None),
    Case("invoice_disputed", "only that invoice waits, the reason is shown", [], "blocked_invoice"),
    Case("debtor_bankrupt", "nothing goes out, the reason is shown", [], "blocked_debtor"),
    Case("payment_between_preview_and_run", "in the preview, not chased by the run", [], None),
    Case("policy_edited_during_run", "no error; the edit applies from the next batch", [2], None),
    Case("policy_edited_between_runs", "the next run follows the edited ladder", [2, 3], None),
    Case("same_day_twice", "nothing twice", [2], None),
    Case("run_interrupted_in_a_cron", "marked failed by the next run, which does its work", [2], "Interrupted"),
    Case(
        "run_still_working_elsewhere",
        "a second run of the company stops at once and leaves the debtors to the first",
        [],
        "concurrent_run",
    ),
]


@tagged("post_install", "-at_install")
class TestDunningBadInput(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(name="Dunning Tweede B.V.")["company"]
        cls.Block = cls.env["debtor.dunning.block"]
        cls.netherlands = cls.env.ref("base.nl")
        cls.level_2 = cls.levels.filtered(lambda level: level.sequence == 2)

    def test_the_table_has_at_least_thirty_cases(self):
        self.assertGreaterEqual(len(CASES), 30)
        self.assertEqual(len({case.name for case in CASES}), len(CASES), "case names are unique")
        for case in CASES:
            self.assertTrue(hasattr(self, f"_case_{case.name}"), case.name)

    def test_bad_input_table(self):
        for case in CASES:
            with self.subTest(case=case.name, expected=case.expected_behaviour):
                savepoint = self.env.cr.savepoint()
                try:
                    invoice, messages = getattr(self, f"_case_{case.name}")()
                    self.assertEqual(self._levels_of(invoice) if invoice else [], case.levels)
                    if case.message:
                        self.assertTrue(
                            any(case.message in message for message in messages),
                            f"expected message {case.message!r} in {messages!r}",
                        )
                finally:
                    # Undo the case entirely: what is still pending in the cache goes with it.
                    savepoint.close(rollback=True)
                    self.env.clear()

    # ------------------------------------------------------------------ helpers
    def _partner(self, **values):
        return self.env["res.partner"].create({"name": "Debiteur", "email": "debiteur@example.nl", **values})

    def _reasons(self, run):
        return list(run.skip_reasons or {})

    def _send(self, invoice):
        communications = invoice.dunning_line_ids.communication_id.filtered(lambda c: c.state == "queued")
        communications._send()
        return communications

    def _credit_note(self, partner, amount, currency=None):
        return self._create_invoice_one_line(
            move_type="out_refund",
            price_unit=amount,
            tax_ids=[],
            partner_id=partner,
            invoice_date=TODAY - timedelta(days=5),
            currency_id=currency,
            post=True,
        )

    # ------------------------------------------------------------------ contact data
    def _case_missing_email(self):
        invoice = self._invoice(TODAY - timedelta(days=10), partner=self.debtor_without_email)
        self._run(TODAY)
        communication = self._send(invoice)
        self.assertEqual(
            (communication.state, communication.email_state, communication.letter_state, communication.call_state),
            ("sent", "no_address", "to_print", "planned"),
        )
        return invoice, [communication.outcome]

    def _case_invalid_email(self):
        partner = self._partner(email="jansen-at-example", street="Dorpsstraat 1", zip="1234 AB", city="Ergens")
        invoice = self._invoice(TODAY - timedelta(days=10), partner=partner)
        self._run(TODAY)
        communication = self._send(invoice)
        self.assertEqual((communication.email_state, communication.letter_state), ("no_address", "to_print"))
        return invoice, [communication.outcome]

    def _sms_case(self, **partner_values):
        self.level_2.channel_sms = True
        partner = self._partner(**partner_values)
        invoice = self._invoice(TODAY - timedelta(days=10), partner=partner)
        self._run(TODAY)
        communication = self._send(invoice)
        self.assertEqual(communication.state, "sent", "a bad number never blocks the other channels")
        self.assertEqual(communication.email_state, "sent")
        return invoice, [communication.outcome]

    def _case_invalid_phone(self):
        return self._sms_case(phone="12345", country_id=self.netherlands.id)

    def _case_missing_phone(self):
        return self._sms_case(phone=False, country_id=self.netherlands.id)

    def _case_landline_for_sms(self):
        return self._sms_case(phone="030 123 4567", country_id=self.netherlands.id)

    def _case_partner_without_country(self):
        self.company.country_id = self.netherlands
        invoice, messages = self._sms_case(phone="06 12345678", country_id=False)
        self.assertTrue(self.env["sms.sms"].search([("number", "=", "+31612345678")]))
        return invoice, messages

    # ------------------------------------------------------------------ currencies and credits
    def _case_foreign_currency(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=80.0, currency=self.other_currency)
        run = self._run(TODAY)
        communication = run.communication_ids
        self.assertEqual(communication.currency_id, self.other_currency)
        self.assertAlmostEqual(communication.amount_residual, 80.0)
        self.assertEqual(invoice.dunning_line_ids.currency_id, self.other_currency)
        return invoice, []

    def _case_two_currencies(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=100.0)
        foreign = self._invoice(TODAY - timedelta(days=10), amount=70.0, currency=self.other_currency)
        run = self._run(TODAY)
        self.assertEqual(len(run.communication_ids), 2)
        self.assertEqual(
            sorted((c.currency_id.name, c.amount_residual) for c in run.communication_ids),
            sorted([(self.company.currency_id.name, 100.0), (self.other_currency.name, 70.0)]),
        )
        self.assertEqual(self._levels_of(foreign), [2])
        return invoice, []

    def _case_exchange_rate_changed(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=100.0, currency=self.other_currency)
        self.env["res.currency.rate"].create(
            {"name": TODAY - timedelta(days=1), "rate": 5.0, "currency_id": self.other_currency.id}
        )
        run = self._run(TODAY)
        self.assertAlmostEqual(run.communication_ids.amount_residual, 100.0)
        self.assertEqual(run.communication_ids.currency_id, self.other_currency)
        return invoice, []

    def _case_credit_note_larger_than_invoice(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=100.0)
        self._credit_note(self.debtor, 150.0)
        run = self._run(TODAY)
        self.assertFalse(run.communication_ids)
        return invoice, self._reasons(run)

    def _case_credit_note_smaller_than_invoice(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=100.0)
        self._credit_note(self.debtor, 40.0)
        self._run(TODAY)
        return invoice, []

    def _case_credit_note_in_other_currency(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=100.0)
        self._credit_note(self.debtor, 500.0, currency=self.other_currency)
        self._run(TODAY)
        return invoice, []

    def _case_credit_note_alone(self):
        credit_note = self._credit_note(self.debtor, 150.0)
        run = self._run(TODAY)
        self.assertFalse(run.communication_ids)
        self.assertEqual(run.evaluated_count, 0)
        return credit_note, []

    def _case_unmatched_payment_covers_debt(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=100.0)
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.debtor.id,
                "amount": 100.0,
                "date": TODAY - timedelta(days=2),
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        payment.action_post()
        if not payment.move_id:
            # Without an outstanding account the payment books nothing yet: book it on the bank.
            self.skipTest("payments without journal entries in this chart")
        run = self._run(TODAY)
        return invoice, self._reasons(run)

    def _case_payment_registered_not_on_bank(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=100.0)
        self._register_payment(invoice, payment_date=TODAY - timedelta(days=1))
        self.assertIn(invoice.payment_state, ("in_payment", "paid"))
        run = self._run(TODAY)
        self.assertFalse(run.communication_ids)
        return invoice, []

    def _case_zero_amount_invoice(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=0.0)
        run = self._run(TODAY)
        self.assertFalse(run.communication_ids)
        return invoice, []

    def _case_full_discount_invoice(self):
        invoice = self._create_invoice_one_line(
            price_unit=100.0,
            discount=100.0,
            tax_ids=[],
            partner_id=self.debtor,
            invoice_date=TODAY - timedelta(days=40),
            invoice_date_due=TODAY - timedelta(days=10),
            invoice_payment_term_id=False,
            post=True,
        )
        run = self._run(TODAY)
        self.assertFalse(run.communication_ids)
        return invoice, []

    def _partly_paid(self, amount_paid):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=100.0)
        self._register_payment(invoice, amount=amount_paid, payment_date=TODAY - timedelta(days=2))
        return invoice, self._run(TODAY)

    def _case_residual_below_tolerance(self):
        invoice, run = self._partly_paid(99.5)
        return invoice, self._reasons(run)

    def _case_residual_equal_to_tolerance(self):
        invoice, run = self._partly_paid(99.0)
        return invoice, self._reasons(run)

    def _case_remainder_below_minimum(self):
        invoice, run = self._partly_paid(98.99)
        return invoice, self._reasons(run)

    def _case_small_invoice_below_minimum(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=5.0)
        run = self._run(TODAY)
        return invoice, self._reasons(run)

    def _case_pre_due_notice_below_minimum(self):
        invoice = self._invoice(TODAY + timedelta(days=5), amount=5.0)
        self._run(TODAY)
        return invoice, []

    # ------------------------------------------------------------------ debtors and contacts
    def _case_archived_debtor(self):
        partner = self._partner()
        invoice = self._invoice(TODAY - timedelta(days=10), partner=partner)
        partner.action_archive()
        self._run(TODAY)
        communication = self._send(invoice)
        self.assertEqual(communication.partner_id, partner)
        return invoice, [communication.outcome]

    def _case_archived_invoice_contact(self):
        contact = self._partner(type="invoice", parent_id=self.debtor.id, email="oud@jansen.example.nl")
        contact.action_archive()
        invoice = self._invoice(TODAY - timedelta(days=10))
        run = self._run(TODAY)
        self.assertEqual(run.communication_ids.recipient_id, self.debtor)
        return invoice, []

    def _case_invoice_contact_without_email(self):
        self._partner(type="invoice", parent_id=self.debtor.id, email=False)
        invoice = self._invoice(TODAY - timedelta(days=10))
        run = self._run(TODAY)
        self.assertEqual(run.communication_ids.recipient_id, self.debtor)
        return invoice, []

    def _case_contact_and_company_invoices(self):
        person = self._partner(name="Jan Jansen", parent_id=self.debtor.id, email="jan@jansen.example.nl")
        invoice = self._invoice(TODAY - timedelta(days=10))
        other = self._invoice(TODAY - timedelta(days=12), partner=person)
        run = self._run(TODAY)
        self.assertEqual(len(run.communication_ids), 1)
        self.assertEqual(run.communication_ids.partner_id, self.debtor)
        self.assertEqual(run.communication_ids.move_ids, invoice | other)
        return invoice, []

    def _case_merged_debtor(self):
        duplicate = self._partner(name="Bakkerij Jansen (dubbel)")
        invoice = self._invoice(TODAY - timedelta(days=10), partner=duplicate)
        self._run(TODAY)
        self.env["base.partner.merge.automatic.wizard"]._merge([duplicate.id, self.debtor.id], self.debtor)
        self.assertEqual(invoice.commercial_partner_id, self.debtor)
        self._run(TODAY + timedelta(days=1))
        self._run(TODAY + timedelta(days=20))
        return invoice, []

    def _case_partner_language_missing(self):
        partner = self._partner(lang=False)
        invoice = self._invoice(TODAY - timedelta(days=10), partner=partner)
        self._run(TODAY)
        communication = self._send(invoice)
        self.assertEqual(communication.email_state, "sent")
        return invoice, [communication.outcome]

    # ------------------------------------------------------------------ invoices the run must leave alone
    def _case_invoice_in_other_company(self):
        partner = self._partner()
        invoice = self._create_invoice_one_line(
            price_unit=100.0,
            tax_ids=[],
            partner_id=partner,
            company_id=self.company_2.id,
            journal_id=self.env["account.journal"]
            .search([("type", "=", "sale"), ("company_id", "=", self.company_2.id)], limit=1)
            .id,
            invoice_date=TODAY - timedelta(days=40),
            invoice_date_due=TODAY - timedelta(days=10),
            invoice_payment_term_id=False,
            post=True,
        )
        runs = self.Run.execute(date=TODAY)
        own = runs.filtered(lambda run: run.company_id == self.company)
        theirs = runs.filtered(lambda run: run.company_id == self.company_2)
        self.assertFalse(own.communication_ids.filtered(lambda c: c.partner_id == partner))
        self.assertEqual(theirs.communication_ids.move_ids, invoice)
        self.assertEqual(theirs.communication_ids.level_id.policy_id, self.company_2.dunning_policy_id)
        self.assertNotEqual(self.company_2.dunning_policy_id, self.policy)
        # The company's own run reached it; the table checks that the first company's run did not.
        return theirs.communication_ids.move_ids.browse(), []

    def _case_draft_invoice(self):
        invoice = self._invoice(TODAY - timedelta(days=10), post=False)
        run = self._run(TODAY)
        self.assertEqual(run.evaluated_count, 0)
        return invoice, []

    def _case_cancelled_invoice(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        invoice.button_draft()
        invoice.button_cancel()
        run = self._run(TODAY)
        self.assertEqual(run.evaluated_count, 0)
        return invoice, []

    def _case_vendor_bill(self):
        bill = self._vendor_bill()
        run = self._run(TODAY)
        self.assertEqual(run.evaluated_count, 0)
        return bill, []

    def _case_reset_to_draft_and_reposted(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        self._run(TODAY)
        invoice.button_draft()
        invoice.action_post()
        self._run(TODAY + timedelta(days=1))
        return invoice, []

    # ------------------------------------------------------------------ dates
    def _case_due_far_in_the_future(self):
        invoice = self._invoice(TODAY + timedelta(days=365))
        run = self._run(TODAY)
        self.assertEqual((run.evaluated_count, run.sent_count, run.skipped_count), (1, 0, 0))
        return invoice, []

    def _case_two_instalments_first_overdue(self):
        invoice = self._invoice_in_two_instalments(TODAY - timedelta(days=10))
        self.assertGreater(invoice.invoice_date_due, TODAY, "Odoo's due date is the last instalment's")
        run = self._run(TODAY)
        line = invoice.dunning_line_ids
        self.assertEqual(line.invoice_date_due, TODAY - timedelta(days=10), "the overdue instalment's date")
        self.assertAlmostEqual(run.communication_ids.amount_overdue, 300.0)
        return invoice, []

    def _case_missing_due_date(self):
        odd = self._invoice(TODAY - timedelta(days=10))
        invoice = self._invoice(TODAY - timedelta(days=12), partner=self.debtor_without_email)
        self.env.flush_all()
        self.env.cr.execute("UPDATE account_move SET invoice_date_due = NULL WHERE id = %s", [odd.id])
        self.env.invalidate_all()
        run = self._run(TODAY)
        self.assertEqual(run.error_count, 0, run.skip_reasons)
        self.assertEqual(self._levels_of(odd), [2], "the receivable line's maturity stands in")
        return invoice, []

    # ------------------------------------------------------------------ policies and levels
    def _case_policy_without_levels(self):
        empty = self.env["debtor.dunning.policy"].create({"name": "Leeg"})
        self.debtor.with_company(self.company).dunning_policy_id = empty
        invoice = self._invoice(TODAY - timedelta(days=10))
        run = self._run(TODAY)
        return invoice, self._reasons(run)

    def _case_company_without_policy(self):
        self.company.dunning_policy_id = False
        invoice = self._invoice(TODAY - timedelta(days=10))
        run = self._run(TODAY)
        return invoice, self._reasons(run)

    def _case_debtor_moved_to_other_policy(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        self._run(TODAY)
        other = self.policy.copy({"name": "Strenger"})
        self.debtor.with_company(self.company).dunning_policy_id = other
        run = self._run(TODAY + timedelta(days=30))
        self.assertEqual(run.skipped_count, 1)
        return invoice, self._reasons(run)

    def _case_level_deleted_after_it_was_sent(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        self._run(TODAY)
        messages = []
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as refused, self.env.cr.savepoint():
            self.level_2.unlink()
            self.env.flush_all()
        messages.append(str(refused.exception))
        self.env.invalidate_all()
        self.assertTrue(self.level_2.exists())
        return invoice, messages

    def _case_level_deleted_before_use(self):
        self.level_2.unlink()
        invoice = self._invoice(TODAY - timedelta(days=10))
        self._run(TODAY)
        self.assertEqual(self._levels_of(invoice), [], "level 3 waits for its own day")
        self._run(TODAY + timedelta(days=5))
        return invoice, []

    def _case_negative_tolerance(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as refused, self.env.cr.savepoint():
            self.policy.residual_tolerance = -1.0
            self.env.flush_all()
        self.env.invalidate_all()
        return None, [str(refused.exception), self.policy._check_amounts.message]

    def _case_policy_edited_during_run(self):
        debtors = self.env["res.partner"].create(
            [{"name": f"Debtor {i}", "email": f"d{i}@example.nl"} for i in range(4)]
        )
        invoices = [self._invoice(TODAY - timedelta(days=10), partner=debtor) for debtor in debtors]
        original = DebtorDunningRun._process_batch
        level_2 = self.level_2

        def edit_after_first_batch(run, *args, **kwargs):
            result = original(run, *args, **kwargs)
            level_2.day_offset = 30  # a controller saves the policy meanwhile
            return result

        with (
            patch("odoo.addons.debtor_dunning.models.debtor_dunning_run.PARTNER_BATCH_SIZE", 2),
            patch.object(DebtorDunningRun, "_process_batch", edit_after_first_batch),
        ):
            run = self._run(TODAY)
        self.assertEqual((run.state, run.error_count), ("done", 0))
        levels = [self._levels_of(invoice) for invoice in invoices]
        self.assertEqual(levels, [[2], [2], [], []], "the first batch before the edit, the others after it")
        return invoices[0], []

    def _case_policy_edited_between_runs(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        self._run(TODAY)
        self.levels.filtered(lambda level: level.sequence == 3).day_offset = 40
        self._run(TODAY + timedelta(days=20))
        self.assertEqual(self._levels_of(invoice), [2], "level 3 now waits for day 40")
        self._run(TODAY + timedelta(days=30))
        return invoice, []

    def _case_same_day_twice(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        self._run(TODAY)
        second = self._run(TODAY)
        self.assertEqual((second.sent_count, second.error_count), (0, 0))
        return invoice, []

    # ------------------------------------------------------------------ blocks
    def _case_block_ended_in_the_past(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        block = self.Block.create(
            {
                "template_id": self.env.ref("debtor_dunning.block_template_promise_to_pay").id,
                "partner_id": self.debtor.id,
                "date_start": TODAY - timedelta(days=20),
                "date_end": TODAY - timedelta(days=1),
            }
        )
        self._run(TODAY)
        self.assertEqual(block.state, "expired")
        return invoice, []

    def _case_block_planned_in_the_future(self):
        # A block counts from its start day when it was placed before it; today's clock decides that,
        # so this case runs on today's dates.
        today = fields.Date.context_today(self.Run)
        invoice = self._invoice(today - timedelta(days=10))
        self.Block.create(
            {
                "template_id": self.env.ref("debtor_dunning.block_template_promise_to_pay").id,
                "partner_id": self.debtor.id,
                "date_start": today + timedelta(days=10),
            }
        )
        self._run(today)
        self.assertEqual(self._levels_of(invoice), [2])
        later = self._run(today + timedelta(days=12))
        return invoice, self._reasons(later)

    def _case_block_lifted(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        block = self.Block.create(
            {"template_id": self.env.ref("debtor_dunning.block_template_dispute").id, "move_id": invoice.id}
        )
        block.action_lift()
        self._run(TODAY)
        return invoice, []

    def _case_invoice_disputed(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        other = self._invoice(TODAY - timedelta(days=10), amount=50.0)
        self.Block.create(
            {"template_id": self.env.ref("debtor_dunning.block_template_dispute").id, "move_id": invoice.id}
        )
        run = self._run(TODAY)
        self.assertEqual(self._levels_of(other), [2])
        return invoice, self._reasons(run)

    def _case_debtor_bankrupt(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        self.Block.create(
            {"template_id": self.env.ref("debtor_dunning.block_template_bankruptcy").id, "partner_id": self.debtor.id}
        )
        run = self._run(TODAY)
        self.assertEqual(run.blocked_count, 1)
        return invoice, self._reasons(run)

    # ------------------------------------------------------------------ timing
    def _case_payment_between_preview_and_run(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        preview = self._run(TODAY, preview=True)
        self.assertEqual(preview.communication_ids.move_ids, invoice)
        self._register_payment(invoice, payment_date=TODAY)
        run = self._run(TODAY)
        self.assertFalse(run.communication_ids)
        return invoice, []

    def _case_run_interrupted_in_a_cron(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        # A run inside a cron commits batch by batch; this one's process died half-way.
        dead = self.Run.create({"date": TODAY, "company_id": self.company.id})
        self._run(TODAY)
        self.assertEqual(dead.state, "failed")
        return invoice, [dead.error_message]

    def _case_run_still_working_elsewhere(self):
        invoice = self._invoice(TODAY - timedelta(days=10))
        alive = self.Run.create({"date": TODAY, "company_id": self.company.id})
        # Another process's run inside a cron holds the company's lock while it works.
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other_process:
            other_process.execute("SELECT pg_advisory_lock(%s, %s)", [RUN_LOCK_CLASS, self.company.id])
            try:
                run = self._run(TODAY)
                preview = self._run(TODAY, preview=True)
            finally:
                other_process.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK_CLASS, self.company.id])
        self.assertEqual((run.state, run.error_count, run.skipped_count), ("done", 0, 1))
        self.assertEqual(alive.state, "running", "a live run is never marked interrupted")
        self.assertEqual(preview.communication_ids.move_ids, invoice, "a preview never waits for anyone")
        return invoice, self._reasons(run)
