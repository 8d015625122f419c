# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL, format_date

from ..models.account_move import DUNNING_STATES
from ..models.kpi import aging_bucket_sql

AGING_BUCKET_LABELS = [
    ("current", "Current"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("90_plus", "More than 90 Days"),
]


class DebtorDunningAgingReport(models.Model):
    """The aged receivable: every receivable item open on a day, with its bucket.

    The day is the context's `aging_as_of` (default today). Open on a day is the ledger as it stood
    that evening: items booked up to that day, less the reconciliations whose later side is dated up
    to it (`account.partial.reconcile.max_date`), so a month-end report reproduces later, whatever
    was paid since. Credit notes and payments not matched yet are negative items, bucketed by their
    own date, so the total ties to the receivable accounts' balance (`debtor.dunning.kpi` sums the
    same rule over days). Amounts are in the company's currency.
    """

    _name = "debtor.dunning.aging.report"
    _description = "Aged Receivable"
    _auto = False
    _order = "partner_id, date_due, id"
    _rec_name = "move_id"
    _inherit = ["debtor.dunning.debtor.screen.mixin"]
    # Flushed before the view is read.
    _depends = {
        "account.move.line": [
            "move_id",
            "company_id",
            "account_id",
            "date",
            "date_maturity",
            "amount_residual",
            "reconciled",
        ],
        "account.move": [
            "state",
            "move_type",
            "payment_state",
            "commercial_partner_id",
            "company_id",
            "invoice_date_due",
            "invoice_date",
            "date",
        ],
        "account.partial.reconcile": ["debit_move_id", "credit_move_id", "amount", "max_date"],
        "account.account": ["account_type"],
        "debtor.dunning.communication.line": ["move_id", "level_id", "date", "is_preview", "is_cancelled"],
        "debtor.dunning.communication": ["state"],
        "debtor.dunning.block": ["move_id", "partner_id", "company_id", "state", "date_start", "date_end"],
    }

    as_of_date = fields.Date(string="As Of", readonly=True)
    move_line_id = fields.Many2one("account.move.line", string="Journal Item", readonly=True)
    move_id = fields.Many2one("account.move", string="Document", readonly=True)
    move_type = fields.Selection(related="move_id.move_type", string="Type")
    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    date = fields.Date(string="Booked On", readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(string="Days Overdue", readonly=True, aggregator="max")
    # All buckets, in their order (not alphabetically), also when one is empty.
    bucket = fields.Selection(AGING_BUCKET_LABELS, readonly=True, group_expand=True)
    amount_residual = fields.Monetary(string="Open Amount", currency_field="currency_id", readonly=True)
    dunning_level_id = fields.Many2one("debtor.dunning.level", string="Dunning Level", readonly=True)
    dunning_state = fields.Selection(DUNNING_STATES, readonly=True)

    @api.model
    def _as_of(self):
        as_of = self.env.context.get("aging_as_of")
        return fields.Date.to_date(as_of) if as_of else fields.Date.context_today(self)

    @property
    def _table_query(self):
        as_of = self._as_of()
        Move = self.env["account.move"]
        # Open on the day = open today, plus what was reconciled after it (reconciliations dated
        # later are undone): the same as the items booked by then less the reconciliations dated by
        # then, read from the few reconciliations after the day instead of from all of them.
        return SQL(
            """
            SELECT l.id, l.id AS move_line_id, l.move_id, m.commercial_partner_id AS partner_id,
                   l.company_id, c.currency_id, l.account_id, l.date,
                   COALESCE(l.date_maturity, l.date) AS date_due,
                   %(as_of)s::date AS as_of_date,
                   %(as_of)s::date - COALESCE(l.date_maturity, l.date) AS days_overdue,
                   %(bucket)s AS bucket,
                   l.amount_residual + COALESCE(later.amount, 0) AS amount_residual,
                   %(level)s AS dunning_level_id,
                   %(state)s AS dunning_state
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
              JOIN account_account a ON a.id = l.account_id
              JOIN res_company c ON c.id = l.company_id
              LEFT JOIN (
                   SELECT line_id, SUM(amount) AS amount
                     FROM (SELECT debit_move_id AS line_id, amount, max_date FROM account_partial_reconcile
                            UNION ALL
                           SELECT credit_move_id, -amount, max_date FROM account_partial_reconcile) p
                    WHERE max_date > %(as_of)s
                    GROUP BY line_id
                   ) later ON later.line_id = l.id
             WHERE m.state = 'posted'
               AND a.account_type = 'asset_receivable'
               AND l.date <= %(as_of)s
               AND (l.reconciled IS NOT TRUE OR later.line_id IS NOT NULL)
               AND l.amount_residual + COALESCE(later.amount, 0) != 0
            """,
            as_of=as_of,
            bucket=aging_bucket_sql(SQL("(%s::date - COALESCE(l.date_maturity, l.date))", as_of)),
            level=Move._dunning_status_sql("m", "dunning_level_id"),
            state=Move._dunning_status_sql("m", "dunning_state"),
        )

    @api.model
    def _totals_by_bucket(self):
        """{bucket: open amount} over the companies the user has selected, in their currency."""
        groups = self._read_group([("company_id", "in", self.env.companies.ids)], ["bucket"], ["amount_residual:sum"])
        return dict(groups)

    @api.model
    def action_open(self, as_of=None, bucket=None):
        """The report as of `as_of` (default today), optionally on one bucket."""
        action = self.env["ir.actions.act_window"]._for_xml_id("debtor_dunning.action_debtor_dunning_aging_report")
        as_of = fields.Date.to_date(as_of) if as_of else fields.Date.context_today(self)
        # Not grouped by debtor by default: the pivot and the graph would take that grouping too.
        action["context"] = {"aging_as_of": fields.Date.to_string(as_of)}
        if bucket:
            action["context"][f"search_default_bucket_{bucket}"] = 1
        action["display_name"] = self.env._("Aged Receivable as of %s", format_date(self.env, as_of))
        return action

    def action_open_move(self):
        """The document itself (invoice, credit note or payment entry)."""
        self.ensure_one()
        return self.move_id._get_records_action()
