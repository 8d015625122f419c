# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A local HTTP server that answers like Mollie's API for payment links, payments, customers and mandates.

The mollie-api-python client is pointed at it (system parameter `debtor_dunning.mollie_api_url`),
so tests exercise the real client and never reach the internet.
"""

import json
import re
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeMollie:
    def __init__(self, api_key="test_dunningkey123"):
        self.api_key = api_key
        self.links = {}
        self.payments = {}
        self.customers = {}
        self.mandates = {}  # mandate id -> mandate (with its customerId)
        self.requests = []
        self.fail_with = None  # an HTTP status every request gets while set (401, 429, 500)
        self._server = None

    # -------------------------------------------------------------- lifecycle
    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                return

            def _reply(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/hal+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status, title, detail):
                self._reply(status, {"status": status, "title": title, "detail": detail})

            def _handle(self, method):
                fake.requests.append((method, self.path))
                if fake.fail_with:
                    titles = {401: "Unauthorized Request", 429: "Too Many Requests", 500: "Internal Server Error"}
                    return self._error(fake.fail_with, titles.get(fake.fail_with, "Error"), "Simulated failure")
                if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                    return self._error(401, "Unauthorized Request", "Missing authentication, or failed to authenticate")
                body = {}
                if method == "POST":
                    length = int(self.headers.get("Content-Length") or 0)
                    body = json.loads(self.rfile.read(length) or b"{}")
                path = self.path.split("?")[0]
                if method == "POST" and path == "/v2/payment-links":
                    return self._reply(201, fake._create_link(body))
                match = re.fullmatch(r"/v2/payment-links/(pl_\w+)", path)
                if method == "GET" and match:
                    link = fake.links.get(match.group(1))
                    return self._reply(200, link) if link else self._error(404, "Not Found", "No payment link")
                match = re.fullmatch(r"/v2/payments/(tr_\w+)", path)
                if method == "GET" and match:
                    payment = fake.payments.get(match.group(1))
                    return self._reply(200, payment) if payment else self._error(404, "Not Found", "No payment")
                if method == "POST" and path == "/v2/customers":
                    return self._reply(201, fake._create_customer(body))
                if method == "POST" and path == "/v2/payments":
                    return fake._create_payment(body, self._reply, self._error)
                match = re.fullmatch(r"/v2/customers/(cst_\w+)/mandates/(mdt_\w+)", path)
                if method == "GET" and match:
                    mandate = fake.mandates.get(match.group(2))
                    if not mandate or mandate["customerId"] != match.group(1):
                        return self._error(404, "Not Found", "No mandate")
                    return self._reply(200, mandate)
                return self._error(404, "Not Found", f"Unknown endpoint {path}")

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    # -------------------------------------------------------------- Mollie's objects
    def _create_link(self, body):
        link_id = f"pl_{secrets.token_hex(8)}"
        self.links[link_id] = {
            "resource": "payment-link",
            "id": link_id,
            "mode": "test",
            "description": body.get("description"),
            "amount": body.get("amount"),
            "redirectUrl": body.get("redirectUrl"),
            "webhookUrl": body.get("webhookUrl"),
            "createdAt": "2026-06-01T10:00:00+00:00",
            "paidAt": None,
            "expiresAt": body.get("expiresAt"),
            "_links": {
                "self": {"href": f"{self.url}/v2/payment-links/{link_id}", "type": "application/hal+json"},
                "paymentLink": {"href": f"{self.url}/payment/{link_id[3:]}", "type": "text/html"},
            },
        }
        return self.links[link_id]

    def pay(self, link_id, amount=None):
        """The debtor pays the link: Mollie marks it paid and creates a payment. Returns the payment id."""
        link = self.links[link_id]
        payment_id = f"tr_{secrets.token_hex(8)}"
        self.payments[payment_id] = {
            "resource": "payment",
            "id": payment_id,
            "mode": "test",
            "status": "paid",
            "amount": amount or link["amount"],
            "description": link["description"],
            "method": "ideal",
            "paidAt": "2026-06-02T10:00:00+00:00",
            "_links": {
                "paymentLink": {"href": f"{self.url}/v2/payment-links/{link_id}", "type": "application/hal+json"}
            },
        }
        link["paidAt"] = "2026-06-02T10:00:00+00:00"
        return payment_id

    # -------------------------------------------------------------- direct debit: customers, first and recurring
    def _create_customer(self, body):
        customer_id = f"cst_{secrets.token_hex(5)}"
        self.customers[customer_id] = {
            "resource": "customer",
            "id": customer_id,
            "mode": "test",
            "name": body.get("name"),
            "email": body.get("email"),
            "metadata": body.get("metadata"),
        }
        return self.customers[customer_id]

    def _create_payment(self, body, reply, error):
        sequence_type = body.get("sequenceType", "oneoff")
        customer_id = body.get("customerId")
        if sequence_type in ("first", "recurring") and customer_id not in self.customers:
            return error(422, "Unprocessable Entity", "The customer id is invalid")
        if sequence_type == "recurring":
            mandate = self.mandates.get(body.get("mandateId"))
            if not mandate or mandate["customerId"] != customer_id or mandate["status"] != "valid":
                return error(422, "Unprocessable Entity", "The customer has no valid mandate")
        payment_id = f"tr_{secrets.token_hex(8)}"
        payment = {
            "resource": "payment",
            "id": payment_id,
            "mode": "test",
            "status": "pending" if sequence_type == "recurring" else "open",
            "amount": body.get("amount"),
            "description": body.get("description"),
            "method": "directdebit" if sequence_type == "recurring" else body.get("method"),
            "sequenceType": sequence_type,
            "customerId": customer_id,
            "mandateId": body.get("mandateId"),
            "metadata": body.get("metadata"),
            "redirectUrl": body.get("redirectUrl"),
            "webhookUrl": body.get("webhookUrl"),
            "paidAt": None,
            "_links": {"self": {"href": f"{self.url}/v2/payments/{payment_id}", "type": "application/hal+json"}},
        }
        if sequence_type != "recurring":
            payment["_links"]["checkout"] = {"href": f"{self.url}/checkout/{payment_id[3:]}", "type": "text/html"}
        self.payments[payment_id] = payment
        return reply(201, payment)

    def complete_first(self, payment_id):
        """The debtor pays the first payment with iDEAL: it is paid and his SEPA mandate exists. Returns it."""
        payment = self.payments[payment_id]
        mandate_id = f"mdt_{secrets.token_hex(5)}"
        self.mandates[mandate_id] = {
            "resource": "mandate",
            "id": mandate_id,
            "mode": "test",
            "status": "valid",
            "method": "directdebit",
            "customerId": payment["customerId"],
            "mandateReference": None,
            "signatureDate": "2026-06-02",
            "details": {"consumerName": "Test", "consumerAccount": "NL55INGB0000000000"},
        }
        payment.update(status="paid", paidAt="2026-06-02T10:00:00+00:00", mandateId=mandate_id)
        return self.mandates[mandate_id]

    def settle(self, payment_id, paid=True):
        """The bank answers a recurring debit: collected, or failed (insufficient funds, blocked account)."""
        payment = self.payments[payment_id]
        if paid:
            payment.update(status="paid", paidAt="2026-06-02T10:00:00+00:00")
        else:
            payment.update(status="failed", failedAt="2026-06-02T10:00:00+00:00")

    def charge_back(self, payment_id):
        """The debtor's bank reverses a collected debit (the debtor has eight weeks to ask for it)."""
        payment = self.payments[payment_id]
        payment["amountChargedBack"] = payment["amount"]
        payment["_links"]["chargebacks"] = {"href": f"{self.url}/v2/payments/{payment_id}/chargebacks"}
