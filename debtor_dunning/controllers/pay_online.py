# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import consteq


class DunningPayOnline(PortalAccount):
    """Pay all the open invoices of a reminder at once, online, without a portal login.

    Odoo has such a page, `/my/invoices/overdue` (account_payment), but a debtor without a portal
    login cannot reach it: its access check on invoices sends a visitor who is not logged in to
    `/my`, i.e. to the login page, and its transaction route refuses him ("Please log in"). It
    also takes the logged-in contact's overdue invoices, not the letter's (a notice before the due
    date covers none, an invoice addressed to a colleague is left out), and charges their total
    rather than what is still open. This is the same page keyed by the letter instead of a login:
    its link carries a token only the database computes (`_dunning_pay_online_token`), it uses
    Odoo's payment form and providers, and the transaction is linked to every open invoice of the
    letter, so that the payment Odoo books is reconciled with each of them.
    """

    def _dunning_letter_to_pay(self, communication_id, access_token):
        """The letter (sudo) when the token is its own and it went out, else None."""
        # sudo: the visitor is anonymous; the token proves he holds the letter.
        communication_sudo = request.env["debtor.dunning.communication"].sudo().browse(communication_id).exists()
        if not communication_sudo or communication_sudo.state != "sent":
            return None
        if not consteq(communication_sudo._dunning_pay_online_token(), access_token or ""):
            return None
        return communication_sudo

    @http.route(
        "/debtor_dunning/pay/<int:communication_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def dunning_pay_online(self, communication_id, access_token=None, **kw):
        communication_sudo = self._dunning_letter_to_pay(communication_id, access_token)
        if not communication_sudo:
            return request.not_found()
        invoices = communication_sudo._dunning_invoices_to_pay()
        amount = sum(invoices.mapped("amount_residual"))
        values = {
            "page_name": "dunning_pay_online",
            "letter": communication_sudo,
            "invoices": invoices,
            "amount": amount,
            "currency": communication_sudo.currency_id,
        }
        if invoices:
            values |= self._get_common_page_view_values(
                invoices_data={
                    "partner": communication_sudo.partner_id,
                    "company": communication_sudo.company_id,
                    "total_amount": amount,
                    "currency": communication_sudo.currency_id,
                    "amount_residual": amount,
                    "payment_reference": communication_sudo._reference(),
                    "landing_route": communication_sudo._dunning_pay_online_path(),
                    "transaction_route": f"/debtor_dunning/pay/{communication_id}/transaction",
                },
                access_token=access_token,
            )
        return request.render("debtor_dunning.portal_dunning_pay_online", values)

    @http.route("/debtor_dunning/pay/<int:communication_id>/transaction", type="jsonrpc", auth="public")
    def dunning_pay_online_transaction(self, communication_id, access_token, payment_reference=None, **kwargs):
        """A draft transaction for what is open now on the letter's invoices, linked to all of them."""
        communication_sudo = self._dunning_letter_to_pay(communication_id, access_token)
        if not communication_sudo:
            raise ValidationError(request.env._("The access token is invalid."))
        invoices = communication_sudo._dunning_invoices_to_pay()
        if not invoices:
            raise ValidationError(request.env._("The invoices of this letter have no amount left to pay online."))
        self._validate_transaction_kwargs(kwargs)
        # What is open now, and back to this page afterwards, whatever the browser sends.
        kwargs["amount"] = sum(invoices.mapped("amount_residual"))
        kwargs["landing_route"] = communication_sudo._dunning_pay_online_path()
        user = request.env.user
        # As Odoo's invoice page does: a logged-in visitor pays as himself (his saved payment
        # methods), an anonymous one on behalf of the debtor.
        partner = communication_sudo.partner_id if user._is_public() else user.partner_id
        return self._process_transaction(
            partner.id, communication_sudo.currency_id.id, invoices.ids, communication_sudo._reference(), **kwargs
        )
