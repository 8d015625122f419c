# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, http
from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request


class ArrangementPortal(PortalAccount):
    """The debtor's arrangements in the customer portal: see them, pay an instalment, propose one.

    An arrangement opens as Odoo's invoices do: with the debtor's portal login or the access token
    of the link in his e-mails; anything else answers "not found", so that another debtor's
    arrangement reveals nothing, not even that it exists.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "arrangement_count" in counters:
            Arrangement = request.env["debtor.dunning.arrangement"]
            values["arrangement_count"] = Arrangement.search_count([]) if Arrangement.has_access("read") else 0
        return values

    def _arrangement_check(self, arrangement_id, access_token):
        """The arrangement (sudo) when the visitor is its debtor (token or portal login), else None."""
        try:
            return self._document_check_access("debtor.dunning.arrangement", arrangement_id, access_token)
        except (AccessError, MissingError):
            return None

    @http.route(["/my/arrangements"], type="http", auth="user", website=True)
    def portal_my_arrangements(self, **kw):
        arrangements = request.env["debtor.dunning.arrangement"].search([("state", "!=", "draft")])
        values = self._prepare_portal_layout_values() | {
            "arrangements": arrangements,
            "page_name": "arrangements",
            "proposal_possible": bool(self._self_service_templates()),
        }
        return request.render("debtor_dunning_arrangement.portal_my_arrangements", values)

    @http.route(["/my/arrangements/<int:arrangement_id>"], type="http", auth="public", website=True)
    def portal_my_arrangement(self, arrangement_id, access_token=None, **kw):
        arrangement_sudo = self._arrangement_check(arrangement_id, access_token)
        if not arrangement_sudo or arrangement_sudo.state == "draft":
            raise request.not_found()
        values = self._prepare_portal_layout_values() | {
            "arrangement": arrangement_sudo,
            "page_name": "arrangement",
            "access_token": access_token,
            "message": kw.get("message"),
        }
        return request.render("debtor_dunning_arrangement.portal_my_arrangement", values)

    # ------------------------------------------------------------------ paying one instalment
    def _instalment_check(self, arrangement_id, instalment_id, access_token):
        """(arrangement, instalment) (sudo) when the instalment is open in the visitor's active arrangement."""
        arrangement_sudo = self._arrangement_check(arrangement_id, access_token)
        if not arrangement_sudo or arrangement_sudo.state != "active":
            return None, None
        # A forged id (another arrangement's instalment) is not among these.
        instalment_sudo = arrangement_sudo.instalment_ids.filtered(lambda i: i.id == instalment_id)
        if not instalment_sudo or instalment_sudo.state == "paid":
            return arrangement_sudo, None
        return arrangement_sudo, instalment_sudo

    @http.route(
        "/my/arrangements/<int:arrangement_id>/instalment/<int:instalment_id>/pay",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def portal_arrangement_pay(self, arrangement_id, instalment_id, access_token=None, **kw):
        arrangement_sudo, instalment_sudo = self._instalment_check(arrangement_id, instalment_id, access_token)
        if not instalment_sudo:
            raise request.not_found()
        invoices = arrangement_sudo._invoices_to_pay()
        amount = instalment_sudo._amount_due()
        path = arrangement_sudo._instalment_pay_path(instalment_sudo)
        values = {
            "page_name": "arrangement_pay",
            "arrangement": arrangement_sudo,
            "instalment": instalment_sudo,
            "invoices": invoices,
            "amount": amount,
            "currency": arrangement_sudo.currency_id,
        }
        if invoices:
            values |= self._get_common_page_view_values(
                invoices_data={
                    "partner": arrangement_sudo.partner_id,
                    "company": arrangement_sudo.company_id,
                    "total_amount": amount,
                    "currency": arrangement_sudo.currency_id,
                    "amount_residual": amount,
                    "payment_reference": arrangement_sudo.name,
                    "landing_route": path,
                    "transaction_route": f"/my/arrangements/{arrangement_id}/instalment/{instalment_id}/transaction",
                },
                access_token=arrangement_sudo._portal_ensure_token(),
            )
        return request.render("debtor_dunning_arrangement.portal_arrangement_pay", values)

    @http.route(
        "/my/arrangements/<int:arrangement_id>/instalment/<int:instalment_id>/transaction",
        type="jsonrpc",
        auth="public",
    )
    def portal_arrangement_transaction(self, arrangement_id, instalment_id, access_token, **kwargs):
        """A draft transaction for exactly what is due on the instalment, linked to the open covered invoices.

        Odoo books the payment and reconciles it with those invoices, oldest first.
        """
        arrangement_sudo, instalment_sudo = self._instalment_check(arrangement_id, instalment_id, access_token)
        if not instalment_sudo:
            raise ValidationError(request.env._("This instalment cannot be paid online."))
        invoices = arrangement_sudo._invoices_to_pay()
        if not invoices:
            raise ValidationError(request.env._("The invoices of this arrangement have no amount left to pay online."))
        kwargs.pop("payment_reference", None)
        self._validate_transaction_kwargs(kwargs)
        # The amount and the way back are the instalment's, whatever the browser sends.
        kwargs["amount"] = instalment_sudo._amount_due()
        kwargs["landing_route"] = arrangement_sudo._instalment_pay_path(instalment_sudo)
        user = request.env.user
        partner = arrangement_sudo.partner_id if user._is_public() else user.partner_id
        return self._process_transaction(
            partner.id, arrangement_sudo.currency_id.id, invoices.ids, arrangement_sudo.name, **kwargs
        )

    # ------------------------------------------------------------------ proposing one
    def _self_service_templates(self):
        user = request.env.user
        if user._is_public() or not user.share:
            return request.env["debtor.dunning.arrangement.template"]
        # sudo: templates are the company's settings; a portal user reads only the self-service ones.
        return (
            request.env["debtor.dunning.arrangement.template"]
            .sudo()
            .search([("self_service", "=", True), ("company_id", "in", user.company_ids.ids)])
        )

    def _proposable_invoices(self):
        """The logged-in debtor's own overdue open invoices not yet in an arrangement (read with his rights)."""
        Move = request.env["account.move"]
        today = fields.Date.context_today(Move)
        debtor = request.env.user.commercial_partner_id
        moves = Move.search(Move._dunning_chased_domain() & Domain("commercial_partner_id", "=", debtor.id))
        moves = moves.filtered(lambda m: m.dunning_date_due and m.dunning_date_due < today)
        # sudo: only which of his own invoices are already held, not the arrangements themselves.
        held = request.env["debtor.dunning.arrangement"].sudo()._holding_moves(set(moves.ids), ("proposed", "active"))
        return moves.filtered(lambda m: m.id not in held)

    @http.route(["/my/arrangements/propose"], type="http", auth="user", methods=["GET"], website=True)
    def portal_arrangement_propose_form(self, error=None, **kw):
        templates = self._self_service_templates()
        if not templates:
            raise request.not_found()
        values = self._prepare_portal_layout_values() | {
            "page_name": "arrangement_propose",
            "templates": templates,
            "invoices": self._proposable_invoices(),
            "error": error,
        }
        return request.render("debtor_dunning_arrangement.portal_arrangement_propose", values)

    @http.route(["/my/arrangements/propose"], type="http", auth="user", methods=["POST"], website=True)
    def portal_arrangement_propose(self, template_id=None, instalments=None, **post):
        templates = self._self_service_templates()
        if not templates:
            raise request.not_found()
        template = templates.filtered(lambda t: str(t.id) == str(template_id))
        move_ids = [int(key.split("_", 1)[1]) for key in post if key.startswith("invoice_") and key[8:].isdigit()]
        # Read with the debtor's own rights: an id of someone else's invoice is simply not found.
        moves = request.env["account.move"].browse(move_ids).exists()
        try:
            moves.check_access("read")
        except AccessError:
            moves = request.env["account.move"]
        error = None
        if not template:
            error = request.env._("Choose one of the arrangements offered.")
        elif not move_ids:
            error = request.env._("Select the invoices you want to pay in instalments.")
        elif len(moves) != len(set(move_ids)):
            error = request.env._("Some of the selected invoices are not yours.")
        try:
            count = int(instalments or 0)
        except ValueError:
            count = 0
        if not error:
            try:
                # sudo: a portal user may not create arrangements; the invoices are his own (read with
                # his rights above) and `_propose_from_portal` applies every rule a controller's does.
                with request.env.cr.savepoint():
                    arrangement = (
                        request.env["debtor.dunning.arrangement"]
                        .sudo()
                        .with_company(template.company_id)
                        ._propose_from_portal(request.env.user.commercial_partner_id, moves.sudo(), template, count)
                    )
            except UserError as exc:
                error = exc.args[0]
        if error:
            values = self._prepare_portal_layout_values() | {
                "page_name": "arrangement_propose",
                "templates": templates,
                "invoices": self._proposable_invoices(),
                "error": error,
            }
            return request.render("debtor_dunning_arrangement.portal_arrangement_propose", values)
        return request.redirect(arrangement.get_portal_url())
