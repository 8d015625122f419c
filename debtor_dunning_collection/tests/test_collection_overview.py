# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import CollectionCommon

TODAY = date(2026, 9, 20)


@tagged("post_install", "-at_install")
class TestCollectionOverview(CollectionCommon):
    """The collection add-on's part of the overview and the reports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat21 = cls.company_data["default_tax_sale"].copy({"name": "BTW 21%", "amount": 21.0})
        cls.controller = cls._new_user("collection_overview_controller")

    def _invoice_21(self, due, amount=1000.0, partner=None):
        return self._create_invoice_one_line(
            price_unit=amount,
            tax_ids=self.vat21.ids,
            partner_id=partner or self.debtor,
            invoice_date=date(due.year, due.month, 1),
            invoice_date_due=due,
            invoice_payment_term_id=False,
            post=True,
        )

    def _overview(self):
        with freeze_time(TODAY):
            return self.env["debtor.dunning.overview"].with_user(self.controller).create({})

    def test_queue_counts_cases_vat_relief_and_limitation(self):
        old = self._invoice_21(date(2025, 3, 31))  # unpaid 18 months: VAT relief due
        handed = self._invoice_21(date(2026, 8, 31))  # recent: neither
        ancient = self._invoice_21(date(2021, 11, 30), amount=100.0, partner=self.consumer)
        # Time-barred five years after the due date: 30 November 2026, within 90 days of TODAY.
        self.assertEqual(ancient.dunning_limitation_date, date(2026, 11, 30))
        self.Case.create({"partner_id": self.debtor.id, "move_ids": [Command.set(handed.ids)]})
        counts = {line.code: line.count for line in self._overview().queue_ids}
        self.assertEqual(counts["cases_to_approve"], 1)
        # Both old invoices are unpaid a year after their due date and carry VAT.
        self.assertEqual(counts["vat_relief_due"], 2)
        self.assertEqual(counts["limitations_soon"], 1)
        with freeze_time(TODAY):
            Move = self.env["account.move"].with_user(self.controller)
            self.assertEqual(Move.search([("dunning_limitation_soon", "=", True)]), ancient)
            self.assertIn(old, Move.search([("dunning_vat_relief_due", "=", True)]))
            self.assertEqual(self.consumer.with_user(self.controller).dunning_limitation_soon_count, 1)
        # Relief booked: no longer due.
        self.env["debtor.dunning.write.off"].with_context(default_move_ids=old.ids).create(
            {"date": TODAY, "reason": "bankruptcy", "vat_relief": True}
        ).action_confirm()
        counts = {line.code: line.count for line in self._overview().queue_ids}
        self.assertEqual(counts["vat_relief_due"], 1)

    def test_warning_when_the_interest_table_has_no_rate_for_the_half_year(self):
        with freeze_time(TODAY):
            self.assertNotIn("statutory interest", self._overview().warning_message or "")
        with freeze_time(date(2027, 1, 10)):
            overview = self.env["debtor.dunning.overview"].with_user(self.controller).create({})
        self.assertIn("statutory interest table has no rate", overview.warning_message)

    def test_write_offs_in_the_report_and_the_trend(self):
        invoice = self._invoice_21(date(2025, 3, 31))
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": 121.0, "payment_date": date(2025, 5, 1)}
        )._create_payments()
        self.env["debtor.dunning.write.off"].with_context(default_move_ids=invoice.ids).create(
            {"date": date(2026, 9, 15), "reason": "bankruptcy", "vat_relief": True}
        ).action_confirm()
        rows = self.env["debtor.dunning.write.off.report"].with_user(self.controller).search([])
        self.assertEqual(len(rows), 1)
        self.assertEqual(
            (rows.move_id, rows.date, rows.amount_written_off, rows.amount_vat_relief),
            (invoice, date(2026, 9, 15), 1089.0, 189.0),
        )
        with freeze_time(TODAY):
            values = self.env["debtor.dunning.trend.report"]._trend_values(self.company, TODAY, months=2)
        by_month = {row["month"]: row["written_off"] for row in values}
        self.assertEqual(by_month, {date(2026, 9, 1): 1089.0, date(2026, 8, 1): 0.0})
