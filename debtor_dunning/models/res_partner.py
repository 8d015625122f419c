# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from .dunning_rules import chased_move_sql, open_instalment_sql, overdue_instalment_sql


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
        Move = self.env["account.move"]
        debtors = self.commercial_partner_id
        moves = Move.search(
            Move._dunning_chased_domain()
            & Domain("commercial_partner_id", "in", debtors.ids)
            & Domain("company_id", "=", self.env.company.id),
            order="dunning_date_due, id",
        )
        moves_by_debtor = moves.grouped("commercial_partner_id")
        overdue = debtors._dunning_overdue_amounts() if moves else {}
        for partner in self:
            partner.dunning_open_move_ids = moves_by_debtor.get(partner.commercial_partner_id, moves.browse())
            partner.dunning_overdue_amount = overdue.get(partner.commercial_partner_id.id, 0.0)

    def _dunning_overdue_amounts(self, company=None, on_date=None):
        """{debtor id: overdue amount in the company's currency} on `on_date` (default today) in
        `company` (default the current one), as the run counts it.

        Only the open instalments past their own due date (`dunning_rules.overdue_instalment_sql`),
        the figure the run compares with the policy's minimum and a letter states as overdue.
        """
        Move = self.env["account.move"]
        Move.flush_model()
        self.env["account.move.line"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.commercial_partner_id, SUM(l.amount_residual)
                  FROM account_move m
                  JOIN account_move_line l ON l.move_id = m.id
                  JOIN account_account a ON a.id = l.account_id
                 WHERE m.company_id = %(company)s
                   AND m.commercial_partner_id IN %(debtors)s
                   AND %(chased)s
                   AND %(open_instalment)s
                   AND %(overdue)s
                 GROUP BY 1
                """,
                company=(company or self.env.company).id,
                debtors=tuple(self.ids),
                chased=chased_move_sql("m"),
                open_instalment=open_instalment_sql("l", "a"),
                overdue=overdue_instalment_sql("m", "l", on_date or fields.Date.context_today(self)),
            )
        )
        return dict(rows)

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
