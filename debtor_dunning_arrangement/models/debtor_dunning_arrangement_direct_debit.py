# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re

from mollie.api.error import Error as MollieError

from odoo import api, fields, models
from odoo.exceptions import UserError

from . import arrangement_rules as rules

_logger = logging.getLogger(__name__)

MOLLIE_PAYMENT_ID = re.compile(r"^tr_\w+$")
CHECK_BATCH_SIZE = 50


class DebtorDunningArrangement(models.Model):
    """Direct debit through Mollie: the first instalment paid with iDEAL gives the SEPA mandate,
    each later one is charged on its due date by the run. Mollie is asked, never believed: a webhook
    only names a payment, its status is fetched from Mollie."""

    _inherit = "debtor.dunning.arrangement"

    mollie_provider_id = fields.Many2one("payment.provider", string="Mollie Provider", readonly=True, copy=False)
    mollie_customer_id = fields.Char(string="Mollie Customer", readonly=True, copy=False)
    mollie_mandate_id = fields.Char(string="Mollie Mandate", readonly=True, copy=False)

    def _mollie_provider(self):
        """The Mollie provider the arrangement uses (sudo).

        sudo: providers and their API key are administrators'; whoever runs the dunning (a credit
        controller's Run Now, the cron) needs the key to charge, and it only ever goes to Mollie.
        """
        self.ensure_one()
        return self.mollie_provider_id.sudo()

    def _mollie_client(self):
        self.ensure_one()
        return self.env["debtor.dunning.payment.link"]._mollie_client(self._mollie_provider())

    def _start_direct_debit(self):
        """A Mollie customer and the first payment (iDEAL, `sequenceType: first`) for the first instalment.

        Called on confirmation; the debtor authorises the mandate by paying it (the link is in the
        confirmation e-mail and on the first instalment's portal page).
        """
        Link = self.env["debtor.dunning.payment.link"]
        for arrangement in self.filtered("direct_debit"):
            provider = Link._mollie_provider(arrangement.company_id)
            if not provider:
                raise UserError(
                    self.env._(
                        "Direct debit needs Odoo's Mollie payment provider, enabled for %s.",
                        arrangement.company_id.name,
                    )
                )
            arrangement.mollie_provider_id = provider
            first = arrangement.instalment_ids.sorted("sequence")[:1]
            try:
                client = arrangement._mollie_client()
                customer = client.customers.create(
                    {
                        "name": arrangement.partner_id.name,
                        "email": arrangement.partner_id.email or None,
                        "metadata": {"arrangement": arrangement.name},
                    }
                )
                arrangement.mollie_customer_id = customer.id
                payment = client.payments.create(
                    first._mollie_payment_values("first") | {"method": "ideal", "customerId": customer.id}
                )
            except (MollieError, ValueError) as error:
                raise UserError(
                    self.env._(
                        "Mollie could not start the direct debit of %(name)s: %(error)s",
                        name=arrangement.name,
                        error=error,
                    )
                ) from error
            first.write(
                {"mollie_payment_id": payment.id, "mollie_checkout_url": payment.checkout_url, "debit_state": "pending"}
            )

    @api.model
    def _charge_due_debits(self, company, on_date):
        """Charge, with the mandate, each instalment due by `on_date` not yet charged; returns those charged.

        An active block on all processes (the debtor or one of the invoices) holds the debits.
        """
        Instalment = self.env["debtor.dunning.arrangement.instalment"]
        due = Instalment.search(
            [
                ("arrangement_id.company_id", "=", company.id),
                ("arrangement_id.state", "=", "active"),
                ("arrangement_id.direct_debit", "=", True),
                ("arrangement_id.mollie_mandate_id", "!=", False),
                ("debit_state", "=", "none"),
                ("state", "!=", rules.PAID),
                ("date_due", "<=", on_date),
            ],
            order="arrangement_id, sequence",
        )
        if not due:
            return Instalment
        Block = self.env["debtor.dunning.block"]
        Block.flush_model()
        blocked_partners, blocked_moves = Block._blocked_targets(company, on_date, ("all",))
        charged = Instalment
        for arrangement, instalments in due.grouped("arrangement_id").items():
            if arrangement.partner_id.id in blocked_partners or set(arrangement.move_ids.ids) & set(blocked_moves):
                continue
            for instalment in instalments:
                try:
                    payment = arrangement._mollie_client().payments.create(
                        instalment._mollie_payment_values("recurring")
                        | {"customerId": arrangement.mollie_customer_id, "mandateId": arrangement.mollie_mandate_id}
                    )
                except (MollieError, ValueError) as error:
                    # Mollie unreachable or refusing: the instalment stays uncharged, the next run tries again.
                    _logger.warning("Direct debit of %s not charged: %s", instalment.display_name, error)
                    arrangement.message_post(
                        body=self.env._(
                            "Direct debit of instalment %(index)s not charged: %(error)s",
                            index=instalment.sequence,
                            error=error,
                        )
                    )
                    continue
                instalment.write({"mollie_payment_id": payment.id, "debit_state": "pending"})
                charged |= instalment
        return charged


class DebtorDunningArrangementInstalment(models.Model):
    _inherit = "debtor.dunning.arrangement.instalment"

    debit_state = fields.Selection(
        [
            ("none", "Not Charged"),
            ("pending", "Pending"),
            ("paid", "Collected"),
            ("failed", "Failed"),
            ("charged_back", "Charged Back"),
        ],
        string="Direct Debit",
        default="none",
        required=True,
        readonly=True,
        copy=False,
    )
    mollie_payment_id = fields.Char(string="Mollie Payment", readonly=True, copy=False, index="btree_not_null")
    mollie_checkout_url = fields.Char(string="Authorisation Link", readonly=True, copy=False)
    payment_id = fields.Many2one("account.payment", string="Payment", readonly=True, copy=False)

    def _mollie_payment_values(self, sequence_type):
        self.ensure_one()
        arrangement = self.arrangement_id
        base_url = arrangement.get_base_url()
        return {
            "amount": {"currency": arrangement.currency_id.name, "value": f"{self._amount_due():.2f}"},
            "description": self.env._(
                "%(company)s %(name)s instalment %(index)s",
                company=arrangement.company_id.name,
                name=arrangement.name,
                index=self.sequence,
            )[:255],
            "sequenceType": sequence_type,
            "redirectUrl": base_url + arrangement.get_portal_url(),
            "webhookUrl": f"{base_url}/debtor_dunning_arrangement/mollie/webhook",
            "metadata": {"instalment": self.id},
        }

    @api.model
    def _handle_mollie_notification(self, mollie_id):
        """Mollie names a payment: find our instalment by that id and learn the status from Mollie."""
        if not MOLLIE_PAYMENT_ID.match(mollie_id or ""):
            return False
        instalment = self.search([("mollie_payment_id", "=", mollie_id)], limit=1)
        if not instalment:
            return False
        return instalment._check_with_mollie()

    def _check_with_mollie(self):
        """Fetch the instalment's Mollie payment and act on it once: book, note the mandate, or make it late."""
        self.ensure_one()
        # Two webhooks at once: the second waits for the first's booking instead of booking again.
        self.lock_for_update()
        self.invalidate_recordset(["debit_state"])
        arrangement = self.arrangement_id
        client = arrangement._mollie_client()
        payment = client.payments.get(self.mollie_payment_id)
        charged_back = bool(payment.amount_chargedback and float(payment.amount_chargedback.get("value") or 0))
        if charged_back:
            if self.debit_state == "paid":
                self._undo_booking()
                self.debit_state = "charged_back"
                self._debit_failed(self.env._("The bank reversed the direct debit (charge back)."))
            return False
        if payment.is_paid():
            if self.debit_state != "paid":
                if payment.sequence_type == "first" and payment.mandate_id:
                    mandate = payment.get_mandate()
                    arrangement.write(
                        {
                            "mollie_mandate_id": mandate.id,
                            "mandate_reference": mandate._get_property("mandateReference") or mandate.id,
                        }
                    )
                self._book(float(payment.amount["value"]), payment.id)
                self.debit_state = "paid"
            return True
        if payment.status in ("failed", "canceled", "expired") and self.debit_state == "pending":
            self.debit_state = "failed"
            self._debit_failed(self.env._("Mollie reports the direct debit as %s.", payment.status))
        return False

    def _debit_failed(self, why):
        """A failed or reversed debit makes the instalment late, never silently paid."""
        self.ensure_one()
        self.state = rules.LATE
        self.arrangement_id.message_post(
            body=self.env._("Instalment %(index)s is late: %(why)s", index=self.sequence, why=why)
        )

    def _book(self, amount, reference):
        """One posted payment on the provider's journal, reconciled with the open covered invoices, oldest first."""
        self.ensure_one()
        arrangement = self.arrangement_id
        provider = arrangement._mollie_provider()
        method_line = (
            provider.journal_id.inbound_payment_method_line_ids.filtered(
                lambda line: line.payment_provider_id == provider
            )[:1]
            or provider.journal_id.inbound_payment_method_line_ids[:1]
        )
        open_invoices = arrangement._invoices_to_pay() or arrangement.move_ids.filtered(
            lambda move: move.payment_state in ("not_paid", "partial")
        )
        payment = self.env["account.payment"].create(
            {
                "amount": amount,
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": arrangement.partner_id.id,
                "currency_id": arrangement.currency_id.id,
                "journal_id": provider.journal_id.id,
                "company_id": arrangement.company_id.id,
                "payment_method_line_id": method_line.id,
                "memo": self.env._("Mollie %(reference)s (%(name)s)", reference=reference, name=self.display_name),
            }
        )
        payment.action_post()
        receivable = payment.destination_account_id
        for invoice in open_invoices.sorted(lambda move: (move.dunning_date_due or move.date, move.id)):
            # One invoice at a time, oldest first, until the payment is used up.
            lines = (payment.move_id.line_ids + invoice.line_ids).filtered(
                lambda line: line.account_id == receivable and not line.reconciled
            )
            if not lines.filtered(lambda line: line.move_id == payment.move_id):
                break
            lines.reconcile()
        self.payment_id = payment
        arrangement.message_post(
            body=self.env._(
                "Instalment %(index)s collected through Mollie: %(amount)s (%(reference)s).",
                index=self.sequence,
                amount=arrangement.currency_id.format(amount),
                reference=reference,
            )
        )

    def _undo_booking(self):
        self.ensure_one()
        if self.payment_id:
            self.payment_id.move_id.line_ids.remove_move_reconcile()
            self.payment_id.action_draft()
            self.payment_id.action_cancel()

    @api.model
    def _cron_check_direct_debits(self):
        """The fallback for lost webhooks: ask Mollie about every pending debit, in batches."""
        instalments = self.search([("debit_state", "=", "pending"), ("mollie_payment_id", "!=", False)], order="id")
        cron = self.env["ir.cron"]
        for start in range(0, len(instalments), CHECK_BATCH_SIZE):
            batch = instalments[start : start + CHECK_BATCH_SIZE]
            for instalment in batch:
                try:
                    with self.env.cr.savepoint():
                        instalment._check_with_mollie()
                except (MollieError, ValueError) as error:
                    _logger.warning("Direct debit %s could not be checked: %s", instalment.mollie_payment_id, error)
            if cron._commit_progress(len(batch), remaining=max(len(instalments) - start - len(batch), 0)) <= 0:
                break
