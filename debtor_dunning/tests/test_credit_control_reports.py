# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.kpi import aging_bucket, aging_bucket_sql
from .common import DunningCommon

TODAY = date(2026, 6, 15)
MAY_END = date(2026, 5, 31)


@tagged("post_install", "-at_install")
class TestCreditControlReports(DunningCommon):
    """One ledger, every figure worked out by hand (amounts in the company's currency).

    | invoice | booked | due   | amount | what happens |
    | I1 | 10 Apr | 10 May | 1,000 | open |
    | I2 | 20 May | 19 Jun |   500 | open |
    | I3 |  1 Mar | 31 Mar | 2,000 | 800 paid on 5 Jun |
    | I4 | 10 Jan |  9 Feb |   150 | CHF 300 at 2 CHF a unit, open |
    | I5 |  1 May | 31 May |   700 | paid on 10 Jun |
    | I6 |  1 Apr | 30 Apr |   400 | paid on 15 May |
    | R1 | 25 May | 25 May |  -200 | credit note, not applied |

    Credit sales: Jan 150, Feb 0, Mar 2,000, Apr 1,400, May 1,000 (1,200 less the credit note), Jun 0.
    Company B has a 5,000 invoice the controller may not see.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.controller = cls._new_user("report_controller")
        cls.i1 = cls._booked(date(2026, 4, 10), date(2026, 5, 10), 1000.0)
        cls.i2 = cls._booked(date(2026, 5, 20), date(2026, 6, 19), 500.0)
        cls.i3 = cls._booked(date(2026, 3, 1), date(2026, 3, 31), 2000.0)
        cls.i4 = cls._booked(date(2026, 1, 10), date(2026, 2, 9), 300.0, currency=cls.other_currency)
        cls.i5 = cls._booked(date(2026, 5, 1), date(2026, 5, 31), 700.0)
        cls.i6 = cls._booked(date(2026, 4, 1), date(2026, 4, 30), 400.0)
        cls.r1 = cls._booked(date(2026, 5, 25), date(2026, 5, 25), 200.0, move_type="out_refund")
        cls._register_payment(cls.i3, amount=800.0, payment_date=date(2026, 6, 5))
        cls._register_payment(cls.i5, payment_date=date(2026, 6, 10))
        cls._register_payment(cls.i6, payment_date=date(2026, 5, 15))
        cls.invoice_b = cls._create_invoice_one_line(
            price_unit=5000.0,
            tax_ids=[],
            partner_id=cls.debtor,
            company_id=cls.company_b.id,
            journal_id=cls.env["account.journal"]
            .search([("company_id", "=", cls.company_b.id), ("type", "=", "sale")], limit=1)
            .id,
            invoice_date=date(2026, 3, 1),
            invoice_date_due=date(2026, 3, 31),
            invoice_payment_term_id=False,
            post=True,
        )
        level = {level.sequence: level for level in cls.levels}
        # Letters as the run would have sent them: a reminder for I3, a notice before the due date
        # for I5 (printed), a reminder for I1, and one third-level letter for I3 and I1 together.
        cls.l1 = cls._sent_letter(level[2], date(2026, 5, 20), [(cls.i3, 2000.0)])
        cls.l2 = cls._sent_letter(level[1], date(2026, 5, 26), [(cls.i5, 700.0)], by_post=True)
        cls.l3 = cls._sent_letter(level[2], date(2026, 5, 12), [(cls.i1, 1000.0)])
        cls.l4 = cls._sent_letter(level[3], date(2026, 6, 1), [(cls.i3, 2000.0), (cls.i1, 1000.0)])

    @classmethod
    def _booked(cls, booked, due, amount, currency=None, move_type="out_invoice"):
        return cls._create_invoice_one_line(
            move_type=move_type,
            price_unit=amount,
            tax_ids=[],
            partner_id=cls.debtor,
            invoice_date=booked,
            invoice_date_due=due,
            invoice_payment_term_id=False,
            currency_id=(currency or cls.company.currency_id).id,
            post=True,
        )

    @classmethod
    def _sent_letter(cls, level, day, covered, by_post=False):
        return cls.env["debtor.dunning.communication"].create(
            {
                "company_id": cls.company.id,
                "partner_id": cls.debtor.id,
                "level_id": level.id,
                "currency_id": cls.company.currency_id.id,
                "date": day,
                "state": "sent",
                "channel_email": not by_post,
                "email_state": "none" if by_post else "sent",
                "channel_letter": by_post,
                "letter_state": "printed" if by_post else "none",
                "line_ids": [
                    Command.create({"move_id": move.id, "level_id": level.id, "date": day, "amount_residual": amount})
                    for move, amount in covered
                ],
            }
        )

    def _aging(self, as_of=None, user=None):
        self.env.invalidate_all()
        Aging = self.env["debtor.dunning.aging.report"].with_user(user or self.env.user)
        return Aging.with_context(aging_as_of=as_of) if as_of else Aging

    def _amounts(self, rows):
        return {row.move_id: row.amount_residual for row in rows}

    # ------------------------------------------------------------------ aging
    def test_aging_today_per_invoice_bucket_and_in_company_currency(self):
        with freeze_time(TODAY):
            rows = self._aging().search([("company_id", "=", self.company.id)])
            self.assertEqual(
                {row.move_id: (row.bucket, row.days_overdue, row.amount_residual) for row in rows},
                {
                    self.i1: ("31_60", 36, 1000.0),
                    self.i2: ("current", -4, 500.0),
                    self.i3: ("61_90", 76, 1200.0),
                    self.i4: ("90_plus", 126, 150.0),
                    self.r1: ("1_30", 21, -200.0),
                },
            )
            self.assertEqual(rows.filtered(lambda row: row.move_id == self.i3).dunning_level_id.sequence, 3)
            totals = self._aging(user=self.controller)._totals_by_bucket()
        self.assertEqual(totals, {"current": 500.0, "1_30": -200.0, "31_60": 1000.0, "61_90": 1200.0, "90_plus": 150.0})

    def test_aging_as_of_month_end_reproduces_after_later_payments(self):
        rows = self._aging(MAY_END).search([("company_id", "=", self.company.id)])
        # I3's 800 and I5's payment came in June: on 31 May both were open in full; I6 was paid.
        self.assertEqual(
            {row.move_id: (row.bucket, row.amount_residual) for row in rows},
            {
                self.i1: ("1_30", 1000.0),
                self.i2: ("current", 500.0),
                self.i3: ("61_90", 2000.0),
                self.i4: ("90_plus", 150.0),
                self.i5: ("current", 700.0),
                self.r1: ("1_30", -200.0),
            },
        )
        self.assertEqual(set(rows.mapped("as_of_date")), {MAY_END})
        before_anything = self._aging(date(2025, 12, 31)).search([("company_id", "=", self.company.id)])
        self.assertFalse(before_anything)

    def test_aging_bucket_sql_is_the_python_rule(self):
        days = list(range(-3, 125))
        rows = self.env.execute_query(
            SQL(
                "SELECT d, %s FROM unnest(%s::int[]) AS d",
                aging_bucket_sql(SQL("d")),
                days,
            )
        )
        self.assertEqual(dict(rows), {day: aging_bucket(day) for day in days})

    def test_a_controller_sees_the_aging_of_his_companies_only(self):
        with freeze_time(TODAY):
            everything = self._aging().search([])
            self.assertIn(self.invoice_b, everything.move_id, "the administrator sees company B")
            mine = self._aging(user=self.controller).search([])
            self.assertEqual(mine.company_id, self.company)
            self.assertEqual(sum(mine.mapped("amount_residual")), 2650.0)

    # ------------------------------------------------------------------ overview
    def test_overview_tiles(self):
        with freeze_time(TODAY):
            overview = self.env["debtor.dunning.overview"].with_user(self.controller).create({})
        expected = {
            "date": TODAY,
            "previous_date": MAY_END,
            "receivable_amount": 2650.0,
            "receivable_amount_previous": 4150.0,
            "overdue_amount": 2150.0,
            "overdue_amount_previous": 2950.0,
            "aging_current": 500.0,
            "aging_1_30": -200.0,
            "aging_31_60": 1000.0,
            "aging_61_90": 1200.0,
            "aging_90_plus": 150.0,
            # Paid in June after a reminder: I3's 800 (reminded on 20 May). I5 had only the
            # notice before its due date; in May, I6 was paid without any letter.
            "collected_after_reminder": 800.0,
            "collected_after_reminder_previous": 0.0,
        }
        self.assertEqual({name: overview[name] for name in expected}, expected)
        # 2,150 of 2,650; 2,950 of 4,150.
        self.assertAlmostEqual(overview.overdue_share, 81.13, delta=0.05)
        self.assertAlmostEqual(overview.overdue_share_previous, 71.08, delta=0.05)
        # 15 June: June has no sales (15 days), May's 1,000 (31), April's 1,400 (30), then 250 of
        # March's 2,000 (3.875 days). The current 500: 15 days, then half of May (15.5).
        self.assertAlmostEqual(overview.dso, 79.875, delta=0.05)
        self.assertAlmostEqual(overview.add_days, 79.875 - 30.5, delta=0.05)
        # 31 May: 4,150 - May 1,000 (31) - April 1,400 (30) leaves 1,750 of March's 2,000 (27.125);
        # the current 1,200: May (31) and 200 of April's 1,400 (30 x 1/7).
        self.assertAlmostEqual(overview.dso_previous, 88.125, delta=0.05)
        self.assertAlmostEqual(overview.add_days_previous, 88.125 - (31 + 30 / 7), delta=0.05)
        # May: (3,550 + 1,000 - 4,150) / (3,550 + 1,000 - 1,200); April: nothing collected.
        self.assertAlmostEqual(overview.cei_month, 400 / 3350 * 100, delta=0.05)
        self.assertEqual(overview.cei_month_previous, 0.0)
        # Q1: (0 + 2,150 - 2,150) / (0 + 2,150 - 2,000): nothing collected either.
        self.assertEqual(overview.cei_quarter, 0.0)
        self.assertAlmostEqual(
            sum(overview[f"aging_{code}_share"] for code in ("current", "1_30", "31_60", "61_90", "90_plus")), 100.0
        )

    def test_overview_of_the_companies_selected(self):
        Overview = self.env["debtor.dunning.overview"]
        self.assertEqual(self.company_b.currency_id, self.company.currency_id)
        with freeze_time(TODAY):
            only_a = Overview.with_context(allowed_company_ids=self.company.ids).create({})
            both = Overview.with_context(allowed_company_ids=(self.company | self.company_b).ids).create({})
        self.assertEqual(only_a.receivable_amount, 2650.0)
        # Company B's 5,000, due 31 March, is 76 days overdue.
        self.assertEqual((both.receivable_amount, both.overdue_amount, both.aging_61_90), (7650.0, 7150.0, 6200.0))
        self.assertIn("Company B", both.company_names)

    def test_cei_of_a_quarter_with_collections(self):
        figures = self.env["debtor.dunning.kpi"]._figures(self.company, date(2026, 7, 15), self.company.currency_id)
        # Q2: opening (31 March) 2,150, sales 2,400, closing (30 June) 2,650 of which nothing current.
        self.assertAlmostEqual(figures["cei_quarter"][0], (2150 + 2400 - 2650) / (2150 + 2400) * 100, delta=0.05)

    def test_overview_opens_the_aging_of_a_bucket(self):
        with freeze_time(TODAY):
            overview = self.env["debtor.dunning.overview"].with_user(self.controller).create({})
            action = overview.with_context(bucket="61_90").action_open_aging()
            self.assertEqual(action["res_model"], "debtor.dunning.aging.report")
            self.assertEqual(action["context"]["aging_as_of"], "2026-06-15")
            self.assertTrue(action["context"]["search_default_bucket_61_90"])
            landing = self.env["debtor.dunning.overview"].with_user(self.controller).action_open()
        self.assertEqual(landing["res_model"], "debtor.dunning.overview")
        self.assertTrue(self.env["debtor.dunning.overview"].browse(landing["res_id"]).exists())

    def test_work_queue_counts_and_opens_what_waits(self):
        level = {level.sequence: level for level in self.levels}
        self.l3.state = "failed"
        self.env["debtor.dunning.communication"].create(
            {
                "company_id": self.company.id,
                "partner_id": self.debtor_without_email.id,
                "level_id": level[5].id,
                "currency_id": self.company.currency_id.id,
                "date": TODAY,
                "state": "to_approve",
            }
        )
        promise = self.env.ref("debtor_dunning.block_template_promise_to_pay")
        Block = self.env["debtor.dunning.block"]
        promised = {"template_id": promise.id, "promise_state": "open", "date_start": TODAY - timedelta(days=10)}
        # 5,000 promised by 12 June, 1,500 paid since: broken; nothing promised by the other: kept.
        Block.create(
            {**promised, "partner_id": self.debtor.id, "date_end": TODAY - timedelta(3), "promise_amount": 5000}
        )
        Block.create({**promised, "partner_id": self.debtor_without_email.id, "date_end": TODAY - timedelta(3)})
        with freeze_time(TODAY):
            kept, broken = Block._check_promises(self.company, TODAY)
        self.assertEqual((kept.partner_id, broken.partner_id), (self.debtor_without_email, self.debtor))
        self.env["debtor.dunning.run"].create(
            {"company_id": self.company.id, "date": TODAY - timedelta(days=2), "state": "failed"}
        )
        call_today = self.debtor.activity_schedule("mail.mail_activity_data_call", date_deadline=TODAY)
        call_tomorrow = self.debtor.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=TODAY + timedelta(1)
        )
        self.l1.write({"call_state": "planned", "call_activity_id": call_today.id})
        self.l2.write({"call_state": "planned", "call_activity_id": call_tomorrow.id})
        with freeze_time(TODAY):
            overview = self.env["debtor.dunning.overview"].with_user(self.controller).create({})
        counts = {line.code: line.count for line in overview.queue_ids}
        self.assertEqual(counts["calls_due"], 1)
        self.assertEqual(counts["letters_to_approve"], 1)
        self.assertEqual(counts["letters_failed"], 1)
        self.assertEqual(counts["promises_expired"], 1)
        self.assertEqual(counts["runs_failed"], 1)
        self.assertEqual(counts["letters_to_print"], 0)
        self.assertEqual(counts["messages_unanswered"], 0)
        failed = overview.queue_ids.filtered(lambda line: line.code == "letters_failed")
        action = failed.action_open()
        opened = self.env[action["res_model"]].with_user(self.controller).search(action["domain"])
        self.assertEqual(opened, self.l3)
        self.assertFalse([key for key in action["context"] if key.startswith("search_default_")])
        call_today.action_feedback(feedback="Reached: pays on Friday.")
        with freeze_time(TODAY):
            overview.action_refresh()
        self.assertEqual({line.code: line.count for line in overview.queue_ids}["calls_due"], 0)

    def test_warning_when_the_run_did_not_run_yesterday(self):
        with freeze_time(TODAY):
            overview = self.env["debtor.dunning.overview"].with_user(self.controller).create({})
            self.assertIn("never run", overview.warning_message)
            self.env["debtor.dunning.run"].create(
                {"company_id": self.company.id, "date": TODAY - timedelta(days=3), "state": "done"}
            )
            overview.action_refresh()
            self.assertIn("did not run yesterday", overview.warning_message)
            self.env["debtor.dunning.run"].create(
                {"company_id": self.company.id, "date": TODAY - timedelta(days=1), "state": "done"}
            )
            overview.action_refresh()
            self.assertNotIn("dunning run", overview.warning_message or "")

    # ------------------------------------------------------------------ which letter works
    def test_which_letter_works_per_level_and_channel(self):
        Report = self.env["debtor.dunning.effectiveness.report"].with_user(self.controller)
        measures = [
            "letter_count:sum",
            "invoice_count:sum",
            "amount_covered:sum",
            "paid_within_7:avg",
            "paid_within_30:avg",
            "days_to_payment:avg",
            "amount_collected_30:sum",
        ]
        by_level = {
            level.sequence: values
            for level, *values in Report._read_group([("company_id", "=", self.company.id)], ["level_id"], measures)
        }
        # Level 1: I5 paid 15 days after the notice; level 2: I3 (800 paid within 30 days, not
        # settled) and I1 (nothing); level 3: one letter for I3 and I1, 800 paid 4 days after it.
        self.assertEqual(by_level[1], [1, 1, 700.0, 0.0, 100.0, 15.0, 700.0])
        self.assertEqual(by_level[2], [2, 2, 3000.0, 0.0, 0.0, False, 800.0])
        self.assertEqual(by_level[3], [1, 2, 3000.0, 0.0, 0.0, False, 800.0])
        by_channel = dict(Report._read_group([], ["channel"], ["letter_count:sum"]))
        self.assertEqual(by_channel, {"email": 3, "letter": 1})
        by_month = dict(Report._read_group([], ["date:month"], ["letter_count:sum"]))
        self.assertEqual(sorted(by_month.values()), [1, 3])

    # ------------------------------------------------------------------ trend
    def test_trend_month_by_month(self):
        with freeze_time(TODAY):
            action = self.env["debtor.dunning.trend.report"].with_user(self.controller).action_open()
        rows = self.env["debtor.dunning.trend.report"].with_user(self.controller).search(action["domain"])
        self.assertEqual(len(rows), 24)
        self.assertEqual(rows.company_id, self.company)
        by_month = {row.month: row for row in rows}
        june, may, april = by_month[date(2026, 6, 1)], by_month[date(2026, 5, 1)], by_month[date(2026, 4, 1)]
        self.assertEqual((june.date, june.receivable, june.overdue), (TODAY, 2650.0, 2150.0))
        self.assertEqual((may.date, may.receivable, may.overdue, may.credit_sales), (MAY_END, 4150.0, 2950.0, 1000.0))
        self.assertEqual((april.receivable, april.overdue, april.credit_sales), (3550.0, 2150.0, 1400.0))
        self.assertAlmostEqual(june.dso, 79.875, delta=0.05)
        self.assertAlmostEqual(may.dso, 88.125, delta=0.05)
        self.assertAlmostEqual(may.cei, 400 / 3350 * 100, delta=0.05)
        self.assertAlmostEqual(june.cei, (4150 - 2650) / (4150 - 500) * 100, delta=0.05)
        self.assertEqual(by_month[date(2025, 12, 1)].receivable, 0.0)
        self.assertEqual(sum(rows.mapped("written_off")), 0.0)
        # Each user reads only the rows he built.
        colleague = self._new_user("report_colleague")
        self.assertFalse(self.env["debtor.dunning.trend.report"].with_user(colleague).search([]))

    def test_trend_figures_equal_the_aging_summed(self):
        with freeze_time(TODAY):
            values = self.env["debtor.dunning.trend.report"]._trend_values(self.company, TODAY, months=3)
        for row in values:
            aged = self._aging(row["date"]).search([("company_id", "=", self.company.id)])
            self.assertAlmostEqual(row["receivable"], sum(aged.mapped("amount_residual")), places=2)
            overdue = aged.filtered(lambda item: item.days_overdue > 0)
            self.assertAlmostEqual(row["overdue"], sum(overdue.mapped("amount_residual")), places=2)
