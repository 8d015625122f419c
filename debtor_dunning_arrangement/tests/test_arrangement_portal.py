# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from lxml import html as lxml_html

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import TODAY, ArrangementCommon


@tagged("post_install", "-at_install")
class TestArrangementPortal(ArrangementCommon, HttpCase):
    """The debtor sees his arrangement, pays one instalment, proposes one himself; nobody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._enable_portal_payment()
        cls.portal_user = new_test_user(
            cls.env,
            login="jansen_portal",
            groups="base.group_portal",
            partner_id=cls.debtor.id,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.template.write({"self_service": True, "max_amount": 1000.0})

    def _active_arrangement(self, amount=300.0, partner=None):
        invoice = self._invoice(TODAY - timedelta(days=20), amount, partner=partner)
        with mute_logger("odoo.addons.mail"):
            return self._arrange(invoice, on_date=self._today())

    @staticmethod
    def _today():
        from odoo import fields

        return fields.Date.today()

    # ---------------------------------------------------------------- seeing it
    def test_the_debtor_sees_his_arrangement_and_schedule_with_his_login(self):
        ours = self._active_arrangement()
        theirs = self._active_arrangement(partner=self.debtor_without_email)
        self.authenticate("jansen_portal", "jansen_portal")
        page = self.url_open("/my/arrangements")
        self.assertEqual(page.status_code, 200)
        self.assertIn(ours.name, page.text)
        self.assertNotIn(theirs.name, page.text)
        page = self.url_open(f"/my/arrangements/{ours.id}")
        self.assertEqual(page.status_code, 200)
        rows = lxml_html.fromstring(page.content).xpath('//table[@name="arrangement_schedule"]/tbody/tr')
        self.assertEqual(len(rows), 3)
        self.assertIn("100.00", rows[0].text_content())
        self.assertEqual(self.url_open(f"/my/arrangements/{theirs.id}").status_code, 404, "another debtor's")

    def test_the_link_with_the_token_opens_it_without_login_and_a_forged_one_does_not(self):
        ours = self._active_arrangement()
        theirs = self._active_arrangement(partner=self.debtor_without_email)
        token = ours._portal_ensure_token()
        self.assertEqual(self.url_open(f"/my/arrangements/{ours.id}?access_token={token}").status_code, 200)
        self.assertNotEqual(self.url_open(f"/my/arrangements/{ours.id}?access_token=forged").status_code, 200)
        self.assertNotEqual(
            self.url_open(f"/my/arrangements/{theirs.id}?access_token={token}").status_code, 200, "another's id"
        )

    # ---------------------------------------------------------------- paying an instalment
    def test_the_debtor_pays_exactly_one_instalment_online(self):
        arrangement = self._active_arrangement()
        invoice = arrangement.move_ids
        self._register_payment(invoice, amount=30.0, payment_date=self._today())
        first = arrangement.instalment_ids[0]
        page = self.url_open(arrangement._instalment_pay_path(first))
        self.assertEqual(page.status_code, 200)
        form = lxml_html.fromstring(page.content).xpath('//form[@id="o_payment_form"]')[0]
        self.assertEqual(float(form.get("data-amount")), 70.0, "what is still due on the first instalment")
        route = form.get("data-transaction-route")
        self.assertEqual(route, f"/my/arrangements/{arrangement.id}/instalment/{first.id}/transaction")
        values = {
            "access_token": form.get("data-access-token"),
            "provider_id": self.provider.id,
            "payment_method_id": self.method.id,
            "token_id": None,
            "amount": 1.0,  # a browser cannot choose the amount
            "flow": "redirect",
            "tokenization_requested": False,
            "landing_route": "https://elsewhere.example.com",
        }
        processing = self.make_jsonrpc_request(self.base_url() + route, values)
        transaction = self.env["payment.transaction"].search([("reference", "=", processing["reference"])])
        self.assertEqual(transaction.amount, 70.0)
        self.assertEqual(transaction.invoice_ids, invoice, "reconciled with the covered invoices")
        self.assertEqual(transaction.landing_route, arrangement._instalment_pay_path(first))

    def test_a_forged_instalment_id_is_refused(self):
        ours = self._active_arrangement()
        theirs = self._active_arrangement(partner=self.debtor_without_email)
        foreign = theirs.instalment_ids[0]
        token = ours._portal_ensure_token()
        path = f"/my/arrangements/{ours.id}/instalment/{foreign.id}"
        self.assertEqual(self.url_open(f"{path}/pay?access_token={token}").status_code, 404)
        # (The JSON-RPC client of the tests reports the error's class only: "This instalment cannot be paid online.")
        with mute_logger("odoo.http"), self.assertRaisesRegex(JsonRpcException, "ValidationError"):
            self.make_jsonrpc_request(
                self.base_url() + f"{path}/transaction",
                {
                    "access_token": token,
                    "provider_id": self.provider.id,
                    "payment_method_id": self.method.id,
                    "token_id": None,
                    "amount": 100.0,
                    "flow": "redirect",
                    "tokenization_requested": False,
                    "landing_route": "/",
                },
            )
        self.assertFalse(self.env["payment.transaction"].search([("invoice_ids", "in", theirs.move_ids.ids)]))

    # ---------------------------------------------------------------- proposing one
    def _propose(self, invoices, instalments, template=None):
        self.authenticate("jansen_portal", "jansen_portal")
        form = self.url_open("/my/arrangements/propose")
        self.assertEqual(form.status_code, 200)
        csrf = lxml_html.fromstring(form.content).xpath('//input[@name="csrf_token"]')[0].get("value")
        data = {"csrf_token": csrf, "template_id": (template or self.template).id, "instalments": instalments}
        data |= {f"invoice_{invoice.id}": "on" for invoice in invoices}
        return self.url_open("/my/arrangements/propose", data=data)

    def test_a_proposal_within_the_limits_is_confirmed_at_once(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        response = self._propose(invoice, 2)
        self.assertEqual(response.status_code, 200)
        arrangement = self.Arrangement.search([("move_ids", "in", invoice.ids)])
        self.assertEqual(arrangement.state, "active")
        self.assertEqual(arrangement.instalment_ids.mapped("amount"), [150.0, 150.0])
        self.assertTrue(arrangement.confirmation_attachment_id, "the debtor gets the schedule")
        self.assertIn(arrangement.name, response.text)

    def test_the_debtor_proposes_in_the_browser(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        self.start_tour("/my/arrangements", "debtor_dunning_arrangement_portal_propose", login="jansen_portal")
        arrangement = self.Arrangement.search([("move_ids", "in", invoice.ids)])
        self.assertEqual(arrangement.state, "active")
        self.assertEqual(arrangement.instalment_ids.mapped("amount"), [150.0, 150.0])

    def test_a_proposal_beyond_the_limits_waits_for_a_controller(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        self._propose(invoice, 6)
        arrangement = self.Arrangement.search([("move_ids", "in", invoice.ids)])
        self.assertEqual(arrangement.state, "proposed")
        self.assertEqual(len(arrangement.instalment_ids), 6)
        activity = arrangement.activity_ids
        self.assertEqual(len(activity), 1, "a controller is notified")
        self.assertIn("6 instalments (at most 3)", activity.note)
        with mute_logger("odoo.addons.mail"):
            arrangement.action_confirm()  # the controller accepts it
        self.assertEqual(arrangement.state, "active")

    def test_a_proposal_over_the_maximum_amount_waits(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 1500.0)
        self._propose(invoice, 3)
        arrangement = self.Arrangement.search([("move_ids", "in", invoice.ids)])
        self.assertEqual(arrangement.state, "proposed")
        self.assertIn("(at most", arrangement.activity_ids.note)

    def test_a_proposal_with_another_debtors_invoice_is_refused(self):
        ours = self._invoice(TODAY - timedelta(days=20), 300.0)
        theirs = self._invoice(TODAY - timedelta(days=20), 300.0, partner=self.debtor_without_email)
        response = self._propose(ours | theirs, 3)
        self.assertIn("Some of the selected invoices are not yours", response.text)
        self.assertFalse(self.Arrangement.search([("move_ids", "in", (ours | theirs).ids)]), "nothing created")

    def test_a_template_not_offered_in_the_portal_is_refused(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        other = self.template.copy({"name": "Internal only", "self_service": False})
        response = self._propose(invoice, 3, template=other)
        self.assertIn("Choose one of the arrangements offered", response.text)
        self.assertFalse(self.Arrangement.search([("move_ids", "in", invoice.ids)]))
