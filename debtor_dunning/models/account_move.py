# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from .dunning_rules import (
    CHASED_MOVE_TYPES,
    HELD_PAYMENT_STATES,
    OPEN_PAYMENT_STATES,
    InvoiceHistory,
    boolean_search_domain,
    chased_due_date,
    chased_due_date_sql,
    expected_next_step,
    is_open_instalment,
)
from .risk import RISK_HIGH

DUNNING_STATES = [
    ("none", "No Letter Yet"),
    ("in_progress", "Reminding"),
    ("to_approve", "Awaiting Approval"),
    ("in_default", "In Default"),
    ("handed_over", "Handed Over"),
    ("blocked", "Blocked"),
    ("closed", "Paid or Closed"),
]

# The tables the dunning status is read from (flushed before it is).
DUNNING_STATUS_MODELS = (
    "debtor.dunning.communication.line",
    "debtor.dunning.communication",
    "debtor.dunning.level",
    "debtor.dunning.block",
)


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_line_ids = fields.One2many(
        "debtor.dunning.communication.line",
        "move_id",
        string="Dunning Dossier",
        domain=[("is_preview", "=", False)],
        readonly=True,
    )
    dunning_block_ids = fields.One2many("debtor.dunning.block", "move_id", string="Dunning Blocks", readonly=True)
    # Where the invoice stands is read from its dossier, not stored on account_move: the run then
    # writes only its own narrow tables, and updating 100,000 wide invoice rows (two dozen indexes
    # each) cost a third of a run. `_field_to_sql` gives the same expressions to search, sort and
    # group by, so the invoice list filters and groups on them as on stored fields.
    dunning_level_id = fields.Many2one(
        "debtor.dunning.level",
        string="Dunning Level",
        compute="_compute_dunning_status",
        search="_search_dunning_level_id",
        help="The highest dunning level this invoice reached.",
    )
    dunning_last_date = fields.Date(
        string="Last Letter", compute="_compute_dunning_status", search="_search_dunning_last_date"
    )
    dunning_state = fields.Selection(
        DUNNING_STATES,
        compute="_compute_dunning_status",
        search="_search_dunning_state",
        help="Where the invoice stands in the dunning procedure.",
    )
    dunning_is_chased = fields.Boolean(
        string="Chased by Dunning",
        compute="_compute_dunning_is_chased",
        search="_search_dunning_is_chased",
        help="A posted customer invoice or receipt: the documents the dunning chases.",
    )
    dunning_date_due = fields.Date(
        string="Dunning Due Date",
        compute="_compute_dunning_date_due",
        search="_search_dunning_date_due",
        help="The due date the dunning counts from: the earliest open instalment's.",
    )
    dunning_next_level_id = fields.Many2one(
        "debtor.dunning.level", string="Next Dunning Step", compute="_compute_dunning_next_step"
    )
    dunning_next_date = fields.Date(string="Next Step Expected", compute="_compute_dunning_next_step")

    @api.depends(
        "state",
        "move_type",
        "payment_state",
        "dunning_line_ids.is_cancelled",
        "dunning_line_ids.level_id",
        "dunning_line_ids.communication_id.state",
        "dunning_block_ids.state",
        "commercial_partner_id.dunning_block_ids.state",
    )
    def _compute_dunning_status(self):
        # An invoice being edited in a form (a new record with an origin) shows its saved status.
        moves = self.filtered(lambda move: move._origin.id)
        (self - moves).update({"dunning_level_id": False, "dunning_last_date": False, "dunning_state": False})
        if not moves:
            return
        moves._origin.flush_recordset(["state", "move_type", "payment_state", "commercial_partner_id", "company_id"])
        for model in DUNNING_STATUS_MODELS:
            self.env[model].flush_model()
        rows = self.env.execute_query(
            SQL(
                "SELECT m.id, %s, %s, %s FROM account_move m WHERE m.id IN %s",
                self._dunning_status_sql("m", "dunning_level_id"),
                self._dunning_status_sql("m", "dunning_last_date"),
                self._dunning_status_sql("m", "dunning_state"),
                tuple(moves._origin.ids),
            )
        )
        Level = self.env["debtor.dunning.level"]
        status = {move_id: (level_id, last_date, state) for move_id, level_id, last_date, state in rows}
        for move in moves:
            level_id, last_date, state = status.get(move._origin.id, (None, None, None))
            move.dunning_level_id = Level.browse(level_id)
            move.dunning_last_date = last_date or False
            move.dunning_state = state or False

    def _field_to_sql(self, alias, field_expr, query=None):
        if field_expr in ("dunning_level_id", "dunning_last_date", "dunning_state"):
            return self._dunning_status_sql(alias, field_expr)
        if field_expr == "dunning_date_due":
            return chased_due_date_sql(alias)
        return super()._field_to_sql(alias, field_expr, query)

    @api.depends("move_type", "state")
    def _compute_dunning_is_chased(self):
        for move in self:
            move.dunning_is_chased = move.move_type in CHASED_MOVE_TYPES and move.state == "posted"

    def _search_dunning_is_chased(self, operator, value):
        chased = Domain([("move_type", "in", CHASED_MOVE_TYPES), ("state", "=", "posted")])
        return boolean_search_domain(chased, operator, value)

    @api.depends(
        "invoice_date_due",
        "invoice_date",
        "date",
        "line_ids.date_maturity",
        "line_ids.reconciled",
        "line_ids.no_followup",
        "line_ids.account_type",
    )
    def _compute_dunning_date_due(self):
        for move in self:
            move.dunning_date_due = chased_due_date(
                [
                    line.date_maturity
                    for line in move.line_ids
                    # account_type is a related field, read as superuser: a portal debtor may read it.
                    if is_open_instalment(line.account_type, line.reconciled, line.no_followup)
                ],
                move.invoice_date_due,
                move.invoice_date,
                move.date,
            )

    def _search_dunning_date_due(self, operator, value):
        if operator not in ("<", "<=", ">", ">=", "in", "not in"):
            return NotImplemented

        def to_sql(model, alias, query):
            expr = chased_due_date_sql(alias)
            if operator in ("in", "not in"):
                values = tuple(value)
                matches = SQL("%s IN %s", expr, values) if values else SQL("FALSE")
                return matches if operator == "in" else SQL("NOT COALESCE(%s, FALSE)", matches)
            return SQL("%s %s %s", expr, SQL(operator), value)

        return Domain.custom(to_sql=to_sql)

    @api.model
    def _dunning_chased_domain(self):
        """The documents the dunning chases, open and posted (`dunning_rules.chased_move_sql` in SQL)."""
        return Domain(
            [
                ("move_type", "in", CHASED_MOVE_TYPES),
                ("state", "=", "posted"),
                ("payment_state", "in", OPEN_PAYMENT_STATES),
            ]
        )

    def _search_dunning_level_id(self, operator, value):
        if operator in ("any", "not any"):
            levels = self.env["debtor.dunning.level"].with_context(active_test=False)._search(value)
            return self._dunning_status_domain("dunning_level_id", operator.replace("any", "in"), levels.subselect())
        return self._dunning_status_domain("dunning_level_id", operator, value)

    def _search_dunning_last_date(self, operator, value):
        return self._dunning_status_domain("dunning_last_date", operator, value)

    def _search_dunning_state(self, operator, value):
        return self._dunning_status_domain("dunning_state", operator, value)

    def _dunning_status_domain(self, fname, operator, value):
        """A search on a dunning status field, on the same expression as `_dunning_status_sql`.

        `value` is a collection (None, False standing for "no value"), a subquery, or with a
        comparison operator a single value.
        """
        if operator in ("<", "<=", ">", ">="):

            def to_sql(model, alias, query):
                return SQL("%s %s %s", model._dunning_status_sql(alias, fname), SQL(operator), value)

        elif operator in ("in", "not in"):
            if isinstance(value, SQL):
                values, with_null = value, False
            else:
                values = tuple(item for item in value if item not in (False, None))
                with_null = len(values) < len(value)

            def to_sql(model, alias, query):
                expr = model._dunning_status_sql(alias, fname)
                matches = SQL("%s IN %s", expr, values) if values else SQL("FALSE")
                if with_null:
                    matches = SQL("(%s OR %s IS NULL)", matches, expr)
                if operator == "in":
                    return matches
                return SQL("NOT COALESCE(%s, FALSE)", matches)

        else:
            return NotImplemented
        return Domain.custom(to_sql=to_sql)

    @api.model
    def _dunning_status_sql(self, alias, fname):
        """The SQL expression of one dunning status field of the invoice in table `alias`.

        The one definition of the status: the compute reads it, searches, sorting and grouping use it.
        The current letter is the dossier's highest level, previews and cancelled letters left out.
        """
        move_id = SQL.identifier(alias, "id")
        current_line = SQL(
            """
            FROM debtor_dunning_communication_line cl
            JOIN debtor_dunning_level lv ON lv.id = cl.level_id
           WHERE cl.move_id = %s AND NOT cl.is_preview AND NOT cl.is_cancelled
           ORDER BY lv.sequence DESC, cl.id DESC
           LIMIT 1
            """,
            move_id,
        )
        if fname == "dunning_level_id":
            return SQL("(SELECT cl.level_id %s)", current_line)
        if fname == "dunning_last_date":
            return SQL("(SELECT cl.date %s)", current_line)
        return SQL(
            """
            CASE
                WHEN %(move_type)s NOT IN %(sale_types)s OR %(state)s != 'posted' THEN NULL
                WHEN %(payment_state)s IN %(held_states)s THEN 'blocked'
                WHEN %(payment_state)s NOT IN %(open_states)s THEN 'closed'
                WHEN EXISTS (
                    SELECT 1 FROM debtor_dunning_block b
                     WHERE (b.move_id = %(move_id)s
                            OR (b.partner_id = %(partner_id)s AND b.company_id = %(company_id)s))
                       AND %(block_holds)s
                ) THEN 'blocked'
                WHEN EXISTS (
                    SELECT 1 FROM debtor_dunning_communication_line cl
                      JOIN debtor_dunning_communication c ON c.id = cl.communication_id
                     WHERE cl.move_id = %(move_id)s AND NOT cl.is_preview AND c.state = 'to_approve'
                ) THEN 'to_approve'
                ELSE COALESCE(
                    (SELECT CASE lv.letter_layout
                                WHEN 'handover' THEN 'handed_over'
                                WHEN 'default_notice' THEN 'in_default'
                                ELSE 'in_progress'
                            END %(current_line)s),
                    'none'
                )
            END
            """,
            move_type=SQL.identifier(alias, "move_type"),
            sale_types=CHASED_MOVE_TYPES,
            state=SQL.identifier(alias, "state"),
            payment_state=SQL.identifier(alias, "payment_state"),
            held_states=HELD_PAYMENT_STATES,
            open_states=OPEN_PAYMENT_STATES,
            block_holds=self.env["debtor.dunning.block"]._holds_sql("b", fields.Date.context_today(self)),
            move_id=move_id,
            partner_id=SQL.identifier(alias, "commercial_partner_id"),
            company_id=SQL.identifier(alias, "company_id"),
            current_line=current_line,
        )

    @api.depends("dunning_level_id", "dunning_last_date", "dunning_date_due", "dunning_state")
    @api.depends_context("company")
    def _compute_dunning_next_step(self):
        today = fields.Date.context_today(self)
        self.dunning_next_level_id = self.dunning_next_date = False
        excluded, resume_dates = self._dunning_run_hooks(today)
        for move in self:
            if move.dunning_state in (False, "closed", "blocked", "to_approve") or not move.dunning_date_due:
                continue
            if move._origin.id in excluded:
                continue  # the run leaves it alone (an active arrangement, a claim with an agency)
            policy = move._dunning_policy()
            if not policy:
                continue
            history = InvoiceHistory(
                date_due=move.dunning_date_due,
                last_level_id=move.dunning_level_id.id or None,
                last_letter_date=move.dunning_last_date or None,
                resumed_on=resume_dates.get(move._origin.id),
            )
            rule, when = expected_next_step(policy._level_rules(), history, today)
            if rule:
                move.dunning_next_level_id = rule.level_id
                move.dunning_next_date = when

    def _dunning_dossier_events(self):
        """Hook: what else happened to these invoices that a claim's dossier must show, as a list of
        {"move_id", "date", "kind", "description"} (a kind is a stable code, the description is in
        words). The core has none of its own (letters, calls, messages and blocks are read from their
        models); an add-on adds its events for the set in one query, e.g. a payment arrangement that
        was agreed and broken::

            def _dunning_dossier_events(self):
                events = super()._dunning_dossier_events()
                for arrangement in self.env["my.arrangement"].search([("move_ids", "in", self.ids)]):
                    events += [{"move_id": m.id, "date": arrangement.date_broken, "kind": "broken",
                                "description": arrangement.break_reason} for m in arrangement.move_ids & self]
                return events
        """
        return []

    def _dunning_run_hooks(self, on_date):
        """({move_id: reason code}, {move_id: resumption date}) as the run on `on_date` would see
        these invoices, so that the next step shown is the one the run will take."""
        excluded, resume_dates = {}, {}
        for company, moves in self.filtered(lambda m: m._origin.id).grouped("company_id").items():
            run = self.env["debtor.dunning.run"].new({"company_id": company.id, "date": on_date})
            move_ids = moves._origin.ids
            excluded |= run._dunning_excluded_moves(move_ids)
            resume_dates |= run._dunning_resume_dates(move_ids)
        return excluded, resume_dates

    def _dunning_risk_warning(self, record):
        """The warning shown before `record` (a draft invoice, a sale order) is confirmed for a
        high-risk debtor, with the reasons in words; '' for any other debtor."""
        # sudo: whoever invoices or sells reads the debtor's class, as he reads the credit limit.
        debtor = record.partner_id.commercial_partner_id.with_company(record.company_id).sudo()
        if not debtor or debtor.dunning_risk_class != RISK_HIGH:
            return ""
        return self.env._(
            "%(debtor)s is a high-risk debtor (risk score %(score)s): %(reasons)s",
            debtor=debtor.name,
            score=debtor.dunning_risk_score,
            reasons=debtor.dunning_risk_explanation,
        )

    def _build_credit_warning_message(self, record, current_amount=0.0, exclude_current=False, exclude_amount=0.0):
        """Community's credit-limit warning also names a high-risk debtor and why: one warning, no
        second credit limit. `sale` builds its sale order's warning here too, so a sale order warns
        without this add-on depending on `sale` (Community asks only when credit limits are used)."""
        message = super()._build_credit_warning_message(
            record, current_amount=current_amount, exclude_current=exclude_current, exclude_amount=exclude_amount
        )
        return "\n".join(filter(None, [message, self._dunning_risk_warning(record)]))

    def _compute_partner_credit_warning(self):
        """A draft invoice warns of a high-risk debtor even where Community does not look at credit
        limits (the company does not use them, or a document type it skips)."""
        super()._compute_partner_credit_warning()
        for move in self.filtered(lambda m: m.state == "draft" and m.move_type in CHASED_MOVE_TYPES):
            warning = self._dunning_risk_warning(move)
            if warning and warning not in move.partner_credit_warning:
                move.partner_credit_warning = "\n".join(filter(None, [move.partner_credit_warning, warning]))

    def _dunning_policy(self):
        self.ensure_one()
        return self.commercial_partner_id._dunning_policy(self.company_id)

    def action_view_dunning_dossier(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("debtor_dunning.action_debtor_dunning_communication")
        action["domain"] = [("move_ids", "in", self.ids), ("state", "!=", "preview")]
        action["context"] = {}
        return action
