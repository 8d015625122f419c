# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .dunning_rules import CHASED_MOVE_TYPES, HELD_PAYMENT_STATES, OPEN_PAYMENT_STATES

# What the debtor reads in the customer portal about where his invoice stands.
DUNNING_PORTAL_STATUSES = [
    ("due", "Due"),
    ("overdue", "Overdue"),
    ("in_arrangement", "In Payment Arrangement"),
    ("paused", "Paused"),
    ("paid", "Paid"),
]


class AccountMove(models.Model):
    """The invoice as its debtor sees it in the portal, and the dialogue with him about it."""

    _inherit = "account.move"

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

    def _compute_dunning_debtor_message_count(self):
        counts = dict(
            self.env["debtor.dunning.debtor.message"]._read_group(
                [("move_id", "in", self.ids)], ["move_id"], ["__count"]
            )
        )
        for move in self:
            move.dunning_debtor_message_count = counts.get(move, 0)

    @api.depends("state", "move_type", "payment_state", "dunning_date_due", "dunning_state")
    @api.depends_context("company")
    def _compute_dunning_portal_status(self):
        statuses = self._dunning_portal_statuses()
        for move in self:
            move.dunning_portal_status = statuses.get(move.id, False)

    def _dunning_portal_statuses(self):
        """{move id: status} of these invoices as the debtor reads them in the portal.

        `paid`, `paused` (a block), `overdue` (past the due date the dunning counts from) or `due`;
        documents that are not chased have none. A hook for the whole set: an add-on refines the
        open ones in one query, e.g. the arrangement add-on::

            def _dunning_portal_statuses(self):
                statuses = super()._dunning_portal_statuses()
                for move in self._arranged():  # one search for the set
                    if statuses.get(move.id) in ("due", "overdue"):
                        statuses[move.id] = "in_arrangement"
                return statuses
        """
        today = fields.Date.context_today(self)
        statuses = {}
        for move in self:
            if move.state != "posted" or move.move_type not in CHASED_MOVE_TYPES:
                continue
            if move.payment_state not in OPEN_PAYMENT_STATES + HELD_PAYMENT_STATES:
                statuses[move.id] = "paid"
            elif move.dunning_state == "blocked":
                statuses[move.id] = "paused"
            elif move.dunning_date_due and move.dunning_date_due < today:
                statuses[move.id] = "overdue"
            else:
                statuses[move.id] = "due"
        return statuses

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
        # sudo: a group's members are readable by administrators only; whoever writes on the
        # invoice (the debtor from the portal, too) needs to know which controller answers him.
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
        if message.message_type not in ("comment", "email") or self.move_type not in CHASED_MOVE_TYPES:
            return
        if message.is_internal or not message.subtype_id or message.subtype_id.internal:
            return
        author = message.author_id
        if author and author.user_ids.filtered(lambda user: not user.share):
            # sudo: whoever may post on the invoice closes the to-do of its debtor's messages.
            open_messages = self.sudo().dunning_debtor_message_ids.filtered(lambda record: record.state == "open")
            open_messages._mark_answered(message)
        elif author and author.commercial_partner_id == self.commercial_partner_id and self.dunning_is_chased:
            # sudo: an incoming e-mail runs as whoever receives it, not as a credit controller.
            self.env["debtor.dunning.debtor.message"].sudo()._record_debtor_email(self, message)
