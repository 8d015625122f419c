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
        index="btree_not_null",
        readonly=True,
        help="The last dunning level this invoice reached.",
    )
    dunning_last_date = fields.Date(string="Last Letter", compute="_compute_dunning_level", store=True, readonly=True)
    dunning_state = fields.Selection(
        DUNNING_STATES,
        compute="_compute_dunning_state",
        store=True,
        index=True,
        readonly=True,
        help="Where the invoice stands in the dunning procedure.",
    )
    dunning_next_level_id = fields.Many2one(
        "debtor.dunning.level", string="Next Dunning Step", compute="_compute_dunning_next_step"
    )
    dunning_next_date = fields.Date(string="Next Step Expected", compute="_compute_dunning_next_step")

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
                date_due=move.invoice_date_due,
                last_level_id=move.dunning_level_id.id or None,
                last_letter_date=move.dunning_last_date or None,
            )
            rule, when = expected_next_step(policy._level_rules(), history, today)
            if rule:
                move.dunning_next_level_id = rule.level_id
                move.dunning_next_date = when

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
