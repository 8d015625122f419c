# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from lxml import html as lxml_html

from odoo.tests import HttpCase, tagged

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
class TestDunningPayOnline(DunningCommon, HttpCase):
    """Without Mollie, a letter's one pay-online address is Odoo's payment page for all its open invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._enable_portal_payment()

    def _letter_of_two_invoices(self):
        first = self._invoice(TODAY - timedelta(days=10), amount=100.0)
        second = self._invoice(TODAY - timedelta(days=12), amount=200.0)
        letter = self._run(TODAY).communication_ids
        letter._send()
        self.assertEqual(letter.state, "sent", letter.error_message)
        return first, second, letter

    def test_the_debtor_pays_all_open_invoices_of_the_letter_at_once_without_login(self):
        first, second, letter = self._letter_of_two_invoices()
        self._register_payment(first, amount=40.0, payment_date=TODAY)
        url = letter._dunning_pay_online_url()
        self.assertNotIn(first.get_portal_url().split("?")[0], url)
        page = self.url_open(url)  # not logged in
        self.assertEqual(page.status_code, 200)
        self.assertIn(first.name, page.text)
        self.assertIn(second.name, page.text)
        form = lxml_html.fromstring(page.content).xpath('//form[@id="o_payment_form"]')[0]
        self.assertEqual(float(form.get("data-amount")), 260.0, "what is open now: 60 + 200")
        self.assertEqual(form.get("data-transaction-route"), f"/debtor_dunning/pay/{letter.id}/transaction")

        processing_values = self.make_jsonrpc_request(
            self.base_url() + form.get("data-transaction-route"),
            {
                "access_token": form.get("data-access-token"),
                "provider_id": self.provider.id,
                "payment_method_id": self.method.id,
                "token_id": None,
                "amount": 1.0,  # a browser cannot choose the amount
                "flow": "redirect",
                "tokenization_requested": False,
                "landing_route": "https://elsewhere.example.com",
                "payment_reference": "whatever",
            },
        )
        transaction = self.env["payment.transaction"].search([("reference", "=", processing_values["reference"])])
        self.assertEqual(transaction.invoice_ids, first | second, "one payment, reconciled with each invoice")
        self.assertEqual(transaction.amount, 260.0)
        self.assertEqual(transaction.partner_id, self.debtor)
        self.assertTrue(transaction.reference.startswith(letter._reference()))
        self.assertEqual(transaction.landing_route, letter._dunning_pay_online_path())

    def test_the_page_opens_only_with_the_letters_own_token(self):
        self._invoice(TODAY - timedelta(days=10))
        self._invoice(TODAY - timedelta(days=10), partner=self.debtor_without_email)
        letters = self._run(TODAY).communication_ids
        letters._send()
        letter = letters.filtered(lambda c: c.partner_id == self.debtor)
        other = letters - letter
        path = f"/debtor_dunning/pay/{letter.id}"
        self.assertEqual(self.url_open(f"{path}?access_token={letter._dunning_pay_online_token()}").status_code, 200)
        self.assertEqual(self.url_open(f"{path}?access_token=forged").status_code, 404)
        self.assertEqual(self.url_open(path).status_code, 404)
        other_token = other._dunning_pay_online_token()
        self.assertEqual(self.url_open(f"{path}?access_token={other_token}").status_code, 404, "another letter's token")

    def test_a_paid_letter_thanks_the_debtor(self):
        first, second, letter = self._letter_of_two_invoices()
        for invoice in first | second:
            self._register_payment(invoice, payment_date=TODAY)
        page = self.url_open(letter._dunning_pay_online_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn('name="nothing_to_pay"', page.text)
        self.assertNotIn("o_payment_form", page.text)
