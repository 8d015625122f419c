# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestArrangementTemplate(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Template = cls.env["debtor.dunning.arrangement.template"]
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Debtor Dunning Company B"})
        cls.template = cls.Template.create(
            {
                "name": "Test 3 monthly",
                "number_of_instalments": 3,
                "interval": "month",
                "interval_length": 1,
                "first_instalment_delay_days": 14,
            }
        )

    def _create_template(self, **values):
        self.Template.create({"name": "Invalid template", **values})
        self.env.flush_all()

    def test_shipped_templates(self):
        three = self.env.ref("debtor_dunning_arrangement.arrangement_template_3_monthly")
        six = self.env.ref("debtor_dunning_arrangement.arrangement_template_6_monthly")
        four = self.env.ref("debtor_dunning_arrangement.arrangement_template_4_weekly")
        self.assertEqual(
            [(t.number_of_instalments, t.interval, t.interval_length) for t in three | six | four],
            [(3, "month", 1), (6, "month", 1), (4, "week", 1)],
        )
        self.assertTrue(all(t.active for t in three | six | four))
        self.assertEqual((three | six | four).company_id, self.env.ref("base.main_company"))

    def test_default_company(self):
        self.assertEqual(self.template.company_id, self.company_a)
        template_b = self.Template.with_company(self.company_b).create({"name": "B"})
        self.assertEqual(template_b.company_id, self.company_b)

    def test_constraint_instalments(self):
        for count in (0, -1):
            with self.subTest(count=count), mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
                self._create_template(number_of_instalments=count)

    def test_constraint_interval_length(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._create_template(interval_length=0)

    def test_constraint_down_payment_percent(self):
        for percent in (-5.0, 100.0, 120.0):
            with self.subTest(percent=percent), mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
                self._create_template(number_of_instalments=3, down_payment_percent=percent)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._create_template(number_of_instalments=1, down_payment_percent=10.0)
        # boundaries that are allowed
        self._create_template(number_of_instalments=2, down_payment_percent=99.99)
        self._create_template(number_of_instalments=1, down_payment_percent=0.0)

    def test_constraint_delay(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._create_template(first_instalment_delay_days=-1)

    def test_constraint_on_write(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.template.write({"number_of_instalments": 0})
            self.env.flush_all()

    @freeze_time("2026-01-17")
    def test_compute_schedule_monthly(self):
        schedule = self.template._compute_schedule(100.0, date.today())
        # first instalment 14 days after 17 January = 31 January, then month ends
        self.assertEqual(
            schedule,
            [(date(2026, 1, 31), 33.33), (date(2026, 2, 28), 33.33), (date(2026, 3, 31), 33.34)],
        )

    @freeze_time("2026-03-02")
    def test_compute_schedule_weekly_shipped(self):
        template = self.env.ref("debtor_dunning_arrangement.arrangement_template_4_weekly")
        template.first_instalment_delay_days = 7
        schedule = template._compute_schedule(1000.0, date.today())
        self.assertEqual(
            schedule,
            [
                (date(2026, 3, 9), 250.0),
                (date(2026, 3, 16), 250.0),
                (date(2026, 3, 23), 250.0),
                (date(2026, 3, 30), 250.0),
            ],
        )

    @freeze_time("2026-01-31")
    def test_compute_schedule_down_payment(self):
        self.template.write(
            {"number_of_instalments": 4, "down_payment_percent": 25.0, "first_instalment_delay_days": 0}
        )
        schedule = self.template._compute_schedule(1234.56, "2026-01-31")
        self.assertEqual(
            schedule,
            [
                (date(2026, 1, 31), 308.64),
                (date(2026, 2, 28), 308.64),
                (date(2026, 3, 31), 308.64),
                (date(2026, 4, 30), 308.64),
            ],
        )
        self.template.down_payment_percent = 10.0
        schedule = self.template._compute_schedule(1000.0, date(2026, 1, 31))
        self.assertEqual([amount for _d, amount in schedule], [100.0, 300.0, 300.0, 300.0])

    def test_compute_schedule_uses_currency_rounding(self):
        currency = self.env["res.currency"].create(
            {"name": "XDD", "symbol": "D", "rounding": 1.0, "currency_unit_label": "Dunning Dollar"}
        )
        company = self.env["res.company"].create({"name": "Whole Units Company", "currency_id": currency.id})
        template = self.Template.with_company(company).create({"name": "Whole units"})
        self.assertEqual(template.currency_id, currency)
        schedule = template._compute_schedule(100.0, date(2026, 1, 1))
        self.assertEqual([amount for _d, amount in schedule], [33.0, 33.0, 34.0])

    def test_compute_schedule_invalid_amount(self):
        with self.assertRaises(UserError):
            self.template._compute_schedule(0.0, date(2026, 1, 1))
        with self.assertRaises(UserError):
            self.template._compute_schedule(0.02, date(2026, 1, 1))

    @freeze_time("2026-01-17")
    def test_schedule_preview(self):
        preview = str(self.template.schedule_preview)
        self.assertIn("<table", preview)
        self.assertEqual(preview.count("<tr>"), 4)  # header + 3 instalments
        self.assertIn("333.34", preview)
        self.assertIn("333.33", preview)

    def test_multi_company_rule(self):
        template_b = self.Template.with_company(self.company_b).create({"name": "Company B template"})
        user_a = new_test_user(
            self.env,
            login="dunning_controller_a",
            groups="debtor_dunning.group_debtor_dunning_controller",
            company_id=self.company_a.id,
            company_ids=[(6, 0, self.company_a.ids)],
        )
        templates = self.Template.with_user(user_a).search([])
        self.assertIn(self.template, templates)
        self.assertNotIn(template_b, templates)
        with self.assertRaises(AccessError):
            template_b.with_user(user_a).read(["name"])
        # a user allowed in both companies only sees company B's template when B is enabled
        user_ab = new_test_user(
            self.env,
            login="dunning_controller_ab",
            groups="debtor_dunning.group_debtor_dunning_controller",
            company_id=self.company_a.id,
            company_ids=[(6, 0, (self.company_a | self.company_b).ids)],
        )
        Template_ab = self.Template.with_user(user_ab)
        self.assertNotIn(template_b, Template_ab.with_context(allowed_company_ids=self.company_a.ids).search([]))
        self.assertIn(
            template_b,
            Template_ab.with_context(allowed_company_ids=(self.company_a | self.company_b).ids).search([]),
        )

    def test_access_rights(self):
        controller = new_test_user(
            self.env, login="dunning_controller", groups="debtor_dunning.group_debtor_dunning_controller"
        )
        manager = new_test_user(self.env, login="dunning_manager", groups="debtor_dunning.group_debtor_dunning_manager")
        self.assertTrue(self.template.with_user(controller).read(["name"]))
        with self.assertRaises(AccessError):
            self.template.with_user(controller).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.Template.with_user(controller).create({"name": "New"})
        template = self.Template.with_user(manager).create({"name": "Manager template"})
        template.write({"number_of_instalments": 2})
        template.unlink()
