# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..models.kpi import PAID_WITHIN_DAYS

CHANNELS = [("email", "E-mail"), ("letter", "Letter"), ("sms", "SMS"), ("call", "Call")]


class DebtorDunningEffectivenessReport(models.Model):
    """Which letter works: every invoice in every letter sent, and what happened after it.

    One row per invoice per letter. `letter_count` is 1 on one row of each letter, so its sum
    counts letters while the row count counts invoices. The shares are 100 or 0 per row, averaged:
    the share of the invoices settled within 7, 14 and 30 days of the letter's date. Settled is the
    invoice's last reconciliation, whatever settled it; collected counts only money received
    (`debtor.dunning.kpi._payment_counterpart_sql`). The channel is the one the letter reached the
    debtor by: e-mail when it was e-mailed, else the printed letter, else SMS, else the call.
    """

    _name = "debtor.dunning.effectiveness.report"
    _description = "Dunning Effectiveness"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "communication_id"
    # Flushed before the view is read.
    _depends = {
        "debtor.dunning.communication.line": [
            "communication_id",
            "move_id",
            "level_id",
            "date",
            "amount_residual",
            "is_preview",
            "is_cancelled",
        ],
        "debtor.dunning.communication": [
            "state",
            "policy_id",
            "partner_id",
            "company_id",
            "email_state",
            "letter_state",
            "sms_number",
            "channel_call",
        ],
        "account.move": [
            "amount_total_signed",
            "amount_total",
            "payment_state",
            "journal_id",
            "origin_payment_id",
            "statement_line_id",
        ],
        "account.move.line": ["move_id"],
        "account.partial.reconcile": ["debit_move_id", "credit_move_id", "amount", "max_date"],
    }

    communication_id = fields.Many2one("debtor.dunning.communication", string="Letter", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    level_id = fields.Many2one("debtor.dunning.level", string="Level", readonly=True)
    policy_id = fields.Many2one("debtor.dunning.policy", string="Policy", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    date = fields.Date(string="Letter Date", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    letter_count = fields.Integer(string="Letters", readonly=True)
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    amount_covered = fields.Monetary(
        string="Amount Covered", currency_field="currency_id", readonly=True, help="Open when the letter was sent."
    )
    date_settled = fields.Date(string="Settled On", readonly=True)
    days_to_payment = fields.Float(
        string="Days to Payment",
        readonly=True,
        aggregator="avg",
        help="From the letter's date to the invoice's settlement.",
    )
    paid_within_7 = fields.Float(string="% Paid within 7 Days", readonly=True, aggregator="avg")
    paid_within_14 = fields.Float(string="% Paid within 14 Days", readonly=True, aggregator="avg")
    paid_within_30 = fields.Float(string="% Paid within 30 Days", readonly=True, aggregator="avg")
    amount_collected_30 = fields.Monetary(
        string="Collected within 30 Days", currency_field="currency_id", readonly=True
    )

    @property
    def _table_query(self):
        Kpi = self.env["debtor.dunning.kpi"]
        shares = SQL(", ").join(
            SQL(
                "CASE WHEN settled.day - cl.date <= %s THEN 100.0 ELSE 0.0 END AS %s",
                days,
                SQL.identifier(f"paid_within_{days}"),
            )
            for days in PAID_WITHIN_DAYS
        )
        return SQL(
            """
            SELECT cl.id, cl.communication_id, cl.move_id, cl.level_id, c.policy_id, c.partner_id,
                   c.company_id, co.currency_id, cl.date,
                   CASE WHEN c.email_state = 'sent' THEN 'email'
                        WHEN c.letter_state IN ('to_print', 'printed') THEN 'letter'
                        WHEN c.sms_number IS NOT NULL THEN 'sms'
                        WHEN c.channel_call THEN 'call'
                   END AS channel,
                   CASE WHEN cl.id = MIN(cl.id) OVER (PARTITION BY cl.communication_id) THEN 1 ELSE 0 END
                       AS letter_count,
                   1 AS invoice_count,
                   ROUND(cl.amount_residual * COALESCE(ABS(m.amount_total_signed) / NULLIF(m.amount_total, 0), 1), 2)
                       AS amount_covered,
                   settled.day AS date_settled,
                   settled.day - cl.date AS days_to_payment,
                   %(shares)s,
                   COALESCE(collected.amount, 0) AS amount_collected_30
              FROM debtor_dunning_communication_line cl
              JOIN debtor_dunning_communication c ON c.id = cl.communication_id
              JOIN res_company co ON co.id = c.company_id
              JOIN account_move m ON m.id = cl.move_id
              LEFT JOIN (
                   SELECT l.move_id, MAX(p.max_date) AS day
                     FROM account_partial_reconcile p
                     JOIN account_move_line l ON l.id = p.debit_move_id
                    WHERE l.move_id IN (SELECT move_id FROM debtor_dunning_communication_line)
                    GROUP BY l.move_id
                   ) settled ON settled.move_id = m.id AND m.payment_state IN ('paid', 'in_payment', 'reversed')
              LEFT JOIN (
                   SELECT letter.id AS line_id, SUM(p.amount) AS amount
                     FROM debtor_dunning_communication_line letter
                     JOIN account_move_line l ON l.move_id = letter.move_id
                     JOIN account_partial_reconcile p ON p.debit_move_id = l.id
                     JOIN account_move_line pl ON pl.id = p.credit_move_id
                     JOIN account_move cm ON cm.id = pl.move_id
                     JOIN account_journal cj ON cj.id = cm.journal_id
                    WHERE p.max_date BETWEEN letter.date AND letter.date + %(window)s
                      AND %(payment)s
                    GROUP BY letter.id
                   ) collected ON collected.line_id = cl.id
             WHERE NOT cl.is_preview AND NOT cl.is_cancelled AND c.state = 'sent'
            """,
            shares=shares,
            window=max(PAID_WITHIN_DAYS),
            payment=Kpi._payment_counterpart_sql("cm", "cj"),
        )
