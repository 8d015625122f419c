# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL

from .dunning_rules import chased_move_sql, open_instalment_sql, overdue_instalment_sql
from .risk import RISK_CLASSES


class DebtorDunningCall(models.Model):
    """The call team's work list: each open call task the dunning planned (a letter's call, a call
    again after "not reached", a broken promise), with what the caller needs on one line. A task
    done (its outcome logged) is archived by Odoo and leaves the list.

    A database view rather than a model of its own: the tasks are the letters' activities, and the
    list is ordered by figures (overdue now, level, risk) that only SQL can sort a thousand rows by.
    """

    _name = "debtor.dunning.call"
    _description = "Dunning Call"
    _auto = False
    _order = "overdue_amount desc, level_sequence desc, risk_score desc, date_deadline, id"
    _rec_name = "partner_id"
    _inherit = ["debtor.dunning.debtor.screen.mixin"]
    # What the view reads: the ORM flushes these before searching it.
    _depends = {
        "debtor.dunning.communication": [
            "partner_id",
            "company_id",
            "call_activity_id",
            "level_id",
            "date_sent",
            "call_date",
        ],
        "mail.activity": ["active", "user_id", "date_deadline", "summary"],
        "debtor.dunning.risk": ["score", "risk_class"],
        "account.move": ["move_type", "state", "payment_state", "commercial_partner_id", "invoice_date_due"],
        "account.move.line": ["amount_residual", "reconciled", "date_maturity", "no_followup"],
    }

    communication_id = fields.Many2one("debtor.dunning.communication", string="Letter", readonly=True)
    activity_id = fields.Many2one("mail.activity", string="Call Task", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    phone = fields.Char(related="partner_id.phone")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Caller", readonly=True)
    date_deadline = fields.Date(string="Due", readonly=True)
    summary = fields.Char(readonly=True)
    level_id = fields.Many2one("debtor.dunning.level", string="Level", readonly=True)
    level_sequence = fields.Integer(readonly=True)
    overdue_amount = fields.Monetary(string="Overdue", currency_field="currency_id", readonly=True)
    risk_score = fields.Integer(readonly=True)
    risk_class = fields.Selection(
        [(RISK_CLASSES[0], "Low"), (RISK_CLASSES[1], "Medium"), (RISK_CLASSES[2], "High")], readonly=True
    )
    last_contact = fields.Date(readonly=True, help="The last letter sent to the debtor or call logged with him.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT c.id AS id, c.id AS communication_id, act.id AS activity_id,
                           c.partner_id, c.company_id, act.user_id, act.date_deadline, act.summary,
                           c.level_id, lv.sequence AS level_sequence,
                           COALESCE(overdue.amount, 0) AS overdue_amount,
                           COALESCE(r.score, 0) AS risk_score, r.risk_class,
                           contact.last_contact
                      FROM debtor_dunning_communication c
                      JOIN mail_activity act ON act.id = c.call_activity_id AND act.active
                      JOIN debtor_dunning_level lv ON lv.id = c.level_id
                      LEFT JOIN debtor_dunning_risk r ON r.partner_id = c.partner_id AND r.company_id = c.company_id
                      LEFT JOIN LATERAL (
                            SELECT SUM(l.amount_residual) AS amount
                              FROM account_move m
                              JOIN account_move_line l ON l.move_id = m.id
                              JOIN account_account a ON a.id = l.account_id
                             WHERE m.commercial_partner_id = c.partner_id
                               AND m.company_id = c.company_id
                               AND %(chased)s
                               AND %(open_instalment)s
                               AND %(overdue)s
                      ) overdue ON TRUE
                      LEFT JOIN LATERAL (
                            SELECT MAX(GREATEST(other.date_sent, other.call_date))::date AS last_contact
                              FROM debtor_dunning_communication other
                             WHERE other.partner_id = c.partner_id AND other.company_id = c.company_id
                      ) contact ON TRUE
                )
                """,
                view=SQL.identifier(self._table),
                chased=chased_move_sql("m"),
                open_instalment=open_instalment_sql("l", "a"),
                overdue=overdue_instalment_sql("m", "l", SQL("CURRENT_DATE")),
            )
        )

    def action_log_call(self):
        """The Log Call wizard of the letter the call is about: the outcome in two clicks."""
        self.ensure_one()
        return self.communication_id.action_log_call()
