# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo.tests import tagged

from .common import TODAY, ArrangementCommon


@tagged("post_install", "-at_install")
class TestArrangementSimulation(ArrangementCommon):
    """120 days of daily runs: two instalments kept, the third missed, dunning resumes where it was."""

    def test_120_days_keep_two_miss_the_third_and_resume_at_the_next_level(self):
        # Two invoices of 300, overdue since day -20: the run of day 0 sends both the first overdue
        # reminder (level 2; the pre-due notice is passed over for invoices already due).
        first = self._invoice(TODAY - timedelta(days=20), 300.0)
        second = self._invoice(TODAY - timedelta(days=20), 300.0)
        untouched = self._invoice(TODAY - timedelta(days=20), 50.0, partner=self.debtor_without_email)
        self._run_on(TODAY)
        self.assertEqual((self._levels_of(first), self._levels_of(second)), ([2], [2]))

        # Day 2: an arrangement of 600 in three monthly instalments of 200, the first on day 16;
        # 100 paid on each invoice on the due day of the first two, the third missed.
        arrangement = None
        payments = {}
        reminders = []
        for day in range(1, 121):
            on_date = self._days(day)
            if day == 2:
                arrangement = self._arrange(first | second, on_date=on_date)
                dates = arrangement.instalment_ids.mapped("date_due")
                self.assertEqual(arrangement.instalment_ids.mapped("amount"), [200.0] * 3)
                self.assertEqual(dates[0], self._days(16))
                payments = {dates[0]: 100.0, dates[1]: 100.0}
                broken_on = dates[2] + timedelta(days=6)  # after the 5 grace days
            if on_date in payments:
                self._pay(first, payments[on_date], on_date)
                self._pay(second, payments[on_date], on_date)
            run = self._run_on(on_date)
            if (run.step_counts or {}).get("instalment_reminders"):
                reminders.append(on_date)
            if arrangement and on_date < broken_on:
                self.assertEqual(arrangement.state, "active", on_date)
                self.assertEqual(self._levels_of(first), [2], f"no letter while arranged ({on_date})")
            if arrangement and on_date == broken_on:
                self.assertEqual(arrangement.state, "broken")
                self.assertEqual(run.step_counts.get("arrangements_broken"), 1)

        self.assertEqual(reminders, [d - timedelta(days=3) for d in dates], "three days before each instalment")
        self.assertEqual(arrangement.instalment_ids.mapped("state"), ["paid", "paid", "late"])
        self.assertEqual(arrangement.amount_residual, 200.0)
        self.assertEqual(arrangement.date_broken, broken_on)
        self.assertIn("200.00", arrangement.message_ids.filtered(lambda m: "lapsed" in (m.subject or "")).body)

        # Dunning resumed at the next level after level 2 (no restart, no skip), the gap and the
        # term of level 2 (7 days, from the e-mail's delivery a day later) counted from the break:
        # level 3 nine days after it, then level 4 (gap 14, term of level 3 14 days from delivery)
        # sixteen days later.
        for invoice in (first, second):
            lines = self.env["debtor.dunning.communication.line"].search(
                [("move_id", "=", invoice.id), ("is_preview", "=", False)], order="id"
            )
            self.assertEqual(
                [(line.level_id.sequence, line.date) for line in lines[:3]],
                [
                    (2, TODAY),
                    (3, broken_on + timedelta(days=9)),
                    (4, broken_on + timedelta(days=9 + 16)),
                ],
                invoice.name,
            )
            sequences = lines.level_id.mapped("sequence")
            self.assertEqual(sequences, list(range(2, 2 + len(sequences))), "one level at a time, none skipped")
        self.assertEqual(self._levels_of(untouched)[:2], [2, 3], "another debtor's invoice went on meanwhile")
