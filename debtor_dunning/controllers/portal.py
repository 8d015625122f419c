# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import fields, http
from odoo.addons.account.controllers.portal import PortalAccount
from odoo.addons.portal.utils import get_portal_partner
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

_logger = logging.getLogger(__name__)

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024


class DunningPortalAccount(PortalAccount):
    """The debtor's side of the dunning procedure on Odoo's invoice page in the customer portal.

    Every route first checks the invoice as Odoo's own invoice page does (the debtor's portal
    login, or the invoice's access token from the link in a reminder) and answers "not found" for
    anything else, so that another debtor's invoice reveals nothing, not even that it exists.
    """

    # ------------------------------------------------------------------ Odoo's overdue invoices
    def _get_overdue_invoices_domain(self, partner_id=None):
        """Overdue as the dunning counts it: past the earliest open instalment, not the last one."""
        domain = super()._get_overdue_invoices_domain(partner_id=partner_id)
        return [
            ("dunning_date_due", "<", fields.Date.context_today(request.env.user))
            if isinstance(condition, tuple) and condition[0] == "invoice_date_due"
            else condition
            for condition in domain
        ]

    # ------------------------------------------------------------------ access
    def _dunning_back_to_dialogue(self, invoice_sudo, query_string):
        """Back to the invoice's page, at the dialogue, with what became of the debtor's message."""
        url = invoice_sudo.get_portal_url(query_string=query_string, anchor="debtor_dunning_dialogue")
        return request.redirect(url)

    def _dunning_check_invoice(self, invoice_id, access_token):
        """The invoice (sudo) when the visitor is its debtor (token or portal login), else None."""
        try:
            invoice_sudo = self._document_check_access("account.move", invoice_id, access_token)
        except (AccessError, MissingError):
            return None
        if not invoice_sudo.dunning_is_chased:
            return None
        return invoice_sudo

    def _dunning_can_write(self, invoice_sudo):
        """Whether the visitor may write to the company as the invoice's debtor.

        The company answers from the back office, so internal users do not write here; a portal
        user writes only on the invoices of his own company (his commercial partner), even with
        someone else's link.
        """
        user = request.env.user
        if user._is_public():
            return True
        return user.share and user.commercial_partner_id == invoice_sudo.commercial_partner_id

    def _dunning_author(self, invoice_sudo, access_token, **kw):
        user = request.env.user
        if not user._is_public():
            return user.partner_id
        partner = get_portal_partner(invoice_sudo, kw.get("hash"), kw.get("pid"), access_token)
        return partner or invoice_sudo.partner_id

    # ------------------------------------------------------------------ invoice page
    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        values = super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
        show = invoice.dunning_is_chased
        values["dunning_show"] = show
        if not show:
            return values
        Message = request.env["debtor.dunning.debtor.message"]
        values.update(
            {
                "dunning_letters": invoice._dunning_portal_letters(),
                "dunning_dispute": invoice._dunning_portal_active_dispute(),
                # sudo: the debtor reads his own messages on this invoice, whose access was checked.
                "dunning_messages": invoice.dunning_debtor_message_ids.sudo(),
                "dunning_can_write": self._dunning_can_write(invoice),
                "dunning_posted": kwargs.get("dunning_posted"),
                "dunning_error": kwargs.get("dunning_error"),
                "dunning_reasons": Message._fields["dispute_reason"]._description_selection(request.env),
                "dunning_question_pauses": invoice.company_id.dunning_question_pauses,
            }
        )
        return values

    # ------------------------------------------------------------------ routes
    @http.route(
        "/my/invoices/<int:invoice_id>/dunning_message",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def portal_dunning_message(self, invoice_id, access_token=None, kind=None, body=None, dispute_reason=None, **kw):
        invoice_sudo = self._dunning_check_invoice(invoice_id, access_token)
        if not invoice_sudo or not self._dunning_can_write(invoice_sudo):
            return request.not_found()
        files = request.httprequest.files.getlist("attachments")
        attachments = []
        for file in files[:MAX_ATTACHMENTS]:
            if not file.filename:
                continue
            content = file.read(MAX_ATTACHMENT_SIZE + 1)
            if len(content) > MAX_ATTACHMENT_SIZE:
                return self._dunning_back_to_dialogue(invoice_sudo, "&dunning_error=size")
            attachments.append((file.filename, content))
        author = self._dunning_author(invoice_sudo, access_token, **kw)
        # Back to the visitor's own user: what he writes is recorded as his (create_uid, author).
        invoice = invoice_sudo.with_user(request.env.user).sudo()
        try:
            # sudo: neither portal nor public users have access to the controller's to-do list; the
            # invoice was checked above and every value comes from it or from the debtor's form.
            request.env["debtor.dunning.debtor.message"].sudo()._post_from_debtor(
                invoice,
                author,
                kind,
                body,
                dispute_reason=dispute_reason,
                attachments=attachments,
            )
        except UserError as error:
            _logger.info("Debtor message on invoice %s refused: %s", invoice_id, error)
            return self._dunning_back_to_dialogue(invoice_sudo, "&dunning_error=invalid")
        return self._dunning_back_to_dialogue(invoice_sudo, f"&dunning_posted={kind}")

    @http.route(
        "/my/invoices/<int:invoice_id>/dunning_letter/<int:line_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def portal_dunning_letter(self, invoice_id, line_id, access_token=None, download=False, **kw):
        invoice_sudo = self._dunning_check_invoice(invoice_id, access_token)
        if not invoice_sudo:
            return request.not_found()
        # Read through the invoice whose access was checked (sudo): only the letters that went out to him.
        line = invoice_sudo._dunning_portal_letters().filtered(lambda letter: letter.id == line_id)
        attachment_sudo = line.pdf_attachment_id
        if not attachment_sudo:
            return request.not_found()
        stream = request.env["ir.binary"]._get_stream_from(attachment_sudo, "raw")
        return stream.get_response(as_attachment=bool(download))
