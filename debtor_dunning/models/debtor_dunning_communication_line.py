# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class DebtorDunningCommunicationLine(models.Model):
    """One invoice in one communication: the dossier entry, with a snapshot of its amounts.

    The partial unique index on (move_id, level_id) is what makes "an invoice never receives the
    same level twice" a database guarantee, whatever runs overlap or crash.
    """

    _name = "debtor.dunning.communication.line"
    _description = "Dunning Communication Line"
    _order = "date, id"
    _check_company_auto = True
    # Written once by the run, a hundred thousand at a time, and never edited: who and when are the
    # communication's. Without them (and with company and currency read through the communication)
    # each row costs four foreign-key checks less.
    _log_access = False

    communication_id = fields.Many2one("debtor.dunning.communication", required=True, index=True, ondelete="cascade")
    move_id = fields.Many2one("account.move", string="Invoice", required=True, index=True, ondelete="cascade")
    # No index of their own: every search goes through the invoice (the unique index starts with it).
    level_id = fields.Many2one("debtor.dunning.level", required=True, ondelete="restrict")
    company_id = fields.Many2one(related="communication_id.company_id")
    partner_id = fields.Many2one(related="communication_id.partner_id", string="Debtor")
    date = fields.Date(required=True, help="The day the run decided the letter.")
    is_preview = fields.Boolean(default=False)
    is_cancelled = fields.Boolean(default=False, help="The letter was cancelled before it went out.")
    state = fields.Selection(related="communication_id.state")
    currency_id = fields.Many2one(related="communication_id.currency_id")
    invoice_date = fields.Date()
    invoice_date_due = fields.Date(string="Due Date")
    amount_total = fields.Monetary(string="Invoice Total", currency_field="currency_id")
    amount_residual = fields.Monetary(string="Open Amount", currency_field="currency_id")
    days_overdue = fields.Integer()
    pdf_attachment_id = fields.Many2one(related="communication_id.letter_attachment_id", string="Letter")

    _unique_level_per_invoice = models.UniqueIndex(
        "(move_id, level_id) WHERE NOT is_preview AND NOT is_cancelled",
        "This invoice already received this dunning level.",
    )
