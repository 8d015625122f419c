# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.debtor_dunning.models.dunning_rules import CHASED_MOVE_TYPES, OPEN_PAYMENT_STATES
from odoo.exceptions import AccessError, UserError

WRITE_OFF_REASONS = [
    ("bankruptcy", "Bankruptcy"),
    ("uncollectible", "Uncollectible"),
    ("small_balance", "Small Balance"),
    ("other", "Other"),
]


class DebtorDunningWriteOff(models.TransientModel):
    """Write the unpaid part of invoices off as bad debt: one entry per invoice, reconciled with its
    receivable so the invoice reads as written off; with VAT relief the VAT share of the unpaid part
    is reclaimed through the tax's refund repartition, so Odoo's tax report shows it."""

    _name = "debtor.dunning.write.off"
    _description = "Write Off Bad Debt"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    case_id = fields.Many2one("debtor.dunning.collection.case")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date = fields.Date(required=True, default=fields.Date.context_today)
    reason = fields.Selection(WRITE_OFF_REASONS, required=True, default="uncollectible")
    note = fields.Char()
    account_id = fields.Many2one(
        "account.account",
        string="Bad Debt Account",
        required=True,
        domain="[('account_type', 'in', ('expense', 'expense_other'))]",
    )
    journal_id = fields.Many2one(
        "account.journal", required=True, domain="[('type', '=', 'general'), ('company_id', '=', company_id)]"
    )
    mode = fields.Selection(
        [("write_off", "Write Off"), ("vat_relief", "VAT Relief Only")],
        required=True,
        default="write_off",
        help="VAT Relief Only reclaims the VAT of the unpaid part while the claim is still collected (the "
        "Dutch right arises one year after the due date at the latest): the invoice stays open, and a "
        "later payment makes its share of the VAT due again.",
    )
    vat_relief = fields.Boolean(
        string="Reclaim VAT",
        default=True,
        help="Reclaim the VAT share of the unpaid part (bad-debt relief): the tax report shows it as a "
        "negative amount in the period of the write-off.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        move_ids = context.get("default_move_ids")
        if not move_ids and context.get("active_model") == "account.move":
            move_ids = context.get("active_ids")
            if move_ids:
                values["move_ids"] = [fields.Command.set(move_ids)]
        moves = self.env["account.move"].browse(move_ids or [])
        company = moves.company_id[:1] or self.env.company
        values.setdefault("company_id", company.id)
        if "account_id" in fields_list and not values.get("account_id"):
            values["account_id"] = company.dunning_write_off_account_id.id
        if "journal_id" in fields_list and not values.get("journal_id"):
            values["journal_id"] = company._dunning_write_off_journal().id
        return values

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("debtor_dunning.group_debtor_dunning_manager"):
            raise AccessError(self.env._("Only a Credit Manager can write invoices off."))
        moves = self.move_ids
        unfit = moves.filtered(
            lambda move: (
                move.state != "posted"
                or move.move_type not in CHASED_MOVE_TYPES
                or move.payment_state not in OPEN_PAYMENT_STATES
                or move.company_id != self.company_id
            )
        )
        if unfit:
            raise UserError(
                self.env._(
                    "Only open customer invoices of %(company)s can be written off: %(invoices)s.",
                    company=self.company_id.name,
                    invoices=", ".join(unfit.mapped("display_name")),
                )
            )
        entries = self.env["account.move"]
        if self.mode == "vat_relief":
            relieved = moves.filtered(lambda move: move.dunning_vat_relief_move_id or not move.amount_tax)
            if relieved:
                raise UserError(
                    self.env._(
                        "No VAT to reclaim on: %s (no VAT, or the relief is already booked).",
                        ", ".join(relieved.mapped("display_name")),
                    )
                )
            for move in moves:
                entries |= self._book_vat_relief(move)
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("VAT Relief Entries"),
                "res_model": "account.move",
                "view_mode": "list,form",
                "domain": [("id", "in", entries.ids)],
            }
        for move in moves:
            entries |= self._write_off(move)
        for case in moves.dunning_case_id:
            written = moves.filtered(lambda move, case=case: move.dunning_case_id == case)
            case.written_off_amount += sum(written.mapped("dunning_write_off_amount"))
            if case.state == "handed_over" and case.currency_id.is_zero(case.amount_due):
                case.state = "closed"
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write-off Entries"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", entries.ids)],
        }

    def _write_off(self, move):
        """Book one invoice's write-off entry, post it and reconcile it with the invoice."""
        receivables = move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        unpaid_currency = sum(receivables.mapped("amount_residual_currency"))
        unpaid = sum(receivables.mapped("amount_residual"))
        ratio = unpaid_currency / move.amount_total if move.amount_total else 0.0
        label = self.env._(
            "Write-off %(invoice)s: %(reason)s",
            invoice=move.name,
            reason=dict(self._fields["reason"]._description_selection(self.env))[self.reason],
        )
        lines = [
            {
                "name": label,
                "account_id": receivables[:1].account_id.id,
                "partner_id": move.commercial_partner_id.id,
                "currency_id": move.currency_id.id,
                "amount_currency": -unpaid_currency,
                "balance": -unpaid,
            }
        ]
        # An invoice whose VAT was reclaimed already (VAT relief only) reclaims nothing twice.
        if self.vat_relief and move.amount_tax and not move.dunning_vat_relief_move_id:
            # The untaxed part of each invoice line in the unpaid share, with the line's taxes: Odoo
            # adds the tax lines on the taxes' refund repartition (a debit on a sales tax).
            for product_line in move.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
                part = move.currency_id.round(-product_line.amount_currency * ratio)
                lines.append(
                    {
                        "name": label,
                        "account_id": self.account_id.id,
                        "currency_id": move.currency_id.id,
                        "amount_currency": part,
                        "balance": move.company_id.currency_id.round(-product_line.balance * ratio),
                        "tax_ids": [fields.Command.set(product_line.tax_ids.ids)],
                        "partner_id": move.commercial_partner_id.id,
                    }
                )
        else:
            lines.append(
                {
                    "name": label,
                    "account_id": self.account_id.id,
                    "currency_id": move.currency_id.id,
                    "amount_currency": unpaid_currency,
                    "balance": unpaid,
                    "partner_id": move.commercial_partner_id.id,
                }
            )
        entry = move._dunning_post_entry(lines, label, self.journal_id, self.date, self.account_id)
        (receivables | entry.line_ids.filtered(lambda line: line.account_id == receivables[:1].account_id)).reconcile()
        relief = sum(entry.line_ids.filtered("tax_repartition_line_id").mapped("balance"))
        move.write(
            {
                "dunning_written_off": True,
                "dunning_write_off_move_id": entry.id,
                "dunning_write_off_amount": unpaid_currency,
                "dunning_vat_relief_amount": move.dunning_vat_relief_amount + relief,
                "dunning_vat_relief_move_id": entry.id if relief else move.dunning_vat_relief_move_id.id,
            }
        )
        entry.message_post(body=self.env._("Written off: %s", self.note or label))
        return entry

    def _book_vat_relief(self, move):
        """Reclaim the VAT share of the unpaid part of an invoice still being collected: the
        invoice stays open; a later payment makes its share due again (the run's daily step)."""
        unpaid = move.amount_residual
        share = unpaid / move.amount_total if move.amount_total else 0.0
        label = self.env._("VAT relief %(invoice)s", invoice=move.name)
        lines = move._dunning_vat_share_lines(share, label, refund=True, account=self.account_id)
        entry = move._dunning_post_entry(lines, label, self.journal_id, self.date, self.account_id)
        move.write(
            {
                "dunning_vat_relief_amount": sum(entry.line_ids.filtered("tax_repartition_line_id").mapped("balance")),
                "dunning_vat_relief_move_id": entry.id,
                "dunning_vat_relief_residual": unpaid,
                "dunning_vat_relief_repaid_amount": 0.0,
            }
        )
        return entry
