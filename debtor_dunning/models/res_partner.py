# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_policy_id = fields.Many2one(
        "debtor.dunning.policy",
        string="Dunning Policy",
        company_dependent=True,
        domain="[('company_id', 'in', (False, current_company_id))]",
        help="Overrides the company's default dunning policy for this debtor.",
    )
    dunning_block_ids = fields.One2many("debtor.dunning.block", "partner_id", string="Dunning Blocks")
    dunning_communication_ids = fields.One2many(
        "debtor.dunning.communication",
        "partner_id",
        string="Dunning Letters",
        domain=[("state", "!=", "preview")],
    )
    dunning_open_move_ids = fields.One2many(
        "account.move",
        compute="_compute_dunning_open_moves",
        string="Open Invoices",
    )
    dunning_overdue_amount = fields.Monetary(
        compute="_compute_dunning_open_moves", string="Overdue", currency_field="currency_id"
    )
    dunning_block_count = fields.Integer(compute="_compute_dunning_block_count")

    @api.depends_context("company")
    def _compute_dunning_open_moves(self):
        today = fields.Date.context_today(self)
        Move = self.env["account.move"]
        moves = Move.search(
            Move._dunning_chased_domain()
            & Domain("commercial_partner_id", "in", self.commercial_partner_id.ids)
            & Domain("company_id", "=", self.env.company.id),
            order="dunning_date_due, id",
        )
        moves_by_debtor = moves.grouped("commercial_partner_id")
        for partner in self:
            own = moves_by_debtor.get(partner.commercial_partner_id, moves.browse())
            partner.dunning_open_move_ids = own
            partner.dunning_overdue_amount = sum(
                move.amount_residual_signed for move in own if move.dunning_date_due < today
            )

    def _compute_dunning_block_count(self):
        counts = dict(
            self.env["debtor.dunning.block"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids), ("state", "=", "active")],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.dunning_block_count = counts.get(partner.commercial_partner_id, 0)

    def _dunning_recipients(self):
        """{debtor id: recipient id}: the debtor's invoice address with a valid e-mail, as Odoo's
        invoicing picks it; the debtor himself when he has none. One search for the whole set."""
        contacts = self.search_fetch(
            [("parent_id", "in", self.ids), ("type", "=", "invoice"), ("email_normalized", "!=", False)],
            ["parent_id"],
            order="id",
        )
        recipients = {partner.id: partner.id for partner in self}
        for contact in reversed(contacts):
            recipients[contact.parent_id.id] = contact.id
        return recipients

    def action_view_dunning_blocks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("debtor_dunning.action_debtor_dunning_block")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
