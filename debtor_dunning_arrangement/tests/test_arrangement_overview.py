# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from ast import literal_eval
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ArrangementCommon


@tagged("post_install", "-at_install")
class TestArrangementOverview(ArrangementCommon):
    """The arrangement add-on's items on the overview's work queue, and its outcome report."""

    def test_queue_counts_proposed_broken_this_week_and_instalments_due(self):
        kept = self._arrange(self._invoice(self._days(-10), amount=300.0))
        broken = self._arrange(self._invoice(self._days(-10), amount=600.0, partner=self.debtor_without_email))
        proposed = self._arrange(self._invoice(self._days(-12), amount=90.0), confirm=False)
        proposed.state = "proposed"
        wednesday = date(2026, 6, 17)
        self.assertEqual(wednesday.weekday(), 2)
        with freeze_time(wednesday - timedelta(days=9)):
            broken.action_break(reason="Stopped paying")  # last week
        with freeze_time(wednesday):
            overview = self.env["debtor.dunning.overview"].create({})
        counts = {line.code: line.count for line in overview.queue_ids}
        self.assertEqual(counts["arrangements_proposed"], 1)
        self.assertEqual(counts["arrangements_broken"], 0, "broken last week")
        # The first of three instalments falls due 14 days after the confirmation: Monday 15 June.
        self.assertEqual(kept.instalment_ids.sorted("date_due")[0].date_due, date(2026, 6, 15))
        self.assertEqual(counts["instalments_due"], 1)
        with freeze_time(wednesday):
            broken.date_broken = wednesday - timedelta(days=1)
            overview.action_refresh()
            due = overview.queue_ids.filtered(lambda line: line.code == "instalments_due").action_open()
        counts = {line.code: line.count for line in overview.queue_ids}
        self.assertEqual(counts["arrangements_broken"], 1)
        self.assertEqual(self.env[due["res_model"]].search(due["domain"]).arrangement_id, kept)

    def test_outcomes_kept_broken_running(self):
        running = self._arrange(self._invoice(self._days(-10), amount=300.0))
        broken = self._arrange(self._invoice(self._days(-10), amount=600.0, partner=self.debtor_without_email))
        broken.action_break(reason="Stopped paying")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "debtor_dunning_arrangement.action_debtor_dunning_arrangement_report"
        )
        groups = dict(
            self.Arrangement._read_group(
                [*literal_eval(action["domain"]), ("company_id", "=", self.company.id)], ["state"], ["amount_total:sum"]
            )
        )
        self.assertEqual(groups, {"active": 300.0, "broken": 600.0})
        self.assertEqual((running.state, broken.state), ("active", "broken"))
