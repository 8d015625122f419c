# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from mollie.api.error import Error as MollieError

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)


class ArrangementMollieController(http.Controller):
    @http.route("/debtor_dunning_arrangement/mollie/webhook", type="http", auth="public", methods=["POST"], csrf=False)
    def debtor_dunning_arrangement_mollie_webhook(self, **post):
        """Mollie names a direct-debit payment (tr_…); its status is fetched from Mollie.

        An unknown or forged id changes nothing and is answered like any other.
        """
        mollie_id = post.get("id", "")
        try:
            # Public route: sudo only finds our own instalment by the id and asks Mollie about it.
            request.env["debtor.dunning.arrangement.instalment"].sudo()._handle_mollie_notification(mollie_id)
        except (MollieError, ValueError) as error:
            _logger.warning(
                "Mollie webhook for %s: Mollie could not be asked (%s); it will call again", mollie_id, error
            )
            return request.make_response("", status=503)
        return request.make_response("", status=200)
