# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
from datetime import timedelta

from mollie.api.client import Client
from mollie.api.error import Error as MollieError

from odoo import api, fields, models

from .matching import LETTER_REFERENCE_PATTERN

_logger = logging.getLogger(__name__)

MOLLIE_ID = re.compile(r"^(tr|pl)_\w+$")
LINK_VALIDITY_DAYS = 30
CHECK_BATCH_SIZE = 50


class MollieUnavailable(Exception):
    """Mollie could not be reached or refused the call: the letter goes out with Odoo's own link."""


class DebtorDunningPaymentLink(models.Model):
    """A Mollie Payment Link for the open total of one letter, and what became of it.

    Mollie is asked, never believed: the webhook only names an id, the status is fetched from
    Mollie's API. A paid link registers one payment in Odoo, reconciled with the letter's invoices.
    """

    _name = "debtor.dunning.payment.link"
    _description = "Dunning Payment Link"
    _order = "id desc"
    _check_company_auto = True

    communication_id = fields.Many2one(
        "debtor.dunning.communication", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    partner_id = fields.Many2one(related="communication_id.partner_id", string="Debtor")
    provider_id = fields.Many2one("payment.provider", required=True, readonly=True, check_company=True)
    move_ids = fields.Many2many("account.move", string="Invoices", readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    amount = fields.Monetary(readonly=True)
    mollie_id = fields.Char(string="Mollie Link", readonly=True, index=True)
    url = fields.Char(string="URL", readonly=True)
    expires_at = fields.Datetime(string="Expires On", readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("paid", "Paid"), ("expired", "Expired")],
        required=True,
        default="open",
        index=True,
        readonly=True,
    )
    paid_at = fields.Datetime(string="Paid On", readonly=True)
    mollie_payment_id = fields.Char(string="Mollie Payment", readonly=True)
    amount_paid = fields.Monetary(readonly=True)
    payment_id = fields.Many2one("account.payment", string="Payment", readonly=True)
    error_message = fields.Text(readonly=True)

    _unique_mollie_id = models.UniqueIndex("(mollie_id) WHERE mollie_id IS NOT NULL")
    _unique_mollie_payment = models.UniqueIndex(
        "(mollie_payment_id) WHERE mollie_payment_id IS NOT NULL",
        "This Mollie payment is already registered.",
    )

    # ------------------------------------------------------------------ Mollie access
    @api.model
    def _mollie_provider(self, company):
        """Odoo's own Mollie provider of the company, when it is set up: its API key is the one we use."""
        # sudo: payment providers and their API keys are readable by administrators only; whoever
        # sends the letters (a credit controller, the sending step's user) needs the key to create
        # the links, and it never leaves the server but towards Mollie.
        return (
            self.env["payment.provider"]
            .sudo()
            .search(
                [
                    ("code", "=", "mollie"),
                    ("state", "in", ("enabled", "test")),
                    ("company_id", "=", company.id),
                    ("mollie_api_key", "!=", False),
                ],
                limit=1,
            )
        )

    @api.model
    def _mollie_client(self, provider):
        # sudo: system parameters are readable by administrators only; this one only redirects the
        # client to another API address (tests, sandboxes), set by an administrator.
        endpoint = self.env["ir.config_parameter"].sudo().get_param("debtor_dunning.mollie_api_url")
        client = Client(api_endpoint=endpoint or "", timeout=10, retry=0)
        client.set_api_key(provider.mollie_api_key)
        return client

    @api.model
    def _create_for(self, communication):
        """A new Mollie link for the communication's open total; raises MollieUnavailable."""
        provider = self._mollie_provider(communication.company_id)
        if not provider:
            return self.browse()
        if communication.amount_residual <= 0:
            return self.browse()
        expires_at = fields.Datetime.now() + timedelta(days=LINK_VALIDITY_DAYS)
        base_url = communication.get_base_url()
        description = self.env._(
            "%(company)s %(reference)s", company=communication.company_id.name, reference=communication._reference()
        )
        try:
            mollie_link = self._mollie_client(provider).payment_links.create(
                {
                    "amount": {
                        "currency": communication.currency_id.name,
                        "value": f"{communication.amount_residual:.2f}",
                    },
                    "description": description[:255],
                    "redirectUrl": f"{base_url}/my/invoices",
                    "webhookUrl": f"{base_url}/debtor_dunning/mollie/webhook",
                    "expiresAt": expires_at.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                }
            )
        except (MollieError, ValueError) as error:
            raise MollieUnavailable(str(error)) from error
        return self.create(
            {
                "communication_id": communication.id,
                "company_id": communication.company_id.id,
                "provider_id": provider.id,
                "move_ids": [fields.Command.set(communication.move_ids.ids)],
                "currency_id": communication.currency_id.id,
                "amount": communication.amount_residual,
                "mollie_id": mollie_link.id,
                "url": mollie_link.payment_link,
                "expires_at": expires_at,
            }
        )

    # ------------------------------------------------------------------ status from Mollie
    @api.model
    def _handle_notification(self, mollie_id):
        """Learn a payment's or a link's status from Mollie itself; the caller only gave an id."""
        if not MOLLIE_ID.match(mollie_id or ""):
            return False
        if mollie_id.startswith("pl_"):
            link = self.search([("mollie_id", "=", mollie_id)], limit=1)
            return link._check_with_mollie() if link else False
        # A payment id: only Mollie can tell which of our links it belongs to.
        for provider in self.search([("state", "=", "open")]).provider_id:
            try:
                payment = self._mollie_client(provider).payments.get(mollie_id)
            except (MollieError, ValueError):
                continue
            link = self._link_of_payment(payment)
            if link:
                return link._check_with_mollie(payment=payment)
        return False

    @api.model
    def _link_of_payment(self, payment):
        link_id = payment._get_property("paymentLinkId")
        if not link_id:
            href = (payment._get_link("paymentLink") or "").rstrip("/")
            link_id = href.rsplit("/", 1)[-1] if href else None
        if not link_id:
            # Last resort: the link's description, which Mollie copies onto its payments, names our letter.
            match = LETTER_REFERENCE_PATTERN.search(payment.description or "")
            if not match:
                return self.browse()
            return self.search([("communication_id", "=", int(match.group(1))), ("state", "=", "open")], limit=1)
        if not link_id.startswith("pl_"):
            link_id = f"pl_{link_id}"
        return self.search([("mollie_id", "=", link_id)], limit=1)

    def _check_with_mollie(self, payment=None):
        """Fetch the link from Mollie and register its payment once; True when it is paid."""
        self.ensure_one()
        if self.state == "paid":
            return True
        # Two webhooks for one payment may arrive together: the second is refused the lock (and
        # answered with an error, so Mollie calls again later), never a second booking.
        self.lock_for_update()
        self.invalidate_recordset(["state"])
        if self.state == "paid":
            return True
        try:
            mollie_link = self._mollie_client(self.provider_id).payment_links.get(self.mollie_id)
        except (MollieError, ValueError) as error:
            self.error_message = str(error)
            raise MollieUnavailable(str(error)) from error
        if not mollie_link.is_paid():
            if self.expires_at and self.expires_at < fields.Datetime.now():
                self.state = "expired"
            return False
        payment_reference = payment.id if payment is not None else None
        amount = float(mollie_link.amount["value"])
        if payment is not None and payment.amount:
            amount = float(payment.amount["value"])
        self._register_payment(amount, payment_reference or self.mollie_id)
        return True

    def _register_payment(self, amount, reference):
        """One posted payment on the provider's journal, reconciled with what is still open."""
        self.ensure_one()
        provider = self.provider_id
        method_line = (
            provider.journal_id.inbound_payment_method_line_ids.filtered(
                lambda line: line.payment_provider_id == provider
            )[:1]
            or provider.journal_id.inbound_payment_method_line_ids[:1]
        )
        open_invoices = self.move_ids.filtered(
            lambda move: move.state == "posted" and move.payment_state in ("not_paid", "partial")
        )
        payment = self.env["account.payment"].create(
            {
                "amount": amount,
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.communication_id.partner_id.id,
                "currency_id": self.currency_id.id,
                "journal_id": provider.journal_id.id,
                "company_id": self.company_id.id,
                "payment_method_line_id": method_line.id,
                "memo": self.env._("Mollie %(reference)s", reference=reference),
                "invoice_ids": [fields.Command.set(open_invoices.ids)],
            }
        )
        payment.action_post()
        if open_invoices:
            (payment.move_id.line_ids + open_invoices.line_ids).filtered(
                lambda line: line.account_id == payment.destination_account_id and not line.reconciled
            ).reconcile()
        self.write(
            {
                "state": "paid",
                "paid_at": fields.Datetime.now(),
                "amount_paid": amount,
                "mollie_payment_id": reference,
                "payment_id": payment.id,
                "error_message": False,
            }
        )
        self.communication_id.message_post(
            body=self.env._(
                "Paid online through Mollie: %(amount)s (%(reference)s).",
                amount=self.currency_id.format(amount),
                reference=reference,
            )
        )
        return payment

    @api.model
    def _cron_check_open_links(self):
        """The fallback for lost webhooks: ask Mollie about every open link, in batches."""
        domain = [("state", "=", "open"), ("mollie_id", "!=", False)]
        links = self.search(domain, order="id")
        cron = self.env["ir.cron"]
        for start in range(0, len(links), CHECK_BATCH_SIZE):
            batch = links[start : start + CHECK_BATCH_SIZE]
            for link in batch:
                try:
                    with self.env.cr.savepoint():
                        link._check_with_mollie()
                except MollieUnavailable as error:
                    _logger.warning("Mollie link %s could not be checked: %s", link.mollie_id, error)
                    link.error_message = str(error)
            if cron._commit_progress(len(batch), remaining=max(len(links) - start - len(batch), 0)) <= 0:
                break
