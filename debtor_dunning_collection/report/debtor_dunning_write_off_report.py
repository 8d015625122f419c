# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class DebtorDunningWriteOffReport(models.Model):
    """Write-offs and VAT reclaimed: one row per invoice written off or relieved of its VAT.

    Dated by its write-off entry (else its VAT relief entry); amounts in the company's currency:
    the receivable the write-off entry cleared, the VAT reclaimed and the part of it due again
    after a later payment.
    """

    _name = "debtor.dunning.write.off.report"
    _description = "Write-offs and VAT Relief"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "move_id"
    # Flushed before the view is read.
    _depends = {
        "account.move": [
            "dunning_written_off",
            "dunning_write_off_move_id",
            "dunning_vat_relief_move_id",
            "dunning_vat_relief_amount",
            "dunning_vat_relief_repaid_amount",
            "dunning_case_id",
            "commercial_partner_id",
            "company_id",
            "date",
        ],
        "account.move.line": ["move_id", "account_id", "balance"],
        "debtor.dunning.collection.case": ["agency_id"],
    }

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    date = fields.Date(readonly=True)
    case_id = fields.Many2one("debtor.dunning.collection.case", string="Collection Case", readonly=True)
    agency_id = fields.Many2one("debtor.dunning.collection.agency", string="Agency", readonly=True)
    written_off = fields.Boolean(string="Invoice Written Off", readonly=True)
    amount_written_off = fields.Monetary(string="Written Off", currency_field="currency_id", readonly=True)
    amount_vat_relief = fields.Monetary(string="VAT Reclaimed", currency_field="currency_id", readonly=True)
    amount_vat_due_again = fields.Monetary(string="VAT Due Again", currency_field="currency_id", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT m.id, m.id AS move_id, m.commercial_partner_id AS partner_id, m.company_id,
                   co.currency_id, COALESCE(wo.date, vr.date) AS date,
                   m.dunning_case_id AS case_id, cs.agency_id,
                   m.dunning_written_off AS written_off,
                   COALESCE((SELECT -SUM(l.balance)
                               FROM account_move_line l
                               JOIN account_account a ON a.id = l.account_id
                              WHERE l.move_id = wo.id AND a.account_type = 'asset_receivable'), 0)
                       AS amount_written_off,
                   COALESCE(m.dunning_vat_relief_amount, 0) AS amount_vat_relief,
                   COALESCE(m.dunning_vat_relief_repaid_amount, 0) AS amount_vat_due_again
              FROM account_move m
              JOIN res_company co ON co.id = m.company_id
              LEFT JOIN account_move wo ON wo.id = m.dunning_write_off_move_id AND m.dunning_written_off
              LEFT JOIN account_move vr ON vr.id = m.dunning_vat_relief_move_id
              LEFT JOIN debtor_dunning_collection_case cs ON cs.id = m.dunning_case_id
             WHERE m.dunning_written_off OR m.dunning_vat_relief_move_id IS NOT NULL
            """
        )
