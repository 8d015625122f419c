# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.statutory import allocate_payment


class DebtorDunningCollectionPayment(models.TransientModel):
    """What the agency remits for a case: the amount it received from the debtor and its fee.

    The amount is split by art. 6:44 BW (costs, then interest, then principal): the principal is
    booked on the invoices (reconciled), the costs and interest as income, the fee as an expense;
    what reaches the bank is the amount less the fee.
    """

    _name = "debtor.dunning.collection.payment"
    _description = "Collection Agency Remittance"

    case_id = fields.Many2one("debtor.dunning.collection.case", required=True)
    company_id = fields.Many2one(related="case_id.company_id")
    currency_id = fields.Many2one(related="case_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(string="Received from the Debtor", required=True)
    fee_amount = fields.Monetary(string="Agency Fee")
    journal_id = fields.Many2one(
        "account.journal",
        string="Received In",
        required=True,
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
        help="The bank journal where the agency's transfer (the amount less its fee) arrives.",
    )
    costs_part = fields.Monetary(compute="_compute_allocation", string="To Collection Costs")
    interest_part = fields.Monetary(compute="_compute_allocation", string="To Interest")
    principal_part = fields.Monetary(compute="_compute_allocation", string="To the Invoices")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        case = self.env["debtor.dunning.collection.case"].browse(values.get("case_id"))
        if case and "journal_id" in fields_list and not values.get("journal_id"):
            values["journal_id"] = (
                self.env["account.journal"]
                .search([("type", "=", "bank"), ("company_id", "=", case.company_id.id)], limit=1)
                .id
            )
        return values

    def _allocation(self):
        self.ensure_one()
        case = self.case_id
        return allocate_payment(
            self.amount,
            case.costs_amount - case.costs_paid_amount,
            case.interest_amount - case.interest_paid_amount,
            sum(case.move_ids.mapped("amount_residual")),
        )

    @api.depends("amount", "case_id")
    def _compute_allocation(self):
        for wizard in self:
            allocation = wizard._allocation()
            wizard.costs_part = float(allocation.costs)
            wizard.interest_part = float(allocation.interest)
            wizard.principal_part = float(allocation.principal)

    def action_confirm(self):
        self.ensure_one()
        case = self.case_id
        case._check_manager()
        if case.state != "handed_over":
            raise UserError(self.env._("Only a case with the agency can receive a remittance."))
        if (
            self.currency_id.compare_amounts(self.amount, 0) <= 0
            or self.currency_id.compare_amounts(self.fee_amount, 0) < 0
        ):
            raise UserError(self.env._("Enter the amount the agency received (positive) and its fee (zero or more)."))
        if self.currency_id.compare_amounts(self.fee_amount, self.amount) > 0:
            raise UserError(self.env._("The agency's fee cannot exceed what it received."))
        allocation = self._allocation()
        if allocation.surplus:
            raise UserError(
                self.env._(
                    "The agency received %(surplus)s more than the debtor owes on this case: book the surplus "
                    "as a payment of the debtor instead.",
                    surplus=allocation.surplus,
                )
            )
        company = case.company_id
        income_account = company.dunning_collection_income_account_id
        fee_account = company.dunning_collection_fee_account_id
        if (allocation.costs or allocation.interest) and not income_account:
            raise UserError(self.env._("Set the income account for collection costs and interest in the settings."))
        if self.fee_amount and not fee_account:
            raise UserError(self.env._("Set the agency fee account in the settings."))
        bank_account = self.journal_id.default_account_id
        if not bank_account:
            raise UserError(self.env._("The journal %s has no default account.", self.journal_id.display_name))
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.journal_id.id,
                "date": self.date,
                "ref": self.env._("Remittance %(agency)s - %(case)s", agency=case.agency_id.name, case=case.name),
                "line_ids": self._remittance_lines(allocation, bank_account, income_account, fee_account),
            }
        )
        move.action_post()
        for invoice in case.move_ids:
            receivable = (move.line_ids | invoice.line_ids).filtered(
                lambda line, invoice=invoice: (
                    line.account_id.account_type == "asset_receivable"
                    and not line.reconciled
                    and (line.move_id == invoice or line.name == invoice.name)
                )
            )
            if len(receivable.move_id) == 2:
                receivable.reconcile()
        case.write(
            {
                "costs_paid_amount": case.costs_paid_amount + float(allocation.costs),
                "interest_paid_amount": case.interest_paid_amount + float(allocation.interest),
                "fee_amount": case.fee_amount + self.fee_amount,
                "remittance_move_ids": [fields.Command.link(move.id)],
            }
        )
        case._update_paid_state()
        case.message_post(
            body=self.env._(
                "Remittance of %(amount)s booked: costs %(costs)s, interest %(interest)s, principal %(principal)s, "
                "agency fee %(fee)s.",
                amount=self.amount,
                costs=allocation.costs,
                interest=allocation.interest,
                principal=allocation.principal,
                fee=self.fee_amount,
            )
        )
        return {"type": "ir.actions.act_window_close"}

    def _remittance_lines(self, allocation, bank_account, income_account, fee_account):
        """The entry's lines in the case's currency: bank and fee on the debit side, income and the
        principal per invoice (oldest due first, by name so each reconciles with its invoice) on the credit."""
        case = self.case_id
        lines = []

        def line(account, amount, name, partner=None):
            converted = case.currency_id._convert(amount, case.company_id.currency_id, case.company_id, self.date)
            lines.append(
                fields.Command.create(
                    {
                        "account_id": account.id,
                        "name": name,
                        "partner_id": partner.id if partner else case.partner_id.id,
                        "currency_id": case.currency_id.id,
                        "amount_currency": amount,
                        "balance": converted,
                    }
                )
            )

        line(bank_account, self.amount - self.fee_amount, self.env._("Remitted by %s", case.agency_id.name))
        if self.fee_amount:
            line(fee_account, self.fee_amount, self.env._("Fee %s", case.agency_id.name))
        if allocation.costs:
            line(income_account, -float(allocation.costs), self.env._("Collection costs %s", case.name))
        if allocation.interest:
            line(income_account, -float(allocation.interest), self.env._("Statutory interest %s", case.name))
        remaining = float(allocation.principal)
        for invoice in case.move_ids.filtered("amount_residual").sorted(lambda m: (m.invoice_date_due, m.id)):
            if case.currency_id.is_zero(remaining):
                break
            part = min(remaining, invoice.amount_residual)
            receivable = invoice.line_ids.filtered(
                lambda move_line: move_line.account_id.account_type == "asset_receivable"
            )[:1]
            line(receivable.account_id, -part, invoice.name, invoice.commercial_partner_id)
            remaining -= part
        return lines
