# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .dunning_rules import InvoiceHistory, expected_next_step

DUNNING_STATES = [
    ("none", "No Letter Yet"),
    ("in_progress", "Reminding"),
    ("to_approve", "Awaiting Approval"),
    ("in_default", "In Default"),
    ("handed_over", "Handed Over"),
    ("blocked", "Blocked"),
    ("closed", "Paid or Closed"),
]

# What the debtor reads in the customer portal about where his invoice stands.
DUNNING_PORTAL_STATUSES = [
    ("due", "Due"),
    ("overdue", "Overdue"),
    ("in_arrangement", "In Payment Arrangement"),
    ("paused", "Paused"),
    ("paid", "Paid"),
]


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
    dunning_level_id = fields.Many2one(
        "debtor.dunning.level",
        string="Dunning Level",
        compute="_compute_dunning_level",
        store=True,
        readonly=True,
        help="The last dunning level this invoice reached.",
    )
    dunning_last_date = fields.Date(string="Last Letter", compute="_compute_dunning_level", store=True, readonly=True)
    dunning_state = fields.Selection(
        DUNNING_STATES,
        compute="_compute_dunning_state",
        store=True,
        readonly=True,
        help="Where the invoice stands in the dunning procedure.",
    )
    dunning_next_level_id = fields.Many2one(
        "debtor.dunning.level", string="Next Dunning Step", compute="_compute_dunning_next_step"
    )
    dunning_next_date = fields.Date(string="Next Step Expected", compute="_compute_dunning_next_step")
    dunning_debtor_message_ids = fields.One2many(
        "debtor.dunning.debtor.message",
        "move_id",
        string="Debtor Messages",
        readonly=True,
        groups="account.group_account_invoice",
    )
    dunning_debtor_message_count = fields.Integer(
        compute="_compute_dunning_debtor_message_count", groups="account.group_account_invoice"
    )
    dunning_portal_status = fields.Selection(
        DUNNING_PORTAL_STATUSES,
        string="Status for the Debtor",
        compute="_compute_dunning_portal_status",
        help="Where the invoice stands, as the debtor sees it in the portal.",
    )

    @api.depends("dunning_line_ids.is_cancelled", "dunning_line_ids.date", "dunning_line_ids.level_id")
    def _compute_dunning_level(self):
        lines = self.env["debtor.dunning.communication.line"].search_fetch(
            [("move_id", "in", self.ids), ("is_preview", "=", False), ("is_cancelled", "=", False)],
            ["move_id", "level_id", "date"],
        )
        highest = {}
        for line in lines:
            current = highest.get(line.move_id.id)
            key = (line.level_id.sequence, line.id)
            if current is None or key > current[0]:
                highest[line.move_id.id] = (key, line)
        for move in self:
            line = highest.get(move.id, (None, None))[1]
            move.dunning_level_id = line.level_id if line else False
            move.dunning_last_date = line.date if line else False

    @api.depends(
        "payment_state",
        "state",
        "dunning_level_id",
        "dunning_line_ids.communication_id.state",
        "dunning_block_ids.state",
        "commercial_partner_id.dunning_block_ids.state",
    )
    def _compute_dunning_state(self):
        moves = self.filtered(lambda move: move.id and move.is_sale_document(include_receipts=True))
        (self - moves).dunning_state = False
        blocked_moves = set(
            self.env["debtor.dunning.block"]
            .search_fetch(
                [
                    ("state", "=", "active"),
                    "|",
                    ("move_id", "in", moves.ids),
                    ("partner_id", "in", moves.commercial_partner_id.ids),
                ],
                ["move_id", "partner_id", "company_id"],
            )
            .mapped(lambda block: block.move_id.id or (block.partner_id.id, block.company_id.id))
        )
        for move in moves:
            if move.state != "posted" or move.payment_state in ("paid", "in_payment", "reversed"):
                move.dunning_state = "closed" if move.state == "posted" else False
            elif move.id in blocked_moves or (move.commercial_partner_id.id, move.company_id.id) in blocked_moves:
                move.dunning_state = "blocked"
            elif any(line.communication_id.state == "to_approve" for line in move.dunning_line_ids):
                move.dunning_state = "to_approve"
            elif move.dunning_level_id.letter_layout == "handover":
                move.dunning_state = "handed_over"
            elif move.dunning_level_id.letter_layout == "default_notice":
                move.dunning_state = "in_default"
            elif move.dunning_level_id:
                move.dunning_state = "in_progress"
            else:
                move.dunning_state = "none"

    @api.depends("dunning_level_id", "dunning_last_date", "invoice_date_due", "dunning_state")
    @api.depends_context("company")
    def _compute_dunning_next_step(self):
        today = fields.Date.context_today(self)
        for move in self:
            move.dunning_next_level_id = move.dunning_next_date = False
            if move.dunning_state in (False, "closed", "blocked", "to_approve") or not move.invoice_date_due:
                continue
            policy = move._dunning_policy()
            if not policy:
                continue
            history = InvoiceHistory(
                date_due=move._dunning_due_date(),
                last_level_id=move.dunning_level_id.id or None,
                last_letter_date=move.dunning_last_date or None,
            )
            rule, when = expected_next_step(policy._level_rules(), history, today)
            if rule:
                move.dunning_next_level_id = rule.level_id
                move.dunning_next_date = when

    def _dunning_due_date(self):
        """The due date the run chases: the earliest open instalment's, not Odoo's (the last one's)."""
        self.ensure_one()
        open_dates = [
            line.date_maturity
            for line in self.line_ids
            if line.account_id.account_type == "asset_receivable" and not line.reconciled and line.date_maturity
        ]
        return min(open_dates) if open_dates else self.invoice_date_due

    def _dunning_policy(self):
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(self.company_id)
        return partner.dunning_policy_id or self.company_id.dunning_policy_id

    def action_view_dunning_dossier(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("debtor_dunning.action_debtor_dunning_communication")
        action["domain"] = [("move_ids", "in", self.ids), ("state", "!=", "preview")]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------ customer portal
    def _compute_dunning_debtor_message_count(self):
        counts = dict(
            self.env["debtor.dunning.debtor.message"]._read_group(
                [("move_id", "in", self.ids)], ["move_id"], ["__count"]
            )
        )
        for move in self:
            move.dunning_debtor_message_count = counts.get(move, 0)

    @api.depends("state", "payment_state", "invoice_date_due", "dunning_state")
    @api.depends_context("company")
    def _compute_dunning_portal_status(self):
        today = fields.Date.context_today(self)
        for move in self:
            if move.state != "posted" or not move.is_sale_document(include_receipts=True):
                move.dunning_portal_status = False
            elif move.payment_state in ("paid", "in_payment", "reversed"):
                move.dunning_portal_status = "paid"
            elif move.dunning_state == "blocked":
                move.dunning_portal_status = "paused"
            elif move._dunning_portal_in_arrangement():
                move.dunning_portal_status = "in_arrangement"
            elif move.invoice_date_due and move.invoice_date_due < today:
                move.dunning_portal_status = "overdue"
            else:
                move.dunning_portal_status = "due"

    def _dunning_portal_in_arrangement(self):
        """Whether a payment arrangement covers the invoice; the arrangement add-on answers it."""
        self.ensure_one()
        return False

    def _dunning_portal_letters(self):
        """The reminders that actually went out for this invoice, oldest first, for the portal."""
        self.ensure_one()
        return self.dunning_line_ids.filtered(
            lambda line: not line.is_cancelled and line.communication_id.state == "sent"
        ).sorted(lambda line: (line.date, line.id))

    def _dunning_portal_active_dispute(self):
        """The active dispute block on this invoice, if any."""
        self.ensure_one()
        dispute = self.env.ref("debtor_dunning.block_template_dispute", raise_if_not_found=False)
        return self.dunning_block_ids.filtered(lambda block: block.state == "active" and block.template_id == dispute)[
            :1
        ]

    def _dunning_responsible_user(self):
        """The credit controller who handles the debtor's messages on this invoice.

        The debtor's salesperson or the invoice's, when they are credit controllers of the invoice's
        company; otherwise the first credit controller of that company.
        """
        self.ensure_one()
        group = self.env.ref("debtor_dunning.group_debtor_dunning_controller")
        controllers = group.sudo().all_user_ids.filtered(
            lambda user: user.active and not user.share and self.company_id in user.company_ids
        )
        for user in self.commercial_partner_id.user_id | self.invoice_user_id:
            if user in controllers:
                return user
        return controllers.sorted("id")[:1] or self.invoice_user_id or self.env.ref("base.user_admin")

    def _message_post_after_hook(self, message, msg_values):
        result = super()._message_post_after_hook(message, msg_values)
        if not self.env.context.get("debtor_dunning_skip_message_hook"):
            self._dunning_track_dialogue(message)
        return result

    def _dunning_track_dialogue(self, message):
        """Keep the debtor's messages up to date with what is written on the invoice.

        A message from the company that the debtor can read (not an internal note) answers his open
        messages; an e-mail from the debtor himself becomes a new question for the controller.
        """
        self.ensure_one()
        if message.message_type not in ("comment", "email") or not self.is_sale_document(include_receipts=True):
            return
        if message.is_internal or not message.subtype_id or message.subtype_id.internal:
            return
        author = message.author_id
        if author and author.user_ids.filtered(lambda user: not user.share):
            # sudo: whoever may post on the invoice closes the to-do of its debtor's messages.
            open_messages = self.sudo().dunning_debtor_message_ids.filtered(lambda record: record.state == "open")
            open_messages._mark_answered(message)
        elif (
            author
            and author.commercial_partner_id == self.commercial_partner_id
            and self.state == "posted"
            and self.move_type in ("out_invoice", "out_receipt")
        ):
            # sudo: an incoming e-mail runs as whoever receives it, not as a credit controller.
            self.env["debtor.dunning.debtor.message"].sudo()._record_debtor_email(self, message)
