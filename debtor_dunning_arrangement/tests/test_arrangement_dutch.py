# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TODAY, ArrangementCommon


@tagged("post_install", "-at_install")
class TestArrangementDutch(ArrangementCommon):
    """A Dutch debtor reads his confirmation, reminder and lapse letter in Dutch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"].search([("name", "=", "debtor_dunning_arrangement")])._update_translations()
        cls.debtor.lang = "nl_NL"

    def test_the_letters_speak_dutch(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice)
        letter = arrangement.confirmation_attachment_id
        confirmation = arrangement.message_ids.filtered(lambda m: m.attachment_ids == letter)
        self.assertIn("Hierbij bevestigen we betalingsregeling", confirmation.body)
        self.assertIn("betalingsregeling", confirmation.subject)
        self.assertTrue(arrangement.confirmation_attachment_id.name.startswith("Betalingsregeling"))
        self._run_on(TODAY + timedelta(days=11))
        reminder = arrangement.message_ids.filtered(lambda m: m.subject and "termijn 1" in m.subject)
        self.assertIn("Deze termijn online betalen", reminder.body)
        with freeze_time(TODAY + timedelta(days=12)):
            arrangement.action_break()
        lapse = arrangement.message_ids.filtered(lambda m: m.subject and "is vervallen" in m.subject)
        self.assertIn("nog open en nu direct opeisbaar", lapse.body)
        report = "debtor_dunning_arrangement.action_report_debtor_dunning_arrangement"
        html = self.env["ir.actions.report"]._render_qweb_html(report, arrangement.ids)[0].decode()
        self.assertIn("is vervallen", html)
