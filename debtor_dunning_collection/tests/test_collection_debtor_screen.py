# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.addons.debtor_dunning.tests.common import TODAY
from odoo.tests import tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionDebtorScreen(CollectionCommon):
    def test_the_timeline_shows_the_case_handed_over_and_the_write_off(self):
        handed = self._invoice(TODAY - timedelta(days=100), amount=700.0, currency=self.euro)
        bad = self._invoice(TODAY - timedelta(days=200), amount=50.0, currency=self.euro)
        with freeze_time(TODAY):
            self.env["debtor.dunning.collection.handover"].create(
                {"move_ids": [(6, 0, handed.ids)], "reason": "Does not answer"}
            ).action_confirm()
        case = handed.dunning_case_id
        self.assertEqual(case.state, "handed_over")
        self.env["debtor.dunning.write.off"].with_context(default_move_ids=bad.ids).create(
            {"date": TODAY + timedelta(days=1), "reason": "bankruptcy", "vat_relief": False}
        ).action_confirm()
        self.assertTrue(bad.dunning_written_off)
        timeline = self.debtor._dunning_timeline()
        kinds = [event["kind"] for event in timeline if event["kind"] in ("case_handed_over", "write_off")]
        self.assertEqual(kinds, ["write_off", "case_handed_over"], "newest first")
        handover = next(event for event in timeline if event["kind"] == "case_handed_over")
        self.assertEqual((handover["res_model"], handover["res_id"]), (case._name, case.id))
        self.assertIn(case.name, handover["description"])
        self.assertIn("Write-off", self.debtor.dunning_timeline_html)
        self.assertFalse(
            [event for event in self.consumer._dunning_timeline() if event["kind"].startswith(("case_", "write"))],
            "only his",
        )
        with freeze_time(TODAY + timedelta(days=3)):
            case.action_close()
        self.assertEqual(case.state, "closed")
        manager = self._new_user("screen_case_manager", group="debtor_dunning.group_debtor_dunning_manager")
        timeline = self.debtor.with_user(manager)._dunning_timeline()
        self.assertEqual(timeline[0]["kind"], "case_closed", "newest first, read by a credit manager")

    def test_hand_over_and_write_off_only_for_the_credit_manager(self):
        form = self.env.ref("debtor_dunning.res_partner_view_form_debtor")
        handover = str(self.env.ref("debtor_dunning_collection.debtor_dunning_collection_handover_action").id)

        def header_buttons(user):
            arch = self.env["res.partner"].with_user(user).get_views([(form.id, "form")])["views"]["form"]["arch"]
            return etree.fromstring(arch).xpath("//header//button/@name")

        controller = self._new_user("screen_collection_controller")
        manager = self._new_user("screen_collection_manager", group="debtor_dunning.group_debtor_dunning_manager")
        controller_buttons = header_buttons(controller)
        self.assertIn("action_place_dunning_block", controller_buttons)
        self.assertNotIn("action_dunning_write_off_open_items", controller_buttons)
        self.assertNotIn(handover, controller_buttons)
        manager_buttons = header_buttons(manager)
        self.assertIn("action_dunning_write_off_open_items", manager_buttons)
        self.assertIn(handover, manager_buttons)

    def test_write_off_takes_the_debtors_open_invoices(self):
        invoice = self._invoice(TODAY - timedelta(days=100), amount=80.0, currency=self.euro)
        action = self.debtor.action_dunning_write_off_open_items()
        self.assertEqual(action["context"]["default_move_ids"], invoice.ids)
