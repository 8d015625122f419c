# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
class TestDunningDebtorScreen(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.levels.filtered(lambda level: level.sequence == 2).channel_call = True
        cls.debtor.phone = "+31 30 111 2222"
        cls.company_b = cls.setup_other_company(name="Schermbedrijf B.V.")["company"]
        cls.other = cls.env["res.partner"].create({"name": "Andere Klant", "is_company": True})
        cls.Block = cls.env["debtor.dunning.block"]
        cls.bankruptcy = cls.env.ref("debtor_dunning.block_template_bankruptcy")
        cls.controller = cls._new_user("screen_controller")

    def _receivable_credit(self, amount, partner=None, company=None):
        """A posted entry crediting the debtor's receivable by `amount` (a payment not matched yet)."""
        company = company or self.company
        partner = partner or self.debtor
        receivable = partner.with_company(company).property_account_receivable_id
        journal = self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "general")], limit=1
        )
        other = self.env["account.account"].search(
            [("company_ids", "in", company.id), ("account_type", "=", "income")], limit=1
        )
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "company_id": company.id,
                "journal_id": journal.id,
                "date": TODAY,
                "line_ids": [
                    (0, 0, {"account_id": receivable.id, "partner_id": partner.id, "credit": amount, "name": "Pay"}),
                    (0, 0, {"account_id": other.id, "debit": amount, "name": "Pay"}),
                ],
            }
        )
        entry.action_post()
        return entry.line_ids.filtered(lambda line: line.account_id == receivable)

    def _dossier(self):
        """A letter with a call (day 0), its outcome (day 1), a block (day 2) and a message (day 3)."""
        invoice = self._invoice(TODAY - timedelta(days=10), amount=300.0)
        with freeze_time(TODAY):
            letter = self._run(TODAY).communication_ids.filtered(lambda c: c.partner_id == self.debtor)
            letter._send()
        with freeze_time(TODAY + timedelta(days=1)):
            letter._log_call_outcome("not_reached", note="Voicemail")
        block = self.Block.create(
            {"template_id": self.bankruptcy.id, "partner_id": self.debtor.id, "date_start": TODAY + timedelta(days=2)}
        )
        message = self.env["debtor.dunning.debtor.message"].create(
            {
                "move_id": invoice.id,
                "company_id": self.company.id,
                "partner_id": self.debtor.id,
                "kind": "question",
                "body": "Which delivery is this?",
            }
        )
        message.flush_recordset()
        self.env.cr.execute(
            "UPDATE debtor_dunning_debtor_message SET create_date = %s WHERE id = %s",
            (datetime.combine(TODAY + timedelta(days=3), datetime.min.time()), message.id),
        )
        message.invalidate_recordset(["create_date"])
        return invoice, letter, block, message

    def test_timeline_newest_first_only_his_and_only_the_company(self):
        invoice, letter, block, message = self._dossier()
        # Someone else's block, and a block on him in the other company: neither is his dossier here.
        self.Block.create({"template_id": self.bankruptcy.id, "partner_id": self.other.id, "date_start": TODAY})
        self.Block.with_company(self.company_b).create(
            {
                "template_id": self.bankruptcy.id,
                "partner_id": self.debtor.id,
                "company_id": self.company_b.id,
                "date_start": TODAY + timedelta(days=5),
            }
        )
        timeline = self.debtor._dunning_timeline()
        self.assertEqual(
            [(event["kind"], event["res_model"], event["res_id"]) for event in timeline],
            [
                ("debtor_message", message._name, message.id),
                ("block_placed", block._name, block.id),
                ("call", letter._name, letter.id),
                ("letter", letter._name, letter.id),
            ],
        )
        self.assertIn("Not reached", timeline[2]["description"])
        self.assertIn("Voicemail", timeline[2]["description"])
        self.assertIn("Which delivery is this?", timeline[0]["description"])
        self.assertEqual([event["date"] for event in timeline], sorted((e["date"] for e in timeline), reverse=True))
        self.assertEqual(len(self.debtor._dunning_timeline(limit=2)), 2)
        there = self.debtor.with_company(self.company_b)._dunning_timeline()
        self.assertEqual([event["kind"] for event in there], ["block_placed"], "only his block in company B")
        html = self.debtor.dunning_timeline_html
        self.assertIn("Voicemail", html)
        self.assertLess(html.index("Which delivery"), html.index("Voicemail"), "newest first on the tab")

    def test_the_controller_of_company_a_sees_nothing_of_company_b(self):
        self._dossier()
        self.Block.with_company(self.company_b).create(
            {"template_id": self.bankruptcy.id, "partner_id": self.debtor.id, "company_id": self.company_b.id}
        )
        self._receivable_credit(70.0, company=self.company_b)
        debtor = self.debtor.with_user(self.controller)
        kinds = [event["kind"] for event in debtor._dunning_timeline()]
        self.assertEqual(kinds, ["debtor_message", "block_placed", "call", "letter"])
        self.assertFalse(debtor.dunning_unmatched_credit_ids)
        self.assertFalse(debtor.dunning_recent_payment_ids)

    def test_recent_payments_and_unmatched_credits(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=300.0)
        paid = self._receivable_credit(120.0)
        (paid | invoice.line_ids.filtered(lambda line: line.account_id == paid.account_id)).reconcile()
        unmatched = self._receivable_credit(40.0)
        self._receivable_credit(55.0, partner=self.other)
        self._receivable_credit(66.0, company=self.company_b)
        self.assertEqual(self.debtor.dunning_recent_payment_ids, paid | unmatched)
        self.assertEqual(self.debtor.dunning_unmatched_credit_ids, unmatched)

    def test_open_tasks_of_the_debtor_his_invoices_and_letters(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=300.0)
        other_invoice = self._invoice(TODAY - timedelta(days=10), amount=300.0, partner=self.other)
        todo = self.env.ref("mail.mail_activity_data_todo")
        on_invoice = invoice.activity_schedule(act_type_xmlid="mail.mail_activity_data_todo", summary="Check")
        on_debtor = self.debtor.activity_schedule(activity_type_id=todo.id, summary="Visit")
        other_invoice.activity_schedule(act_type_xmlid="mail.mail_activity_data_todo", summary="Not his")
        self.assertEqual(self.debtor.dunning_task_ids, on_invoice | on_debtor)

    def test_the_debtor_form_opens_from_a_letter_and_from_the_aging_report(self):
        _invoice, letter, block, message = self._dossier()
        self._invoice(TODAY, amount=10.0, partner=self.debtor_without_email)
        form = self.env.ref("debtor_dunning.res_partner_view_form_debtor")
        aging = self.env["debtor.dunning.aging.report"].search([("partner_id", "=", self.debtor.id)], limit=1)
        self.assertTrue(aging)
        call_activity = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id(letter._name),
                "res_id": letter.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
            }
        )
        letter.call_activity_id = call_activity
        calls = self.env["debtor.dunning.call"].search([("partner_id", "=", self.debtor.id)])
        self.assertTrue(calls)
        for record in (letter, aging, block, message, calls[:1]):
            action = record.action_open_debtor()
            self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", self.debtor.id), record._name)
            self.assertEqual(action["views"], [(form.id, "form")])
        dispute = self.env.ref("debtor_dunning.block_template_dispute")
        on_invoice = self.Block.create({"template_id": dispute.id, "move_id": _invoice.id})
        self.assertEqual(on_invoice.action_open_debtor()["res_id"], self.debtor.id, "a block on an invoice")
        debtors = self.env["res.partner"].search(
            safe_eval(self.env.ref("debtor_dunning.action_debtor_dunning_debtors").domain)
        )
        self.assertIn(self.debtor, debtors, "the menu Debtors lists who owes")
        self.assertIn(self.debtor_without_email, debtors, "a consumer too")
        self.assertNotIn(self.other, debtors)

    def test_the_buttons_a_controller_may_use(self):
        form = self.env.ref("debtor_dunning.res_partner_view_form_debtor")
        arch = (
            self.env["res.partner"].with_user(self.controller).get_views([(form.id, "form")])["views"]["form"]["arch"]
        )
        buttons = etree.fromstring(arch).xpath("//header//button/@name")
        for name in ("action_place_dunning_block", "action_log_dunning_call", "action_send_dunning_statement"):
            self.assertIn(name, buttons)
        self.assertTrue(etree.fromstring(arch).xpath("//button[@name='action_view_dunning_unmatched']"))
        action = self.debtor.action_place_dunning_block()
        self.assertEqual(action["context"]["default_partner_id"], self.debtor.id)
        action = self.debtor.action_log_dunning_call()
        self.assertEqual(action["res_model"], "mail.activity", "no letter with a call: a call activity")

    def _arch(self, view_xmlid, user=None):
        view = self.env.ref(view_xmlid)
        partners = self.env["res.partner"].with_user(user or self.controller)
        return etree.fromstring(partners.get_views([(view.id, "form")])["views"]["form"]["arch"])

    def test_the_debtor_form_shows_what_the_credit_control_tab_shows(self):
        """One definition: every field and button of the tab (with the add-ons' additions) is on
        the Debtor form too, the tab's buttons in its header, each list on a page of its own."""
        tab = self._arch("base.view_partner_form").xpath("//page[@name='debtor_dunning']")[0]
        debtor_form = self._arch("debtor_dunning.res_partner_view_form_debtor")
        shown = set(debtor_form.xpath("//sheet//field/@name"))
        for name in tab.xpath(".//field/@name"):
            self.assertIn(name, shown, f"{name} is on the tab and on the Debtor form")
        header = debtor_form.xpath("//header//button/@name")
        for name in tab.xpath(".//div[@name='dunning_actions']//button/@name"):
            if name != "action_open_debtor_screen":
                self.assertIn(name, header, f"{name} is a button of the Debtor form's header")
        self.assertNotIn("action_open_debtor_screen", debtor_form.xpath("//button/@name"), "he is on it already")
        self.assertIn("action_open_debtor_screen", tab.xpath(".//button/@name"))
        pages = {page.get("name"): set(page.xpath(".//field/@name")) for page in debtor_form.xpath("//notebook/page")}
        self.assertIn("dunning_open_move_ids", pages["dunning_open_items"])
        self.assertLessEqual({"dunning_recent_payment_ids", "dunning_unmatched_credit_ids"}, pages["dunning_payments"])
        self.assertIn("dunning_block_ids", pages["dunning_blocks"])
        self.assertIn("dunning_communication_ids", pages["dunning_letters"])
        self.assertIn("dunning_task_ids", pages["dunning_tasks"])
        self.assertIn("dunning_timeline_html", pages["dunning_timeline"])
        self.assertIn("dunning_risk_explanation", pages["dunning_risk"])
        self.assertFalse(debtor_form.xpath("//field[@name='street' or @name='vat']"), "not the partner form's fields")

    def test_the_debtor_form_opens_on_his_figures(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=300.0)
        self._receivable_credit(40.0)
        form = Form(self.debtor.with_user(self.controller), view="debtor_dunning.res_partner_view_form_debtor")
        self.assertEqual(form.name, "Bakkerij Jansen")
        self.assertEqual(form.dunning_overdue_amount, 300.0)
        self.assertEqual(len(form.dunning_open_move_ids), len(invoice))
        self.assertEqual(len(form.dunning_unmatched_credit_ids), 1)
