# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL, format_date

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
class TestDunningExtending(DunningCommon):
    """The hooks other add-ons build on (README, "Extending") do what they promise."""

    def _letter_html(self, communication):
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html("debtor_dunning.action_report_debtor_dunning_letter", communication.ids)[0]
            .decode()
        )

    def test_a_layout_added_by_an_add_on_prints_its_own_body(self):
        """A layout is a selection value plus a template named debtor_dunning.letter_body_<layout>."""
        view = self.env["ir.ui.view"].create(
            {
                "name": "letter_body_agency_notice",
                "type": "qweb",
                "key": "debtor_dunning.letter_body_agency_notice",
                "arch": """<t t-name="debtor_dunning.letter_body_agency_notice">
                    <h4 name="agency_heading">Incasso Voorbeeld BV now collects this claim</h4>
                    <t t-call="debtor_dunning.report_debtor_dunning_letter_invoices"/>
                </t>""",
            }
        )
        self.env["ir.model.data"].create(
            {"module": "debtor_dunning", "name": "letter_body_agency_notice", "model": "ir.ui.view", "res_id": view.id}
        )
        invoice = self._invoice(TODAY - timedelta(days=10))
        letter = self._run(TODAY).communication_ids
        # What selection_add in an add-on's model does to the column, without a second registry.
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE debtor_dunning_level SET letter_layout = 'agency_notice' WHERE id = %s", letter.level_id.id)
        )
        letter.level_id.invalidate_recordset(["letter_layout"])
        self.assertEqual(letter._letter_body_template(), "debtor_dunning.letter_body_agency_notice")
        html = self._letter_html(letter)
        self.assertIn("Incasso Voorbeeld BV now collects this claim", html)
        self.assertIn(invoice.name, html, "the shared parts still compose the new body")
        self.assertNotIn("Payment reminder", html, "no other layout's body")

    def test_the_shipped_layouts_each_print_their_own_body(self):
        headings = {
            "pre_due": "Announcement: invoices falling due",
            "overdue": "Payment reminder",
            "reminder": "Second reminder",
            "last_reminder": "Last reminder",
            "default_notice": "Notice of default",
            "handover": "Claim placed in the hands of a collection agency",
        }
        self._invoice(TODAY - timedelta(days=10))
        letter = self._run(TODAY).communication_ids
        layouts = self.env["debtor.dunning.level"]._fields["letter_layout"].get_values(self.env)
        self.assertEqual(set(layouts), set(headings))
        for layout, heading in headings.items():
            with self.subTest(layout=layout):
                letter.level_id.letter_layout = layout
                self.assertIn(f">{heading}</h4>", self._letter_html(letter))

    def test_the_pay_online_address_is_asked_in_one_place(self):
        """An add-on that overrides _dunning_pay_online_url changes the letter, the e-mail and the SMS."""
        self.levels.filtered(lambda level: level.sequence == 2).write({"channel_sms": True, "channel_letter": True})
        self.debtor.write({"phone": "06 12345678", "country_id": self.env.ref("base.nl").id})
        self._invoice(TODAY - timedelta(days=10))
        letter = self._run(TODAY).communication_ids
        agency_url = "https://incasso.example.nl/betalen/4711"
        with patch.object(type(self.Communication), "_dunning_pay_online_url", lambda communication: agency_url):
            self.assertIn(agency_url, self._letter_html(letter))
            letter._send()
        self.assertEqual(letter.state, "sent", letter.error_message)
        self.assertIn(agency_url, letter.mail_message_id.body)
        sms = self.env["sms.sms"].search([("number", "=", "+31612345678")])
        self.assertIn(agency_url, sms.body)
        self.assertNotIn("/debtor_dunning/pay/", letter.mail_message_id.body)

    def test_a_letter_without_a_way_to_pay_online_sends_an_sms_without_a_link(self):
        """_dunning_pay_online_url returning False: the SMS still asks to pay, and names no address."""
        self.levels.filtered(lambda level: level.sequence == 2).write({"channel_sms": True})
        self.debtor.write({"phone": "06 12345678", "country_id": self.env.ref("base.nl").id})
        self._invoice(TODAY - timedelta(days=10))
        letter = self._run(TODAY).communication_ids
        with patch.object(type(self.Communication), "_dunning_pay_online_url", lambda communication: False):
            letter._send()
        self.assertEqual(letter.state, "sent", letter.error_message)
        sms = self.env["sms.sms"].search([("number", "=", "+31612345678")])
        self.assertEqual(len(sms), 1)
        pay_by = format_date(self.env, letter.pay_by_date or letter.date)
        self.assertTrue(sms.body.endswith(f"Please pay by {pay_by}."), sms.body)
        self.assertNotIn("http", sms.body)
        self.assertNotIn("/debtor_dunning/pay/", letter.mail_message_id.body, "nor does the e-mail")
