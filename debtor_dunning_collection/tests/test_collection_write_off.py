# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CollectionCommon

WRITE_OFF_DATE = date(2026, 9, 15)


@tagged("post_install", "-at_install")
class TestCollectionWriteOff(CollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat21 = cls.company_data["default_tax_sale"].copy({"name": "BTW 21%", "amount": 21.0})

    def _invoice_21(self, amount=1000.0):
        return self._create_invoice_one_line(
            price_unit=amount,
            tax_ids=self.vat21.ids,
            partner_id=self.debtor,
            invoice_date=date(2025, 3, 1),
            invoice_date_due=date(2025, 3, 31),
            invoice_payment_term_id=False,
            post=True,
        )

    def _write_off(self, invoices, vat_relief=True, user=None):
        Wizard = self.env["debtor.dunning.write.off"].with_user(user or self.env.user)
        wizard = Wizard.with_context(default_move_ids=invoices.ids).create(
            {"date": WRITE_OFF_DATE, "reason": "bankruptcy", "vat_relief": vat_relief}
        )
        wizard.action_confirm()
        return invoices.dunning_write_off_move_id

    def _tax_figures(self, on_date_from, on_date_to):
        """(base, tax) of the 21 % tax in the period, as Odoo's tax report adds them up: base on the
        lines carrying the tax, tax on the lines of its repartition, both in the report's sign
        (sales VAT positive, a reclaim negative)."""
        Line = self.env["account.move.line"]
        period = [("date", ">=", on_date_from), ("date", "<=", on_date_to), ("parent_state", "=", "posted")]
        tax = -sum(Line.search([*period, ("tax_line_id", "=", self.vat21.id)]).mapped("balance"))
        base = -sum(Line.search([*period, ("tax_ids", "in", self.vat21.ids)]).mapped("balance"))
        return round(base, 2), round(tax, 2)

    def test_write_off_with_vat_relief_of_a_21_percent_invoice(self):
        invoice = self._invoice_21()
        self.assertEqual(invoice.amount_total, 1210.0)
        # The debtor paid 121 (a tenth); 1,089 remains: 900 net and 189 VAT.
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": 121.0, "payment_date": date(2025, 5, 1)}
        )._create_payments()
        entry = self._write_off(invoice)
        self.assertEqual(entry.state, "posted")
        self.assertEqual(entry.date, WRITE_OFF_DATE)
        self.assertTrue(invoice.dunning_written_off)
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertEqual(invoice.dunning_write_off_amount, 1089.0)
        receivable = entry.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        bad_debt = entry.line_ids.filtered(lambda line: line.account_id == self.company.dunning_write_off_account_id)
        vat = entry.line_ids.filtered("tax_repartition_line_id")
        self.assertEqual(receivable.balance, -1089.0)
        self.assertTrue(receivable.reconciled, "reconciled with the invoice")
        self.assertEqual(sum(bad_debt.mapped("balance")), 900.0)
        self.assertEqual(vat.balance, 189.0)
        self.assertEqual(vat.tax_repartition_line_id.document_type, "refund", "on the tax's refund repartition")
        self.assertEqual(invoice.dunning_vat_relief_amount, 189.0)
        # The tax report of the write-off's quarter: 900 base and 189 VAT reclaimed, both negative.
        self.assertEqual(self._tax_figures(date(2026, 7, 1), date(2026, 9, 30)), (-900.0, -189.0))
        # The invoice's own quarter still shows the sale.
        self.assertEqual(self._tax_figures(date(2025, 1, 1), date(2025, 3, 31)), (1000.0, 210.0))

    def test_write_off_without_vat_relief(self):
        invoice = self._invoice_21()
        entry = self._write_off(invoice, vat_relief=False)
        self.assertFalse(entry.line_ids.filtered("tax_repartition_line_id"))
        bad_debt = entry.line_ids.filtered(lambda line: line.account_id == self.company.dunning_write_off_account_id)
        self.assertEqual(bad_debt.balance, 1210.0)
        self.assertEqual(self._tax_figures(date(2026, 7, 1), date(2026, 9, 30)), (0.0, 0.0))
        self.assertEqual(invoice.dunning_vat_relief_amount, 0.0)

    def test_one_entry_per_invoice(self):
        first, second = self._invoice_21(1000.0), self._invoice_21(500.0)
        entries = self._write_off(first | second)
        self.assertEqual(len(entries), 2)
        self.assertEqual(first.dunning_write_off_move_id.dunning_write_off_source_id, first)
        self.assertEqual(second.dunning_write_off_amount, 605.0)

    def test_only_credit_managers_write_off(self):
        invoice = self._invoice_21()
        controller = new_test_user(
            self.env, login="controller_wo", groups="debtor_dunning.group_debtor_dunning_controller"
        )
        with self.assertRaises(AccessError):
            self._write_off(invoice, user=controller)
        self.assertFalse(invoice.dunning_written_off)

    def test_vat_relief_due_filter_lists_invoices_unpaid_a_year_after_due(self):
        old = self._invoice_21()
        recent = self._create_invoice_one_line(
            price_unit=100.0,
            tax_ids=self.vat21.ids,
            partner_id=self.debtor,
            invoice_date=date(2026, 10, 1),
            invoice_date_due=date(2026, 10, 31),
            invoice_payment_term_id=False,
            post=True,
        )
        action_filter = self.env.ref("debtor_dunning_collection.account_move_view_search")
        self.assertIn("dunning_vat_relief_due", action_filter.arch)
        domain = [
            ("move_type", "=", "out_invoice"),
            ("invoice_date_due", "<", date(2026, 11, 1).replace(year=2025)),
            ("payment_state", "in", ("not_paid", "partial")),
            ("dunning_vat_relief_move_id", "=", False),
            ("amount_tax", "!=", 0),
        ]
        found = self.env["account.move"].search(domain)
        self.assertIn(old, found)
        self.assertNotIn(recent, found)
        self._write_off(old)
        self.assertNotIn(old, self.env["account.move"].search(domain))

    def test_vat_relief_while_collecting_then_a_payment_makes_vat_due_again_pro_rata(self):
        invoice = self._invoice_21()
        wizard = (
            self.env["debtor.dunning.write.off"]
            .with_context(default_move_ids=invoice.ids)
            .create({"date": WRITE_OFF_DATE, "reason": "uncollectible", "mode": "vat_relief"})
        )
        wizard.action_confirm()
        self.assertEqual(invoice.amount_residual, 1210.0, "the claim is still collected in full")
        self.assertFalse(invoice.dunning_written_off)
        self.assertEqual(invoice.dunning_vat_relief_amount, 210.0)
        self.assertEqual(self._tax_figures(date(2026, 7, 1), date(2026, 9, 30)), (-1000.0, -210.0))
        # The debtor pays half: half of the relief is due again, in the period of the run that sees it.
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": 605.0, "payment_date": date(2026, 10, 5)}
        )._create_payments()
        run = self.Run.execute(date=date(2026, 10, 6))
        self.assertEqual(run.filtered(lambda r: r.company_id == self.company).step_counts.get("vat_due_again"), 1)
        self.assertEqual(invoice.dunning_vat_relief_repaid_amount, 105.0)
        self.assertEqual(self._tax_figures(date(2026, 10, 1), date(2026, 12, 31)), (500.0, 105.0))
        # Nothing is booked twice.
        self.Run.execute(date=date(2026, 10, 7))
        self.assertEqual(self._tax_figures(date(2026, 10, 1), date(2026, 12, 31)), (500.0, 105.0))
        # Writing the rest off later reclaims no VAT a second time.
        entry = self._write_off(invoice)
        self.assertFalse(entry.line_ids.filtered("tax_repartition_line_id"))
