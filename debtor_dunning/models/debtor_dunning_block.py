# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, format_date

from .dunning_rules import CHASED_MOVE_TYPES


class DebtorDunningBlock(models.Model):
    _name = "debtor.dunning.block"
    _description = "Dunning Block"
    _inherit = ["mail.thread", "debtor.dunning.debtor.screen.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    template_id = fields.Many2one("debtor.dunning.block.template", string="Block Type", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Debtor",
        index=True,
        tracking=True,
        help="The debtor whose reminders are paused; all of his invoices in this company are covered.",
    )
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        index=True,
        check_company=True,
        tracking=True,
        domain="[('dunning_is_chased', '=', True)]",
    )
    reason = fields.Text(tracking=True)
    blocked_processes = fields.Selection(related="template_id.blocked_processes", store=True)
    date_start = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(
        string="Until", tracking=True, help="The last day of the block; empty keeps it until someone lifts it."
    )
    state = fields.Selection(
        [("active", "Active"), ("lifted", "Lifted"), ("expired", "Expired")],
        required=True,
        default="active",
        index=True,
        tracking=True,
    )
    user_id = fields.Many2one("res.users", string="Placed By", default=lambda self: self.env.user, readonly=True)
    # A promise to pay (logged from a call) is a block until the promised day that the run judges:
    # kept when the promised amount came in by then, broken when not (`_check_promises`).
    currency_id = fields.Many2one(related="company_id.currency_id")
    promise_amount = fields.Monetary(
        string="Promised Amount", currency_field="currency_id", tracking=True, help="In the company's currency."
    )
    promise_state = fields.Selection(
        [("open", "Promised"), ("kept", "Kept"), ("broken", "Broken")],
        string="Promise",
        readonly=True,
        index="btree_not_null",
        tracking=True,
    )
    promise_paid_amount = fields.Monetary(
        string="Received", currency_field="currency_id", readonly=True, help="Received by the promised day."
    )
    promise_communication_id = fields.Many2one(
        "debtor.dunning.communication", string="Promised About", readonly=True, ondelete="set null"
    )
    lifted_by_id = fields.Many2one("res.users", string="Lifted By", readonly=True)
    date_lifted = fields.Datetime(string="Lifted On", readonly=True)

    _check_target = models.Constraint(
        "CHECK((partner_id IS NOT NULL) != (move_id IS NOT NULL))",
        "A block covers either a debtor or a single invoice.",
    )
    _check_dates = models.Constraint(
        "CHECK(date_end IS NULL OR date_end >= date_start)",
        "A block cannot end before it starts.",
    )
    _active_partner_index = models.Index("(partner_id, company_id) WHERE state = 'active'")

    def _dunning_debtor(self):
        return (self.partner_id | self.move_id.commercial_partner_id).commercial_partner_id

    @api.depends("template_id", "partner_id", "move_id")
    def _compute_display_name(self):
        for block in self:
            target = block.move_id.name or block.partner_id.display_name or ""
            block.display_name = f"{block.template_id.name or ''}: {target}"

    @api.onchange("template_id", "date_start")
    def _onchange_template_id(self):
        if self.template_id:
            duration = self.template_id.duration_days
            self.date_end = self.date_start + timedelta(days=duration - 1) if duration else False
            if not self.reason:
                self.reason = self.template_id.default_reason

    @api.model_create_multi
    def create(self, vals_list):
        templates = self.env["debtor.dunning.block.template"].browse(
            [vals["template_id"] for vals in vals_list if vals.get("template_id")]
        )
        durations = {template.id: template.duration_days for template in templates}
        partners = self.env["res.partner"].browse([vals["partner_id"] for vals in vals_list if vals.get("partner_id")])
        debtor_of = {partner.id: partner.commercial_partner_id.id for partner in partners}
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = debtor_of[vals["partner_id"]]
            duration = durations.get(vals.get("template_id"))
            if "date_end" not in vals and duration:
                start = fields.Date.to_date(vals.get("date_start")) or fields.Date.context_today(self)
                vals["date_end"] = start + timedelta(days=duration - 1)
        return super().create(vals_list)

    @api.constrains("move_id")
    def _check_move_is_customer_invoice(self):
        for block in self.filtered("move_id"):
            if block.move_id.move_type not in CHASED_MOVE_TYPES:
                raise ValidationError(self.env._("Only customer invoices can be blocked from dunning."))

    def action_lift(self):
        """Lift the blocks; dunning resumes at the level each invoice had."""
        is_manager = self.env.user.has_group("debtor_dunning.group_debtor_dunning_manager")
        if not is_manager and self.filtered(lambda block: block.user_id != self.env.user):
            raise AccessError(self.env._("Only a Credit Manager can lift a block placed by someone else."))
        self.filtered(lambda block: block.state == "active").write(
            {"state": "lifted", "lifted_by_id": self.env.uid, "date_lifted": fields.Datetime.now()}
        )
        return True

    @api.model
    def _check_promises(self, company, on_date):
        """Judge `company`'s open promises to pay on `on_date`; return (kept, broken).

        Kept once the debtor's payments since the promise, up to the promised day, reach the promised
        amount: the block ends. Broken when the promised day has passed without them: the block ends,
        dunning resumes, and a new call is planned on the letter the promise was made about. What
        counts as received is every posted payment on his receivable in the company (the entries
        that are neither invoices nor credit notes), matched or not: he did what he promised.
        """
        promises = self.search(
            [("company_id", "=", company.id), ("state", "=", "active"), ("promise_state", "=", "open")]
        )
        if not promises:
            return self.browse(), self.browse()
        self.env.flush_all()
        received = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT b.id, SUM(-l.balance)
                      FROM debtor_dunning_block b
                      JOIN res_partner p ON p.commercial_partner_id = b.partner_id
                      JOIN account_move_line l ON l.partner_id = p.id AND l.company_id = b.company_id
                      JOIN account_account a ON a.id = l.account_id
                      JOIN account_move m ON m.id = l.move_id
                     WHERE b.id IN %(promises)s
                       AND a.account_type = 'asset_receivable'
                       AND l.parent_state = 'posted'
                       AND m.move_type = 'entry'
                       AND l.balance < 0
                       AND l.date >= b.date_start
                       AND l.date <= LEAST(COALESCE(b.date_end, %(date)s), %(date)s)
                     GROUP BY b.id
                    """,
                    promises=tuple(promises.ids),
                    date=on_date,
                )
            )
        )
        currency = company.currency_id
        kept, broken = self.browse(), self.browse()
        for promise in promises:
            paid = float(received.get(promise.id) or 0.0)
            promise.promise_paid_amount = paid
            if currency.compare_amounts(paid, promise.promise_amount) >= 0:
                kept |= promise
            elif promise.date_end and promise.date_end < on_date:
                broken |= promise
        kept.write({"promise_state": "kept", "state": "expired"})
        broken.write({"promise_state": "broken", "state": "expired"})
        for promise in broken:
            # sudo: the run plans the call for the controller; whoever runs it need not be allowed to
            # edit the debtor (which an activity on him requires).
            letter = promise.promise_communication_id.sudo()
            if letter:
                letter._schedule_call(
                    deadline=on_date,
                    summary=self.env._("Call %(debtor)s: promise to pay broken", debtor=promise.partner_id.name),
                    note=self.env._(
                        "%(debtor)s promised to pay %(amount)s by %(date)s and paid %(paid)s.",
                        debtor=promise.partner_id.name,
                        amount=currency.format(promise.promise_amount),
                        date=format_date(self.env, promise.date_end),
                        paid=currency.format(promise.promise_paid_amount),
                    ),
                )
                letter.call_state = "planned"
        # Kept and broken promises count in the risk score at once, though no entry changed.
        self.env["res.partner"]._dunning_risk_outdated((kept | broken).partner_id, company)
        return kept, broken

    @api.model
    def _ended_domain(self, on_date, companies):
        return [
            ("company_id", "in", companies.ids),
            ("state", "=", "active"),
            ("date_end", "!=", False),
            ("date_end", "<", on_date),
        ]

    @api.model
    def _expire_blocks(self, on_date=None, companies=None):
        """Blocks of `companies` (default: the user's) whose last day has passed lift themselves."""
        on_date = on_date or fields.Date.context_today(self)
        companies = self.env.user.company_ids if companies is None else companies
        expired = self.search(self._ended_domain(on_date, companies))
        expired.write({"state": "expired"})
        return expired

    @api.model
    def _holds_sql(self, alias, on_date, processes=("reminders", "all")):
        """SQL: the block in table `alias` holds `processes` on `on_date`.

        The one definition of "blocked", read by the run (`_blocked_targets`) and by the invoice's
        dunning status: active, not past its last day, and started, where a block holds from the
        moment it is placed and only one planned for a later start waits for it.
        """
        return SQL(
            """(%(state)s = 'active'
                AND (%(date_end)s IS NULL OR %(date_end)s >= %(on_date)s)
                AND %(date_start)s <= GREATEST(%(on_date)s::date, %(create_date)s::date)
                AND %(processes_col)s IN %(processes)s)""",
            state=SQL.identifier(alias, "state"),
            date_end=SQL.identifier(alias, "date_end"),
            date_start=SQL.identifier(alias, "date_start"),
            create_date=SQL.identifier(alias, "create_date"),
            processes_col=SQL.identifier(alias, "blocked_processes"),
            on_date=on_date,
            processes=tuple(processes),
        )

    @api.model
    def _blocked_targets(self, company, on_date, processes=("reminders", "all")):
        """({partner_id: reason}, {move_id: reason}) for what is blocked in `company` on `on_date`.

        Active blocks are few (hundreds, not the invoices' hundred thousands), so one search is enough.
        """
        holds = Domain.custom(to_sql=lambda model, alias, query: model._holds_sql(alias, on_date, processes))
        blocks = self.search_fetch(
            Domain("company_id", "=", company.id) & Domain("state", "=", "active") & holds,
            ["partner_id", "move_id", "template_id", "reason"],
        )
        partners, moves = {}, {}
        for block in blocks:
            label = block.template_id.name + (f" ({block.reason})" if block.reason else "")
            if block.partner_id:
                partners[block.partner_id.id] = label
            else:
                moves[block.move_id.id] = label
        return partners, moves
