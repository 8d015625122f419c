# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import api, fields, models
from odoo.addons.debtor_dunning.models.dunning_rules import (
    CHASED_MOVE_TYPES,
    HELD_PAYMENT_STATES,
    OPEN_PAYMENT_STATES,
)
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import float_compare, format_date

from . import arrangement_rules as rules

# States in which an arrangement holds its invoices: no second arrangement may cover them.
HOLDING_STATES = ("proposed", "active")
# States in which the arrangement has ended (dunning goes on as usual).
ENDED_STATES = ("completed", "broken", "cancelled")
# The reason code the run shows for the invoices of an active arrangement.
REASON_ARRANGEMENT = "arrangement"


class DebtorDunningArrangement(models.Model):
    """A payment arrangement: a debtor pays some of his open invoices in instalments.

    While it is active the run leaves those invoices alone (reason `arrangement`); the run's daily
    step reminds, marks late, breaks and completes it (`_dunning_daily_step`). The rules themselves
    live in `arrangement_rules`.
    """

    _name = "debtor.dunning.arrangement"
    _description = "Payment Arrangement"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    partner_id = fields.Many2one(
        "res.partner",
        string="Debtor",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
        help="The commercial partner who owes the invoices.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    template_id = fields.Many2one(
        "debtor.dunning.arrangement.template", string="Template", check_company=True, tracking=True
    )
    move_ids = fields.Many2many(
        "account.move",
        "debtor_dunning_arrangement_move_rel",
        "arrangement_id",
        "move_id",
        string="Invoices",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', 'in', ('out_invoice', 'out_receipt')),"
        " ('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    date_first = fields.Date(string="First Instalment", tracking=True)
    instalment_ids = fields.One2many(
        "debtor.dunning.arrangement.instalment", "arrangement_id", string="Instalments", copy=False
    )
    amount_total = fields.Monetary(
        string="Total",
        readonly=True,
        tracking=True,
        help="The open amount of the invoices covered, fixed when the arrangement is confirmed.",
    )
    amount_paid = fields.Monetary(
        string="Paid",
        compute="_compute_amount_paid",
        store=True,
        help="What was paid on the covered invoices since the arrangement was confirmed.",
    )
    amount_residual = fields.Monetary(string="Remaining", compute="_compute_amount_paid", store=True)
    amount_scheduled = fields.Monetary(compute="_compute_amount_scheduled", string="Scheduled")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("proposed", "Proposed"),
            ("active", "Active"),
            ("completed", "Completed"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    direct_debit = fields.Boolean(
        compute="_compute_direct_debit",
        store=True,
        readonly=False,
        precompute=True,
        help="Instalments are collected by SEPA direct debit.",
    )
    mandate_reference = fields.Char(string="Mandate Reference", copy=False, tracking=True)
    date_confirmed = fields.Date(string="Confirmed On", readonly=True, copy=False)
    date_checked = fields.Date(
        string="Checked On",
        readonly=True,
        copy=False,
        help="The last day the daily run checked the schedule: instalments are late from its point of view.",
    )
    date_end = fields.Date(
        string="Ended On",
        readonly=True,
        copy=False,
        help="The day the arrangement was completed, broken or cancelled; dunning counts its terms from it.",
    )
    date_broken = fields.Date(string="Broken On", readonly=True, copy=False)
    break_reason = fields.Text(string="Reason", copy=False, tracking=True)
    confirmation_attachment_id = fields.Many2one(
        "ir.attachment", string="Confirmation Letter", readonly=True, copy=False
    )
    lapse_attachment_id = fields.Many2one("ir.attachment", string="Lapse Letter", readonly=True, copy=False)
    instalment_count = fields.Integer(compute="_compute_amount_scheduled")

    _name_company_unique = models.Constraint(
        "UNIQUE(name, company_id)",
        "The reference of a payment arrangement must be unique per company.",
    )

    # ------------------------------------------------------------------ computes
    @api.depends("move_ids.currency_id", "company_id")
    def _compute_currency_id(self):
        for arrangement in self:
            arrangement.currency_id = arrangement.move_ids[:1].currency_id or arrangement.company_id.currency_id

    @api.depends("template_id")
    def _compute_direct_debit(self):
        for arrangement in self:
            arrangement.direct_debit = arrangement.template_id.direct_debit

    @api.depends("instalment_ids.amount")
    def _compute_amount_scheduled(self):
        for arrangement in self:
            arrangement.amount_scheduled = sum(arrangement.instalment_ids.mapped("amount"))
            arrangement.instalment_count = len(arrangement.instalment_ids)

    @api.depends("state", "amount_total", "move_ids.amount_residual")
    def _compute_amount_paid(self):
        for arrangement in self:
            if arrangement.state in ("draft", "proposed"):
                arrangement.amount_paid = 0.0
                arrangement.amount_residual = arrangement.amount_total
            elif arrangement.state == "active" or not arrangement._origin.id:
                # Whatever was paid on the covered invoices since the confirmation (payments and
                # credit notes alike) counts toward the instalments.
                open_now = sum(arrangement.move_ids.mapped("amount_residual"))
                paid = arrangement.currency_id.round(
                    max(min(arrangement.amount_total - open_now, arrangement.amount_total), 0.0)
                )
                arrangement.amount_paid = paid
                arrangement.amount_residual = arrangement.amount_total - paid
            # An arrangement that ended keeps what it counted then: later payments are the dunning's.

    def _compute_access_url(self):
        super()._compute_access_url()
        for arrangement in self:
            arrangement.access_url = f"/my/arrangements/{arrangement.id}"

    @api.depends("partner_id", "name")
    def _compute_display_name(self):
        for arrangement in self:
            arrangement.display_name = f"{arrangement.name} - {arrangement.partner_id.name or ''}"

    # ------------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse([vals["partner_id"] for vals in vals_list if vals.get("partner_id")])
        debtor_of = {partner.id: partner.commercial_partner_id.id for partner in partners}
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = debtor_of[vals["partner_id"]]
            if not vals.get("name") or vals["name"] == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code("debtor.dunning.arrangement")
        arrangements = super().create(vals_list)
        arrangements._sync_amount_total()
        return arrangements

    def write(self, vals):
        result = super().write(vals)
        if "move_ids" in vals:
            self._sync_amount_total()
        return result

    def _sync_amount_total(self):
        """Before confirmation the total follows the invoices' open amount; confirming fixes it."""
        for arrangement in self.filtered(lambda a: a.state in ("draft", "proposed")):
            total = arrangement.currency_id.round(sum(arrangement.move_ids.mapped("amount_residual")))
            if arrangement.amount_total != total:
                arrangement.amount_total = total

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda a: a.state not in ("draft", "proposed", "cancelled")):
            raise UserError(self.env._("Only draft, proposed or cancelled payment arrangements can be deleted."))

    # ------------------------------------------------------------------ rules around the ORM
    def _tolerance(self):
        """The residual tolerance of the debtor's dunning policy in the arrangement's company."""
        self.ensure_one()
        policy = self.partner_id._dunning_policy(self.company_id)
        return policy.residual_tolerance if policy else 0.0

    @api.model
    def _arrangeable_problems(self, moves, partner, company, exclude=None):
        """The reasons, in words, why `moves` cannot be arranged together for `partner` in `company`.

        One place for every refusal: the wizard, confirming and the portal ask it. Empty when the
        invoices may be arranged.
        """
        _ = self.env._
        problems = []
        if not moves:
            return [_("Select at least one open invoice to arrange.")]
        debtor = partner.commercial_partner_id
        for move in moves:
            label = move.name or move.display_name
            if move.move_type not in CHASED_MOVE_TYPES or move.state != "posted":
                problems.append(_("%s is not a posted customer invoice.", label))
            elif move.payment_state in HELD_PAYMENT_STATES:
                problems.append(_("%s is blocked for payment in Odoo and cannot be arranged.", label))
            elif move.payment_state not in OPEN_PAYMENT_STATES:
                problems.append(_("%s is already paid.", label))
            if move.commercial_partner_id != debtor:
                problems.append(
                    _(
                        "%(invoice)s belongs to %(other)s, not to %(debtor)s: "
                        "an arrangement covers the invoices of one debtor.",
                        invoice=label,
                        other=move.commercial_partner_id.display_name,
                        debtor=debtor.display_name,
                    )
                )
        if len(moves.company_id) > 1:
            problems.append(
                _("The invoices belong to several companies: an arrangement covers one company's invoices.")
            )
        elif moves.company_id != company:
            problems.append(
                _(
                    "The invoices belong to %(other)s, not to %(company)s.",
                    other=moves.company_id.name,
                    company=company.name,
                )
            )
        if len(moves.currency_id) > 1:
            problems.append(_("The invoices are in several currencies: an arrangement is in one currency."))
        if problems:
            return problems
        problems += self._held_moves_problems(moves, debtor, company, exclude)
        return problems

    @api.model
    def _held_moves_problems(self, moves, debtor, company, exclude=None):
        """Refusals for invoices held elsewhere: another arrangement, a block on all processes, collection."""
        _ = self.env._
        problems = []
        others = self.search(
            [("move_ids", "in", moves.ids), ("state", "in", HOLDING_STATES), ("id", "not in", (exclude or self).ids)]
        )
        for other in others:
            for move in other.move_ids & moves:
                problems.append(
                    _(
                        "%(invoice)s is already in payment arrangement %(arrangement)s.",
                        invoice=move.name,
                        arrangement=other.name,
                    )
                )
        today = fields.Date.context_today(self)
        Block = self.env["debtor.dunning.block"]
        # Its predicate is raw SQL: a block placed in this transaction must be written first.
        Block.flush_model()
        blocked_partners, blocked_moves = Block._blocked_targets(company, today, ("all",))
        if debtor.id in blocked_partners:
            problems.append(
                _(
                    "%(debtor)s is blocked for all processes (%(block)s).",
                    debtor=debtor.display_name,
                    block=blocked_partners[debtor.id],
                )
            )
        for move in moves.filtered(lambda m: m.id in blocked_moves):
            problems.append(
                _(
                    "%(invoice)s is blocked for all processes (%(block)s).",
                    invoice=move.name,
                    block=blocked_moves[move.id],
                )
            )
        for move in moves.filtered(lambda m: m.dunning_state == "handed_over"):
            problems.append(_("%s has been handed over for collection.", move.name))
        # Other add-ons (collection) take invoices out of the run with their own reason: those
        # invoices are theirs, not ours to arrange.
        run = self.env["debtor.dunning.run"].with_company(company).new({"date": today, "company_id": company.id})
        labels = run._dunning_reason_labels()
        for move_id, code in run._dunning_excluded_moves(moves.ids).items():
            if code != REASON_ARRANGEMENT:
                move = moves.browse(move_id)
                problems.append(
                    _("%(invoice)s cannot be arranged: %(reason)s.", invoice=move.name, reason=labels.get(code, code))
                )
        return problems

    def _schedule_problems(self):
        """The schedule's problems in words (`arrangement_rules.schedule_problems`)."""
        self.ensure_one()
        _ = self.env._
        lines = [(instalment.date_due, instalment.amount) for instalment in self.instalment_ids.sorted("sequence")]
        words = {
            rules.SCHEDULE_EMPTY: lambda d: _("The arrangement has no instalments: compute or enter the schedule."),
            rules.SCHEDULE_AMOUNT_NOT_POSITIVE: lambda d: _("Instalment %(index)s has no positive amount.", **d),
            rules.SCHEDULE_DATE_MISSING: lambda d: _("Instalment %(index)s has no due date.", **d),
            rules.SCHEDULE_DATE_IN_PAST: lambda d: _(
                "Instalment %(index)s is due on %(date)s, which is in the past.",
                index=d["index"],
                date=format_date(self.env, d["date"]),
            ),
            rules.SCHEDULE_NOT_ASCENDING: lambda d: _(
                "Instalment %(index)s (%(date)s) is not due after the one before it: the dates must ascend.",
                index=d["index"],
                date=format_date(self.env, d["date"]),
            ),
            rules.SCHEDULE_SUM_MISMATCH: lambda d: _(
                "The instalments add up to %(scheduled)s, but the open amount is %(total)s.",
                scheduled=self.currency_id.format(d["scheduled"]),
                total=self.currency_id.format(d["total"]),
            ),
        }
        problems = rules.schedule_problems(
            lines, self.amount_total, fields.Date.context_today(self), self.currency_id.rounding
        )
        return [words[code](details) for code, details in problems]

    def _raise_problems(self, problems):
        if problems:
            raise UserError(
                self.env._("Payment arrangement %(name)s:", name=self.name) + "\n- " + "\n- ".join(problems)
            )

    # ------------------------------------------------------------------ actions
    def action_compute_instalments(self):
        """Fill the schedule from the template and the first instalment's date (amounts may be edited after)."""
        # Only who may change arrangements (Credit Controllers) acts on them; say so before anything else.
        self.check_access("write")
        for arrangement in self:
            if arrangement.state not in ("draft", "proposed"):
                raise UserError(self.env._("Only a draft or proposed arrangement can be rescheduled."))
            if not arrangement.template_id:
                raise UserError(self.env._("Choose a template to compute the instalments from."))
            arrangement._sync_amount_total()
            if float_compare(arrangement.amount_total, 0.0, precision_rounding=arrangement.currency_id.rounding) <= 0:
                raise UserError(self.env._("The invoices of %s have nothing open to arrange.", arrangement.name))
            today = fields.Date.context_today(self)
            if not arrangement.date_first:
                arrangement.date_first = fields.Date.add(
                    today, days=arrangement.template_id.first_instalment_delay_days
                )
            schedule = arrangement.template_id._compute_schedule_from(
                arrangement.amount_total, arrangement.date_first, arrangement.currency_id.rounding
            )
            arrangement.instalment_ids.unlink()
            arrangement.instalment_ids = [
                fields.Command.create({"sequence": index, "date_due": date_due, "amount": amount})
                for index, (date_due, amount) in enumerate(schedule, start=1)
            ]
        return True

    def action_confirm(self):
        """Activate the arrangement: its invoices leave the dunning and the debtor receives the schedule."""
        # Only who may change arrangements (Credit Controllers) acts on them; say so before anything else.
        self.check_access("write")
        for arrangement in self:
            if arrangement.state not in ("draft", "proposed"):
                raise UserError(self.env._("Only a draft or proposed arrangement can be confirmed."))
            arrangement._sync_amount_total()
            problems = self._arrangeable_problems(
                arrangement.move_ids, arrangement.partner_id, arrangement.company_id, exclude=arrangement
            )
            problems += arrangement._schedule_problems()
            arrangement._raise_problems(problems)
        for arrangement in self:
            today = fields.Date.context_today(self)
            arrangement.write({"state": "active", "date_confirmed": today, "date_checked": today})
        # Before the letter: it carries the link that authorises the direct debit.
        self._start_direct_debit()
        self._send_confirmation()
        return True

    def action_cancel(self):
        """Cancel: a draft simply stops; an active arrangement lapses and dunning resumes."""
        # Only who may change arrangements (Credit Controllers) acts on them; say so before anything else.
        self.check_access("write")
        today = fields.Date.context_today(self)
        for arrangement in self:
            if arrangement.state in ENDED_STATES:
                raise UserError(self.env._("Payment arrangement %s has already ended.", arrangement.name))
        active = self.filtered(lambda a: a.state == "active")
        (self - active).write({"state": "cancelled"})
        if active:
            active.write({"state": "cancelled", "date_end": today})
            active._send_lapse_letter()
        return True

    def action_break(self, reason=None):
        """Break by hand (or by the run): the debtor did not keep to the schedule; dunning resumes."""
        return self._break(fields.Date.context_today(self), reason)

    def _break(self, on_date, reason=None):
        # Only who may change arrangements (Credit Controllers) acts on them; say so before anything else.
        self.check_access("write")
        for arrangement in self:
            if arrangement.state != "active":
                raise UserError(self.env._("Only an active arrangement can be broken (%s is not).", arrangement.name))
        self.write(
            {
                "state": "broken",
                "date_broken": on_date,
                "date_end": on_date,
                "break_reason": reason or self.env._("Broken by %s.", self.env.user.name),
            }
        )
        self._send_lapse_letter()
        return True

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", self.move_ids.ids)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------ helpers for the invoices
    @api.model
    def _holding_moves(self, move_ids, states=("active",), company=None):
        """{move_id: arrangement id} of those `move_ids` covered by an arrangement in `states` (one query)."""
        domain = Domain([("move_ids", "in", list(move_ids)), ("state", "in", list(states))])
        if company:
            domain &= Domain("company_id", "=", company.id)
        result = {}
        for arrangement in self.search_fetch(domain, ["move_ids"]):
            for move_id in arrangement.move_ids.ids:
                if move_id in move_ids:
                    result[move_id] = arrangement.id
        return result
