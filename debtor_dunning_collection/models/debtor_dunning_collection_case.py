# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .statutory import (
    business_collection_costs,
    capped_recurring_costs,
    collection_costs_vat,
    consumer_collection_costs,
    interest_start_date,
    is_recurring_small_claim,
)

CASE_STATES = [
    ("to_approve", "To Approve"),
    ("handed_over", "Handed Over"),
    ("paid", "Paid"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
#: The states in which an agency collects the claim and the run leaves its invoices alone.
ACTIVE_CASE_STATES = ("to_approve", "handed_over")
#: VAT added to the collection costs by a company that cannot deduct VAT (the Dutch standard rate).
COSTS_VAT_PERCENT = 21


class DebtorDunningCollectionCase(models.Model):
    """A claim on one debtor in one currency, handed to a collection agency: its invoices, what he owes
    under Dutch law (principal, collection costs, statutory interest) and what was paid since."""

    _name = "debtor.dunning.collection.case"
    _description = "Collection Case"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one("res.partner", string="Debtor", required=True, index=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    agency_id = fields.Many2one("debtor.dunning.collection.agency", check_company=True, tracking=True)
    move_ids = fields.One2many("account.move", "dunning_case_id", string="Invoices", readonly=True)
    state = fields.Selection(CASE_STATES, required=True, default="to_approve", index=True, tracking=True)
    reason = fields.Text(help="Why the claim was handed over (required when handed over by hand).")
    principal_amount = fields.Monetary(
        string="Principal", readonly=True, help="What the invoices left open at hand-off."
    )
    costs_amount = fields.Monetary(string="Collection Costs", readonly=True)
    interest_amount = fields.Monetary(string="Statutory Interest", readonly=True)
    interest_date = fields.Date(string="Interest Until", readonly=True)
    costs_paid_amount = fields.Monetary(string="Costs Collected", readonly=True)
    interest_paid_amount = fields.Monetary(string="Interest Collected", readonly=True)
    fee_amount = fields.Monetary(string="Agency Fees", readonly=True)
    written_off_amount = fields.Monetary(string="Written Off", readonly=True)
    amount_paid = fields.Monetary(compute="_compute_amounts", help="Costs, interest and principal paid since hand-off.")
    amount_paid_direct = fields.Monetary(
        string="Paid to Us Directly",
        compute="_compute_amounts",
        help="Principal the debtor paid to us instead of the agency since hand-off: tell the agency.",
    )
    amount_due = fields.Monetary(compute="_compute_amounts")
    date_handover = fields.Date(string="Handed Over On", readonly=True, tracking=True)
    dossier_attachment_id = fields.Many2one("ir.attachment", string="Dossier", readonly=True, copy=False)
    dossier_data = fields.Binary(related="dossier_attachment_id.datas", string="Dossier File")
    dossier_name = fields.Char(related="dossier_attachment_id.name", string="Dossier File Name")
    remittance_move_ids = fields.Many2many(
        "account.move", "debtor_dunning_collection_case_remittance_rel", string="Remittances", readonly=True
    )
    handoff_mail_id = fields.Many2one("mail.mail", string="Hand-off E-mail", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("debtor.dunning.collection.case") or "/"
        return super().create(vals_list)

    @api.depends(
        "principal_amount",
        "costs_amount",
        "interest_amount",
        "costs_paid_amount",
        "interest_paid_amount",
        "written_off_amount",
        "move_ids.amount_residual",
        "remittance_move_ids",
    )
    def _compute_amounts(self):
        for case in self:
            open_principal = sum(case.move_ids.mapped("amount_residual"))
            principal_paid = max(case.principal_amount - open_principal - case.written_off_amount, 0.0)
            remitted = sum(
                case.remittance_move_ids.line_ids.filtered(
                    lambda line: line.account_id.account_type == "asset_receivable"
                ).mapped(lambda line: -line.amount_currency)
            )
            case.amount_paid = principal_paid + case.costs_paid_amount + case.interest_paid_amount
            case.amount_paid_direct = max(principal_paid - remitted, 0.0)
            case.amount_due = max(
                case.principal_amount
                + case.costs_amount
                + case.interest_amount
                - case.written_off_amount
                - case.amount_paid,
                0.0,
            )

    # ------------------------------------------------------------------ opening and joining cases
    @api.model
    def _collection_agency_for(self, partner, company):
        policy = partner._dunning_policy(company)
        return policy.collection_agency_id or company.dunning_collection_agency_id

    @api.model
    def _open_for(self, moves, reason=False):
        """The case of each debtor and currency these invoices join: his open case, else a new one
        (to approve). Returns the cases, the invoices linked to them."""
        cases = self.browse()
        groups = moves.grouped(lambda move: (move.company_id, move.commercial_partner_id, move.currency_id))
        for (company, partner, currency), invoices in groups.items():
            case = self.search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "=", partner.id),
                    ("currency_id", "=", currency.id),
                    ("state", "in", ACTIVE_CASE_STATES),
                ],
                limit=1,
            )
            if not case:
                case = self.create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "currency_id": currency.id,
                        "agency_id": self._collection_agency_for(partner, company).id,
                    }
                )
            if reason:
                case.reason = "\n".join(filter(None, [case.reason, reason]))
            invoices.dunning_case_id = case
            cases |= case
        return cases

    def _check_can_hand_over(self):
        for case in self:
            if not case.agency_id:
                raise UserError(
                    self.env._(
                        "No collection agency to hand %(debtor)s's claim to: set a default agency in the Credit "
                        "Control settings or one on the dunning policy.",
                        debtor=case.partner_id.display_name,
                    )
                )
            if not case.partner_id.is_company and not case.agency_id._may_collect_from_consumers():
                raise UserError(
                    self.env._(
                        "%(agency)s has no Justis registration (Wki): it may not collect the claim on the consumer "
                        "%(debtor)s. Enter its registration number or choose another agency.",
                        agency=case.agency_id.name,
                        debtor=case.partner_id.display_name,
                    )
                )
            if not case.move_ids:
                raise UserError(self.env._("Case %s has no invoices to hand over.", case.name))

    # ------------------------------------------------------------------ actions
    def _check_manager(self):
        if not self.env.user.has_group("debtor_dunning.group_debtor_dunning_manager"):
            raise AccessError(
                self.env._("Only a Credit Manager can hand claims over, close or cancel collection cases.")
            )

    def action_approve(self):
        """Hand these cases over: compute the claim, build the dossier and send it to the agency.

        A case already handed over that gained invoices is brought up to date the same way and its
        new dossier sent again.
        """
        self._check_manager()
        if self.filtered(lambda case: case.state not in ACTIVE_CASE_STATES):
            raise UserError(self.env._("Only cases to approve or handed over can be handed over."))
        self._check_can_hand_over()
        today = fields.Date.context_today(self)
        self._update_claim()
        for case in self.filtered(lambda case: case.state == "to_approve"):
            case.write({"state": "handed_over", "date_handover": today})
        self.action_export_dossier()
        self._send_dossier_to_agency()
        return True

    def _update_claim(self):
        """Compute what the debtor owes today (the hand-over letter states it, the dossier carries it)."""
        today = fields.Date.context_today(self)
        for case in self:
            case.write(case._claim_values(today))

    def action_close(self):
        """The agency reports the claim uncollectible: the case closes (write the invoices off next)."""
        self._check_manager()
        self.filtered(lambda case: case.state == "handed_over").write({"state": "closed"})
        return True

    def action_cancel(self):
        """Take the claim back: the invoices leave the case and the run chases them again."""
        self._check_manager()
        if self.filtered(lambda case: case.state in ("paid", "closed")):
            raise UserError(self.env._("A paid or closed case cannot be cancelled."))
        self.move_ids.dunning_case_id = False
        self.write({"state": "cancelled"})
        return True

    def action_register_payment(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Agency Remittance"),
            "res_model": "debtor.dunning.collection.payment",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_write_off(self):
        self.ensure_one()
        action = self.move_ids.filtered(lambda move: move.amount_residual).action_dunning_write_off()
        action["context"] = action["context"] | {"default_case_id": self.id, "default_company_id": self.company_id.id}
        return action

    def _update_paid_state(self):
        """A case on which nothing is due any more is paid."""
        for case in self.filtered(lambda case: case.state == "handed_over"):
            if case.currency_id.is_zero(case.amount_due):
                case.state = "paid"

    # ------------------------------------------------------------------ the claim
    def _default_notice_lines(self):
        """The sent notice-of-default lines of this case's invoices (the 14-day letter), latest first."""
        self.ensure_one()
        return self.move_ids.dunning_line_ids.filtered(
            lambda line: (
                not line.is_cancelled
                and line.communication_id.state == "sent"
                and line.communication_id.letter_layout == "default_notice"
            )
        ).sorted(lambda line: (line.date, line.id), reverse=True)

    def _claim_values(self, on_date):
        """{principal, costs, interest, interest date} of this case on ``on_date``, by the rules of
        `statutory.py`: costs per claim, interest per invoice from the table of rates."""
        self.ensure_one()
        moves = self.move_ids.filtered(lambda move: not self.currency_id.is_zero(move.amount_residual))
        principal = sum(moves.mapped("amount_residual"))
        return {
            "principal_amount": principal,
            "costs_amount": self._collection_costs(moves, principal, on_date),
            "interest_amount": self._statutory_interest(moves, on_date),
            "interest_date": on_date,
        }

    def _collection_costs(self, moves, principal, on_date):
        self.ensure_one()
        euro = self.env.ref("base.EUR", raise_if_not_found=False)
        if self.currency_id != euro or not moves:
            # The staffel and the EUR 40 are amounts in euros.
            return 0.0
        policy = self.partner_id._dunning_policy(self.company_id)
        principals = moves.mapped("amount_residual")
        if self.partner_id.is_company:
            costs = business_collection_costs(principals, staffel_agreed=policy.collection_staffel_agreed)
        else:
            notice_lines = self._default_notice_lines()
            letter = notice_lines[:1].communication_id
            claimed = sum(notice_lines.filtered(lambda line: line.communication_id == letter).mapped("amount_residual"))
            costs = consumer_collection_costs(
                claimed,
                # The notice of default states the amount and the 14 days after receipt (the
                # collection add-on's text): a valid 14-day letter when it stated an amount.
                letter_valid=bool(letter.statutory_costs_amount),
                term_expired=bool(letter.pay_by_date) and letter._term_surely_ended(on_date),
                # What he paid since the letter counts as paid within its term: the debtor's favour.
                paid_within_term=max(claimed - principal, 0.0),
            )
        if policy.collection_recurring_small_claims and is_recurring_small_claim(principals):
            since = on_date - relativedelta(months=6)
            charged = sum(
                self.search(
                    [
                        ("id", "!=", self.id),
                        ("partner_id", "=", self.partner_id.id),
                        ("company_id", "=", self.company_id.id),
                        ("date_handover", ">", since),
                    ]
                ).mapped("costs_amount")
            )
            costs = capped_recurring_costs(costs, charged)
        costs += collection_costs_vat(costs, COSTS_VAT_PERCENT, self.company_id.dunning_vat_deductible)
        return float(costs)

    def _statutory_interest(self, moves, on_date):
        """Interest per invoice: commercial from the day after its due date, else from default (the
        day after the notice of default's term); the table refuses a period it does not cover."""
        self.ensure_one()
        commercial = self.partner_id.is_company
        Rate = self.env["debtor.dunning.interest.rate"]
        default_dates = defaultdict(lambda: None)
        if not commercial:
            for line in self._default_notice_lines():
                letter = line.communication_id
                if letter.pay_by_date and line.move_id.id not in default_dates:
                    default_dates[line.move_id.id] = letter.pay_by_date + timedelta(days=1)
        interest = 0.0
        for move in moves:
            start = interest_start_date(commercial, move.invoice_date_due, default_dates[move.id])
            if start and start < on_date:
                interest += Rate.compute_interest(
                    move.amount_residual, start, on_date, "commercial" if commercial else "non_commercial"
                )
        return interest

    def _send_handover_letters(self):
        """Send each case's debtor the hand-over letter (level 6 of his policy) for the invoices that
        have not had it, outside a run: used when a manager hands invoices over by hand."""
        today = fields.Date.context_today(self)
        letters = self.env["debtor.dunning.communication"]
        for case in self:
            policy = case.partner_id._dunning_policy(case.company_id)
            level = policy.level_ids.filtered(lambda level: level.letter_layout == "handover")[:1]
            if not level:
                continue
            had_it = case.move_ids.dunning_line_ids.filtered(
                lambda line, level=level: line.level_id == level and not line.is_cancelled and not line.is_preview
            ).move_id
            moves = case.move_ids.filtered(lambda move: move.amount_residual) - had_it
            if not moves:
                continue
            recipients = case.partner_id._dunning_recipients()
            letters |= letters.create(
                {
                    "company_id": case.company_id.id,
                    "partner_id": case.partner_id.id,
                    "recipient_id": recipients.get(case.partner_id.id, case.partner_id.id),
                    "level_id": level.id,
                    "currency_id": case.currency_id.id,
                    "date": today,
                    "state": "queued",
                    "amount_residual": sum(moves.mapped("amount_residual")),
                    "amount_overdue": sum(moves.mapped("amount_residual")),
                    "channel_email": level.channel_email,
                    "channel_sms": level.channel_sms,
                    "channel_letter": level.channel_letter,
                    "channel_call": level.channel_call,
                    "approved_by_id": self.env.uid,
                    "date_approved": fields.Datetime.now(),
                    "line_ids": [
                        fields.Command.create(
                            {
                                "move_id": move.id,
                                "level_id": level.id,
                                "date": today,
                                "invoice_date": move.invoice_date,
                                "invoice_date_due": move.invoice_date_due,
                                "amount_total": move.amount_total,
                                "amount_residual": move.amount_residual,
                                "days_overdue": max((today - move.invoice_date_due).days, 0)
                                if move.invoice_date_due
                                else 0,
                            }
                        )
                        for move in moves
                    ],
                }
            )
        letters.action_send_now()
        return letters
