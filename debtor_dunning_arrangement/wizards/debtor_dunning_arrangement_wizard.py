# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class DebtorDunningArrangementWizard(models.TransientModel):
    """ "Payment Arrangement": start a draft arrangement for the selected invoices of one debtor."""

    _name = "debtor.dunning.arrangement.wizard"
    _description = "Payment Arrangement Wizard"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Debtor", required=True, readonly=True)
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', 'in', ('out_invoice', 'out_receipt')),"
        " ('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_amount_total")
    amount_total = fields.Monetary(string="Open Amount", compute="_compute_amount_total")
    template_id = fields.Many2one(
        "debtor.dunning.arrangement.template", string="Template", required=True, check_company=True
    )
    date_first = fields.Date(string="First Instalment", compute="_compute_date_first", store=True, readonly=False)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        Move = self.env["account.move"]
        if context.get("active_model") == "account.move" and context.get("active_ids"):
            moves = Move.browse(context["active_ids"])
            debtors = moves.commercial_partner_id
            if len(debtors) > 1:
                raise UserError(
                    self.env._(
                        "An arrangement covers the invoices of one debtor; the selection holds invoices of %s.",
                        ", ".join(debtors.mapped("display_name")),
                    )
                )
            values.update(partner_id=debtors.id, move_ids=[fields.Command.set(moves.ids)])
            if len(moves.company_id) == 1:
                values["company_id"] = moves.company_id.id
        elif context.get("active_model") == "res.partner" and context.get("active_id"):
            debtor = self.env["res.partner"].browse(context["active_id"]).commercial_partner_id
            moves = Move.search(
                Move._dunning_chased_domain()
                & Domain([("commercial_partner_id", "=", debtor.id), ("company_id", "=", self.env.company.id)])
            )
            held = self.env["debtor.dunning.arrangement"]._holding_moves(set(moves.ids), ("proposed", "active"))
            values.update(
                partner_id=debtor.id, move_ids=[fields.Command.set([m.id for m in moves if m.id not in held])]
            )
        if "template_id" in fields_list and not values.get("template_id"):
            template = self.env["debtor.dunning.arrangement.template"].search(
                [("company_id", "=", values.get("company_id") or self.env.company.id)], limit=1
            )
            values["template_id"] = template.id
        return values

    @api.depends("move_ids")
    def _compute_amount_total(self):
        for wizard in self:
            wizard.currency_id = wizard.move_ids[:1].currency_id or wizard.company_id.currency_id
            wizard.amount_total = sum(wizard.move_ids.mapped("amount_residual"))

    @api.depends("template_id")
    def _compute_date_first(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.date_first = fields.Date.add(today, days=wizard.template_id.first_instalment_delay_days)

    def action_create_arrangement(self):
        """Create the draft arrangement with its computed schedule, and open it for fine-tuning."""
        self.ensure_one()
        Arrangement = self.env["debtor.dunning.arrangement"]
        problems = Arrangement._arrangeable_problems(self.move_ids, self.partner_id, self.company_id)
        if problems:
            raise UserError("\n".join(problems))
        arrangement = Arrangement.create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "template_id": self.template_id.id,
                "move_ids": [fields.Command.set(self.move_ids.ids)],
                "date_first": self.date_first,
            }
        )
        arrangement.action_compute_instalments()
        return {
            "type": "ir.actions.act_window",
            "res_model": Arrangement._name,
            "res_id": arrangement.id,
            "view_mode": "form",
            "target": "current",
        }
