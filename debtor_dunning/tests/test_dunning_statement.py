# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..models import odoo_report_adapter
from .common import TODAY, DunningCommon

REPORT = "debtor_dunning.action_report_statement_of_account"


@tagged("post_install", "-at_install")
class TestDunningStatement(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.controller = new_test_user(
            cls.env,
            login="statement_controller",
            groups="debtor_dunning.group_debtor_dunning_controller",
            company_id=cls.company.id,
        )

    def _statement_html(self, partner):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(REPORT, partner.ids)
        return html.decode()

    def test_the_statement_lists_every_open_item_with_due_date_level_and_total(self):
        overdue = self._invoice(TODAY - timedelta(days=10), amount=300.0)
        coming = self._invoice(TODAY + timedelta(days=20), amount=200.0)
        paid = self._invoice(TODAY - timedelta(days=40), amount=50.0)
        self._register_payment(paid, payment_date=TODAY - timedelta(days=35))
        credit = self.env["account.payment"].create(
            {"partner_id": self.debtor.id, "amount": 80.0, "payment_type": "inbound", "date": TODAY}
        )
        credit.action_post()
        with freeze_time(TODAY):
            self._run(TODAY)
            items = self.debtor.with_company(self.company)._dunning_statement_items()
            html = self._statement_html(self.debtor)
        self.assertEqual([item["move"] for item in items], [overdue, credit.move_id, coming], "by due date")
        self.assertEqual([item["days_overdue"] for item in items], [10, 0, 0])
        self.assertEqual(items[0]["level"].sequence, 2)
        self.assertEqual([item["residual"] for item in items], [300.0, -80.0, 200.0])
        for expected in (overdue.name, coming.name, items[0]["level"].name, "Statement of Account", "420.00"):
            self.assertIn(expected, html)
        self.assertNotIn(paid.name, html, "a paid invoice is no open item")

    def test_the_statement_carries_the_letterhead_where_wkhtmltopdf_prints_no_page_header(self):
        self.company.write({"vat": "NL123456789B01", "company_registry": "30123456", "street": "Oudegracht 1"})
        self._invoice(TODAY - timedelta(days=10), amount=300.0)
        for patched_qt, letterhead_in_body in ((False, True), (True, False)):
            with patch.object(odoo_report_adapter, "prints_several_documents_per_call", return_value=patched_qt):
                html = self._statement_html(self.debtor)
            self.assertEqual('name="letterhead_in_body"' in html, letterhead_in_body)
            self.assertEqual("Chamber of Commerce: <span>30123456</span>" in html, letterhead_in_body)

    def test_a_controller_prints_and_e_mails_the_statement_from_the_debtor(self):
        self._invoice(TODAY - timedelta(days=10), amount=300.0)
        debtor = self.debtor.with_user(self.controller)
        self.assertEqual(
            debtor.action_print_dunning_statement()["report_name"], "debtor_dunning.report_statement_of_account"
        )
        debtor.action_send_dunning_statement()
        message = self.debtor.message_ids[0]
        self.assertIn("statement of account", message.subject)
        self.assertEqual(message.author_id, self.controller.partner_id)
        self.assertIn(self.debtor, message.partner_ids)
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertIn("Statement of account", message.attachment_ids.name)
        invoicing = new_test_user(
            self.env, login="statement_invoicing", groups="account.group_account_invoice", company_id=self.company.id
        )
        with self.assertRaises(AccessError):
            self.debtor.with_user(invoicing).action_print_dunning_statement()

    def test_a_level_can_attach_the_statement_to_its_reminders(self):
        self.levels.filtered(lambda level: level.sequence == 2).attach_statement = True
        self._invoice(TODAY - timedelta(days=10), amount=300.0)
        self._invoice(TODAY - timedelta(days=10), amount=100.0, partner=self.debtor_without_email)
        with freeze_time(TODAY):
            letters = self._run(TODAY).communication_ids
            letters._send()
        letter = letters.filtered(lambda c: c.partner_id == self.debtor)
        names = letter.mail_message_id.attachment_ids.mapped("name")
        self.assertEqual(len(names), 2, names)
        self.assertTrue(any(name.startswith("Statement of account Bakkerij Jansen") for name in names), names)
        self.levels.filtered(lambda level: level.sequence == 2).attach_statement = False
        plain = self.env["res.partner"].create({"name": "Zonder Overzicht B.V.", "email": "ap@zonder.example.nl"})
        self._invoice(TODAY - timedelta(days=10), amount=300.0, partner=plain)
        with freeze_time(TODAY):
            other = self._run(TODAY).communication_ids.filtered(lambda c: c.partner_id == plain)
            other._send()
        self.assertEqual(len(other.mail_message_id.attachment_ids), 1, "the letter only")
