# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.addons.debtor_dunning.tests.common import TODAY
from odoo.tests import tagged

from .common import ArrangementCommon


@tagged("post_install", "-at_install")
class TestArrangementDebtorScreen(ArrangementCommon):
    def test_the_timeline_shows_an_arrangement_agreed_and_broken_once(self):
        invoices = self._invoice(TODAY - timedelta(days=20), 300.0) | self._invoice(TODAY - timedelta(days=20), 200.0)
        arrangement = self._arrange(invoices)
        with freeze_time(TODAY + timedelta(days=2)):
            arrangement.action_break()
        timeline = self.debtor._dunning_timeline()
        arranged = [event for event in timeline if event["kind"].startswith("arrangement_")]
        self.assertEqual(
            [event["kind"] for event in arranged],
            ["arrangement_broken", "arrangement_agreed"],
            "newest first, once each although the arrangement covers two invoices",
        )
        self.assertIn(arrangement.name, arranged[0]["description"])
        self.assertIn("Arrangement Broken", self.debtor.dunning_timeline_html)
        self.assertFalse(self.debtor_without_email._dunning_timeline(), "only his")

    def test_the_direct_debit_mandates_of_his_arrangements(self):
        with_mandate = self._arrange(self._invoice(TODAY - timedelta(days=20), 300.0))
        self._arrange(self._invoice(TODAY - timedelta(days=20), 200.0))
        with_mandate.write({"direct_debit": True, "mandate_reference": "mdt_TEST123"})
        self.assertEqual(self.debtor.dunning_mandate_arrangement_ids, with_mandate)

    def test_the_debtor_form_has_the_payment_arrangement_button(self):
        controller = self._new_user("screen_arrangement_controller")
        form = self.env.ref("debtor_dunning.res_partner_view_form_debtor")
        arch = self.env["res.partner"].with_user(controller).get_views([(form.id, "form")])["views"]["form"]["arch"]
        self.assertTrue(etree.fromstring(arch).xpath("//header//button[@name='action_open_arrangement_wizard']"))
        self.assertTrue(etree.fromstring(arch).xpath("//field[@name='dunning_mandate_arrangement_ids']"))
