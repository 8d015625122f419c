# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import http
from odoo.http import request

from ..models.debtor_dunning_payment_link import MollieUnavailable

_logger = logging.getLogger(__name__)


class DebtorDunningMollieController(http.Controller):
    @http.route("/debtor_dunning/mollie/webhook", type="http", auth="public", methods=["POST"], csrf=False)
    def debtor_dunning_mollie_webhook(self, **post):
        """Mollie names a payment (tr_…) or a payment link (pl_…); its status is fetched from Mollie.

        The body is never trusted, so an unknown or forged id changes nothing; it is answered like
        any other so that the webhook tells a caller nothing about our records.
        """
        mollie_id = post.get("id", "")
        try:
            # Public route: sudo is limited to looking up our own link by the id and asking Mollie.
            request.env["debtor.dunning.payment.link"].sudo()._handle_notification(mollie_id)
        except MollieUnavailable as error:
            _logger.warning(
                "Mollie webhook for %s: Mollie could not be asked (%s); it will call again", mollie_id, error
            )
            return request.make_response("", status=503)
        return request.make_response("", status=200)
