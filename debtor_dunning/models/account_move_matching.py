# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .debtor_dunning_unmatched import OPEN_INVOICE_TYPES
from .dunning_rules import OPEN_PAYMENT_STATES


def _sql_list(values):
    return ", ".join(f"'{value}'" for value in values)


class AccountMove(models.Model):
    _inherit = "account.move"

    # Same condition as `debtor.dunning.unmatched._matching_open_domain()`, so that the planner uses it.
    # The match suggestions read a debtor's open invoices, oldest due first, for every payment;
    # Odoo indexes the invoice's partner, not its commercial partner (without it: a scan of all
    # invoices per payment, 70 ms at 125,000 invoices).
    _dunning_open_by_debtor_index = models.Index(
        "(commercial_partner_id, invoice_date_due, id) WHERE state = 'posted'"
        f" AND move_type IN ({_sql_list(OPEN_INVOICE_TYPES)}) AND payment_state IN ({_sql_list(OPEN_PAYMENT_STATES)})"
    )
