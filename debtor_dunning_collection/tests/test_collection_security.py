# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.addons.debtor_dunning.tests.common import TODAY
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionSecurity(CollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.controller = new_test_user(
            cls.env, login="controller_sec", groups="debtor_dunning.group_debtor_dunning_controller"
        )
        cls.manager = new_test_user(
            cls.env,
            login="manager_sec",
            groups="debtor_dunning.group_debtor_dunning_manager,account.group_account_manager",
        )

    def _case(self):
        invoice = self._invoice(TODAY - timedelta(days=100), amount=700.0, partner=self.debtor, currency=self.euro)
        with freeze_time(TODAY):
            self.env["debtor.dunning.collection.handover"].create(
                {"move_ids": [(6, 0, invoice.ids)], "reason": "No answer"}
            ).action_confirm()
        return invoice.dunning_case_id

    def test_a_controller_reads_cases_and_agencies_but_changes_nothing(self):
        case = self._case()
        self.assertEqual(case.with_user(self.controller).state, "handed_over")
        self.assertEqual(self.agency.with_user(self.controller).name, "Incasso Noord")
        with self.assertRaises(AccessError):
            case.with_user(self.controller).action_close()
        with self.assertRaises(AccessError):
            case.with_user(self.controller).write({"reason": "changed"})
        with self.assertRaises(AccessError):
            self.agency.with_user(self.controller).write({"wki_registration": False})
        with self.assertRaises(AccessError):
            self.env["debtor.dunning.collection.payment"].with_user(self.controller).create(
                {"case_id": case.id, "amount": 10.0, "journal_id": self.company_data["default_journal_bank"].id}
            )

    def test_a_credit_manager_hands_over_and_closes(self):
        invoice = self._invoice(TODAY - timedelta(days=100), amount=300.0, partner=self.debtor, currency=self.euro)
        with freeze_time(TODAY):
            self.env["debtor.dunning.collection.handover"].with_user(self.manager).create(
                {"move_ids": [(6, 0, invoice.ids)], "reason": "Bankrupt"}
            ).action_confirm()
        case = invoice.dunning_case_id
        self.assertEqual(case.state, "handed_over")
        case.with_user(self.manager).action_close()
        self.assertEqual(case.state, "closed")

    def test_another_companys_cases_and_agencies_are_invisible(self):
        case = self._case()
        other_company = self.setup_other_company()["company"]
        outsider = new_test_user(
            self.env,
            login="manager_other",
            groups="debtor_dunning.group_debtor_dunning_manager",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        Case = self.env["debtor.dunning.collection.case"].with_user(outsider)
        self.assertFalse(Case.search([("id", "=", case.id)]))
        self.assertFalse(
            self.env["debtor.dunning.collection.agency"].with_user(outsider).search([("id", "=", self.agency.id)])
        )
        with self.assertRaises(AccessError):
            case.with_user(outsider).read(["name"])


@tagged("post_install", "-at_install")
class TestLimitationDate(CollectionCommon):
    def test_five_years_after_due_restarted_by_each_written_reminder(self):
        invoice = self._invoice(TODAY - timedelta(days=200), amount=100.0, partner=self.debtor, currency=self.euro)
        self.assertEqual(invoice.dunning_limitation_date, (TODAY - timedelta(days=200)).replace(year=2030))
        self._climb_to(invoice, 3)
        sent = invoice.dunning_line_ids.communication_id.filtered(lambda c: c.state == "sent")
        self.assertTrue(sent)
        last = max(sent.mapped("date"))
        self.assertGreater(last, invoice.invoice_date_due)
        self.assertEqual(invoice.dunning_limitation_date, date(last.year + 5, last.month, last.day))

    def test_two_years_for_a_consumer_purchase_and_the_90_day_warning(self):
        self.policy.collection_consumer_purchase = True
        due = date(2024, 8, 1)
        invoice = self._invoice(due, amount=100.0, partner=self.consumer, currency=self.euro)
        self.assertEqual(invoice.dunning_limitation_date, date(2026, 8, 1))
        with freeze_time(TODAY):
            self.consumer.invalidate_recordset(["dunning_limitation_soon_count"])
            self.assertEqual(self.consumer.dunning_limitation_soon_count, 1)
        # A business claim keeps five years.
        business = self._invoice(due, amount=100.0, partner=self.debtor, currency=self.euro)
        self.assertEqual(business.dunning_limitation_date, date(2029, 8, 1))


@tagged("post_install", "-at_install")
class TestInterestRateWarning(CollectionCommon):
    def test_settings_warn_when_the_current_half_year_has_no_rate(self):
        Rate = self.env["debtor.dunning.interest.rate"]
        self.assertEqual(Rate._missing_current_rate_kinds(date(2026, 9, 1)), [])
        missing = Rate._missing_current_rate_kinds(date(2027, 2, 1))
        self.assertEqual(len(missing), 2)
        with freeze_time(date(2027, 2, 1)):
            settings = self.env["res.config.settings"].create({})
            self.assertIn("current half-year", settings.dunning_interest_rate_warning)
        with freeze_time(date(2026, 9, 1)):
            self.assertFalse(self.env["res.config.settings"].create({}).dunning_interest_rate_warning)
