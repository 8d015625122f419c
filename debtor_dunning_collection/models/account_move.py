# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.debtor_dunning.models.dunning_rules import CHASED_MOVE_TYPES, boolean_search_domain
from odoo.fields import Domain

from .statutory import LIMITATION_YEARS, LIMITATION_YEARS_CONSUMER_PURCHASE, limitation_date

# An open invoice is flagged this many days before it is time-barred.
LIMITATION_WARNING_DAYS = 90
# VAT on an invoice still unpaid this long after its due date may be reclaimed (art. 29 Wet OB).
VAT_RELIEF_AFTER = relativedelta(years=1)


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_case_id = fields.Many2one(
        "debtor.dunning.collection.case",
        string="Collection Case",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The case under which this invoice was handed to a collection agency.",
    )
    dunning_written_off = fields.Boolean(
        string="Written Off",
        readonly=True,
        copy=False,
        help="The unpaid part of this invoice was written off as bad debt.",
    )
    dunning_write_off_move_id = fields.Many2one(
        "account.move", string="Write-off Entry", readonly=True, copy=False, index="btree_not_null"
    )
    dunning_write_off_amount = fields.Monetary(
        string="Amount Written Off", currency_field="currency_id", readonly=True, copy=False
    )
    dunning_write_off_source_id = fields.Many2one(
        "account.move",
        string="Written-off Invoice",
        readonly=True,
        copy=False,
        help="On a write-off entry: the invoice it wrote off.",
    )
    dunning_vat_relief_amount = fields.Monetary(
        string="VAT Relief",
        currency_field="company_currency_id",
        readonly=True,
        copy=False,
        help="The VAT reclaimed on the unpaid part of this invoice (bad-debt relief); a later payment makes "
        "its share of it due again.",
    )
    dunning_vat_relief_move_id = fields.Many2one(
        "account.move", string="VAT Relief Entry", readonly=True, copy=False, index="btree_not_null"
    )
    dunning_vat_relief_residual = fields.Monetary(
        string="Open When Relieved",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="What was unpaid when the VAT relief was booked: a later payment of it makes that share of the "
        "relief due again.",
    )
    dunning_vat_relief_repaid_amount = fields.Monetary(
        string="VAT Due Again",
        currency_field="company_currency_id",
        readonly=True,
        copy=False,
        help="The part of the VAT relief booked as due again after the debtor paid.",
    )
    dunning_limitation_date = fields.Date(
        string="Time-barred After",
        compute="_compute_dunning_limitation_date",
        store=True,
        help="The last day before the claim is time-barred: five years after the due date (two for a consumer "
        "purchase, a policy option), restarted by each written reminder sent (art. 3:317 and 3:319 BW).",
    )

    @api.depends(
        "move_type",
        "invoice_date_due",
        "partner_id.is_company",
        "dunning_line_ids.date",
        "dunning_line_ids.is_cancelled",
        "dunning_line_ids.communication_id.state",
    )
    def _compute_dunning_limitation_date(self):
        chased = self.filtered(lambda move: move.move_type in CHASED_MOVE_TYPES and move.invoice_date_due)
        (self - chased).dunning_limitation_date = False
        if not chased:
            return
        reminders = defaultdict(list)
        saved = chased.filtered("id")
        lines = self.env["debtor.dunning.communication.line"].search_fetch(
            [
                ("move_id", "in", saved._origin.ids),
                ("is_cancelled", "=", False),
                ("communication_id.state", "=", "sent"),
                "|",
                ("communication_id.channel_email", "=", True),
                ("communication_id.channel_letter", "=", True),
            ],
            ["move_id", "date"],
        )
        for line in lines:
            reminders[line.move_id.id].append(line.date)
        # The debtors' policies (own, risk class's, default) in one query per company. (A change of
        # risk class does not recompute this stored date; the next letter or payment does.)
        policies = {
            company.id: moves.commercial_partner_id._dunning_policies(company)
            for company, moves in chased.grouped("company_id").items()
        }
        for move in chased:
            partner = move.commercial_partner_id
            policy = policies[move.company_id.id].get(partner.id) or move.company_id.dunning_policy_id
            consumer_purchase = policy.collection_consumer_purchase and not partner.is_company
            years = LIMITATION_YEARS_CONSUMER_PURCHASE if consumer_purchase else LIMITATION_YEARS
            move.dunning_limitation_date = limitation_date(
                move.invoice_date_due, reminders.get(move._origin.id, ()), years=years
            )

    dunning_limitation_soon = fields.Boolean(
        string="Time-barred Soon",
        compute="_compute_dunning_flags",
        search="_search_dunning_limitation_soon",
        help="Open and time-barred within 90 days.",
    )
    dunning_vat_relief_due = fields.Boolean(
        string="VAT Relief Due",
        compute="_compute_dunning_flags",
        search="_search_dunning_vat_relief_due",
        help="Unpaid a year after its due date, with VAT, and no relief booked yet.",
    )

    @api.model
    def _dunning_limitation_soon_domain(self, today=None):
        """Open invoices time-barred within `LIMITATION_WARNING_DAYS` of `today`: the one rule the
        search filter, the debtor's warning and the overview's work queue read."""
        today = today or fields.Date.context_today(self)
        return Domain(
            [
                ("dunning_limitation_date", "<=", today + timedelta(days=LIMITATION_WARNING_DAYS)),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ]
        )

    @api.model
    def _dunning_vat_relief_due_domain(self, today=None):
        """Invoices whose VAT may be reclaimed and was not: unpaid `VAT_RELIEF_AFTER` past their due date."""
        today = today or fields.Date.context_today(self)
        return Domain(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("invoice_date_due", "<", today - VAT_RELIEF_AFTER),
                ("payment_state", "in", ("not_paid", "partial")),
                ("dunning_vat_relief_move_id", "=", False),
                ("amount_tax", "!=", 0),
            ]
        )

    def _compute_dunning_flags(self):
        saved = self.filtered("id")
        soon = self.search(Domain("id", "in", saved.ids) & self._dunning_limitation_soon_domain()) if saved else saved
        relief = self.search(Domain("id", "in", saved.ids) & self._dunning_vat_relief_due_domain()) if saved else saved
        for move in self:
            move.dunning_limitation_soon = move in soon
            move.dunning_vat_relief_due = move in relief

    def _search_dunning_limitation_soon(self, operator, value):
        return boolean_search_domain(self._dunning_limitation_soon_domain(), operator, value)

    def _search_dunning_vat_relief_due(self, operator, value):
        return boolean_search_domain(self._dunning_vat_relief_due_domain(), operator, value)

    def _dunning_handed_over(self):
        """These invoices that an agency collects now."""
        # sudo: the portal's invoice list reads this for the debtor's own invoices (whether to offer a
        # payment button); it learns only whether a case is open, never the case itself.
        handed_over = self.sudo().filtered(lambda move: move.dunning_case_id.state in ("to_approve", "handed_over"))
        return self.browse(handed_over.ids)

    def _has_to_be_paid(self):
        # The debtor pays the agency now: no payment button of ours in the portal.
        if self._dunning_handed_over():
            return False
        return super()._has_to_be_paid()

    def _dunning_portal_statuses(self):
        statuses = super()._dunning_portal_statuses()
        for move in self._dunning_handed_over():
            if statuses.get(move.id) in ("due", "overdue", "paused"):
                statuses[move.id] = "handed_over"
        return statuses

    dunning_portal_status = fields.Selection(
        selection_add=[("handed_over", "Handed to a collection agency")], ondelete={"handed_over": "set null"}
    )

    def action_dunning_hand_over(self):
        """Open the wizard to hand these invoices over to a collection agency."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Over to a Collection Agency"),
            "res_model": "debtor.dunning.collection.handover",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    def action_dunning_write_off(self):
        """Open the write-off wizard for these invoices."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write Off"),
            "res_model": "debtor.dunning.write.off",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    # ------------------------------------------------------------------ VAT relief entries
    def _dunning_vat_share_lines(self, share, label, refund, account):
        """Lines moving ``share`` of this invoice's VAT: bases on ``account`` with the invoice lines'
        taxes (Odoo adds the tax lines: the refund repartition for a debit on a sales tax, the
        invoice repartition for a credit), each offset on ``account`` without tax."""
        self.ensure_one()
        sign = 1 if refund else -1
        lines = []
        for product_line in self.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
            amount_currency = self.currency_id.round(-product_line.amount_currency * share) * sign
            balance = self.company_id.currency_id.round(-product_line.balance * share) * sign
            common = {
                "name": label,
                "account_id": account.id,
                "currency_id": self.currency_id.id,
                "partner_id": self.commercial_partner_id.id,
            }
            lines.append(
                common
                | {
                    "amount_currency": amount_currency,
                    "balance": balance,
                    "tax_ids": [fields.Command.set(product_line.tax_ids.ids)],
                }
            )
            lines.append(common | {"amount_currency": -amount_currency, "balance": -balance})
        return lines

    def _dunning_post_entry(self, lines, label, journal, date, account):
        """Create and post an entry of ``lines`` about this invoice; what the shares' rounding and the
        tax lines Odoo adds leave unbalanced goes to ``account``, without tax."""
        self.ensure_one()
        entry = (
            self.env["account.move"]
            .with_context(check_move_validity=False)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": date,
                    "ref": label,
                    "dunning_write_off_source_id": self.id,
                    "line_ids": [fields.Command.create(values) for values in lines],
                }
            )
        )
        difference = -sum(entry.line_ids.mapped("balance"))
        difference_currency = -sum(entry.line_ids.mapped("amount_currency"))
        if not self.company_id.currency_id.is_zero(difference) or not self.currency_id.is_zero(difference_currency):
            entry.with_context(check_move_validity=False).line_ids = [
                fields.Command.create(
                    {
                        "name": label,
                        "account_id": account.id,
                        "currency_id": self.currency_id.id,
                        "amount_currency": difference_currency,
                        "balance": difference,
                        "partner_id": self.commercial_partner_id.id,
                    }
                )
            ]
        entry.action_post()
        return entry

    def _dunning_book_vat_due_again(self, on_date):
        """For these relieved invoices still collected: book the VAT their payments since the relief
        make due again, pro rata (the relief times the share of the then unpaid amount now paid).
        Returns the entries."""
        entries = self.env["account.move"]
        for move in self.filtered(
            lambda move: (
                move.dunning_vat_relief_move_id
                and not move.dunning_written_off
                and move.dunning_vat_relief_residual
                and move.amount_tax
            )
        ):
            paid = max(move.dunning_vat_relief_residual - move.amount_residual, 0.0)
            due_again = move.dunning_vat_relief_amount * min(paid / move.dunning_vat_relief_residual, 1.0)
            todo = move.company_currency_id.round(due_again - move.dunning_vat_relief_repaid_amount)
            if move.company_currency_id.compare_amounts(todo, 0.0) <= 0:
                continue
            company = move.company_id
            account = company.dunning_write_off_account_id
            journal = company._dunning_write_off_journal()
            if not account or not journal:
                continue
            label = self.env._("VAT due again %(invoice)s", invoice=move.name)
            share = todo / (move.amount_tax_signed or move.amount_tax)
            entry = move._dunning_post_entry(
                move._dunning_vat_share_lines(share, label, refund=False, account=account),
                label,
                journal,
                on_date,
                account,
            )
            move.dunning_vat_relief_repaid_amount += -sum(
                entry.line_ids.filtered("tax_repartition_line_id").mapped("balance")
            )
            entries |= entry
        return entries
