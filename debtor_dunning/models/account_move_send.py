# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _send_mail(self, move, mail_template, **kwargs):
        # Sending (or sending again) the invoice itself answers none of the debtor's open questions.
        move = move.with_context(debtor_dunning_skip_message_hook=True)
        return super()._send_mail(move, mail_template, **kwargs)
