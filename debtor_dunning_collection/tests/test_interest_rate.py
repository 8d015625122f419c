# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestInterestRate(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rate = cls.env["debtor.dunning.interest.rate"]
        cls.controller = new_test_user(
            cls.env,
            login="dd_collection_controller",
            groups="base.group_user,debtor_dunning.group_debtor_dunning_controller",
        )
        cls.manager = new_test_user(
            cls.env,
            login="dd_collection_manager",
            groups="base.group_user,debtor_dunning.group_debtor_dunning_manager",
        )

    def test_shipped_rates(self):
        expected = {
            "interest_rate_commercial_2024_01_01": ("commercial", date(2024, 1, 1), 12.50),
            "interest_rate_non_commercial_2024_01_01": ("non_commercial", date(2024, 1, 1), 7.0),
            "interest_rate_commercial_2024_07_01": ("commercial", date(2024, 7, 1), 12.25),
            "interest_rate_non_commercial_2024_07_01": ("non_commercial", date(2024, 7, 1), 7.0),
            "interest_rate_commercial_2025_01_01": ("commercial", date(2025, 1, 1), 11.15),
            "interest_rate_non_commercial_2025_01_01": ("non_commercial", date(2025, 1, 1), 6.0),
        }
        for xmlid, (kind, date_start, rate) in expected.items():
            record = self.env.ref(f"debtor_dunning_collection.{xmlid}")
            self.assertEqual(record.kind, kind)
            self.assertEqual(record.date_start, date_start)
            self.assertAlmostEqual(record.rate, rate)

    def test_get_rate_periods(self):
        periods = self.Rate._get_rate_periods("commercial")
        shipped = [p for p in periods if p[0] <= date(2025, 1, 1)]
        self.assertEqual(
            shipped,
            [(date(2024, 1, 1), 12.5), (date(2024, 7, 1), 12.25), (date(2025, 1, 1), 11.15)],
        )
        self.assertEqual(periods, sorted(periods))
        non_commercial = self.Rate._get_rate_periods("non_commercial")
        self.assertIn((date(2025, 1, 1), 6.0), non_commercial)
        self.assertNotIn((date(2025, 1, 1), 11.15), non_commercial)

    def test_unique_kind_date_start(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Rate.create({"kind": "commercial", "date_start": "2025-01-01", "rate": 10.0})
            self.env.flush_all()
        # The same date for the other kind, or another date, is fine
        self.Rate.create(
            [
                {"kind": "commercial", "date_start": "2031-07-01", "rate": 10.0},
                {"kind": "non_commercial", "date_start": "2031-07-01", "rate": 5.0},
            ]
        )
        self.env.flush_all()

    def test_negative_rate(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Rate.create({"kind": "commercial", "date_start": "2031-01-01", "rate": -1.0})
            self.env.flush_all()

    def test_compute_interest_uses_table(self):
        # June 2024 at 12.50%, July 2024 at 12.25% (commercial); 7% non-commercial
        self.assertEqual(self.Rate.compute_interest(10000, date(2024, 6, 1), date(2024, 8, 1), "commercial"), 206.78)
        self.assertEqual(
            self.Rate.compute_interest(10000, "2024-06-01", "2024-08-01", "non_commercial"),
            116.99,
        )
        # Changing the table changes the result
        self.env.ref("debtor_dunning_collection.interest_rate_commercial_2024_07_01").rate = 10.0
        # 30 days at 12.50% + 31 days at 10%
        self.assertEqual(self.Rate.compute_interest(10000, date(2024, 6, 1), date(2024, 8, 1), "commercial"), 187.67)

    def test_compute_interest_new_half_year(self):
        # The table's last commercial rate starts 1-1-2025: July 2025 is not silently given that rate.
        with self.assertRaises(UserError) as refused:
            self.Rate.compute_interest(10000, date(2025, 6, 1), date(2025, 8, 1), "commercial")
        self.assertIn("07/01/2025", str(refused.exception))
        self.Rate.create({"kind": "commercial", "date_start": "2025-07-01", "rate": 10.0})
        # 30 days at 11.15% + 31 days at 10%
        after = self.Rate.compute_interest(10000, date(2025, 6, 1), date(2025, 8, 1), "commercial")
        self.assertEqual(after, 176.58)

    def test_compute_interest_missing_rate(self):
        with self.assertRaises(UserError) as error:
            self.Rate.compute_interest(10000, date(2023, 6, 1), date(2024, 2, 1), "commercial")
        self.assertIn('"Commercial (art. 6:119a BW)"', str(error.exception))
        self.assertIn("06/01/2023", str(error.exception))
        # Only the other kind is missing: no error for that kind
        self.Rate.create({"kind": "non_commercial", "date_start": "2023-07-01", "rate": 6.0})
        with self.assertRaises(UserError):
            self.Rate.compute_interest(10000, date(2023, 6, 1), date(2024, 2, 1), "commercial")
        self.assertEqual(
            self.Rate.compute_interest(10000, date(2023, 12, 1), date(2024, 1, 1), "non_commercial"),
            50.96,
        )

    def test_compute_interest_as_controller(self):
        rate_model = self.Rate.with_user(self.controller)
        self.assertEqual(rate_model.compute_interest(10000, date(2024, 6, 1), date(2024, 8, 1)), 206.78)

    def test_access_rights(self):
        record = self.env.ref("debtor_dunning_collection.interest_rate_commercial_2025_01_01")
        self.assertEqual(record.with_user(self.controller).rate, 11.15)
        with self.assertRaises(AccessError):
            record.with_user(self.controller).rate = 11.0
        with self.assertRaises(AccessError):
            self.Rate.with_user(self.controller).create({"kind": "commercial", "date_start": "2031-01-01", "rate": 1.0})
        record.with_user(self.manager).rate = 11.0
        self.assertEqual(record.rate, 11.0)
        new = self.Rate.with_user(self.manager).create({"kind": "commercial", "date_start": "2031-01-01", "rate": 1.0})
        new.unlink()

    def test_display_name(self):
        record = self.env.ref("debtor_dunning_collection.interest_rate_commercial_2025_01_01")
        self.assertEqual(record.display_name, "Commercial (art. 6:119a BW) from 01/01/2025: 11.15%")
