# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, float_compare

from .dunning_rules import CHASED_MOVE_TYPES, OPEN_PAYMENT_STATES
from .matching import (
    MIN_PARTNER_NAME_LENGTH,
    NAME_PREFIX_LENGTH,
    Credit,
    OpenInvoice,
    letter_references_in,
    name_prefixes_in,
    rank_suggestions,
    reference_tokens,
    sanitize_account_number,
)

# The most open invoices read per credit: the debtor's oldest, plus those the credit names.
CANDIDATE_LIMIT = 200
# The documents a credit is matched with: the ones the dunning chases.
OPEN_INVOICE_TYPES = CHASED_MOVE_TYPES


class DebtorDunningUnmatched(models.Model):
    """A credit on a receivable account that nothing is reconciled with yet.

    Incoming payments, bank statement entries booked on the receivable and credit notes: every
    unreconciled credit journal item on a receivable account of a posted entry that is not a
    customer invoice; and the incoming bank statement lines not reconciled yet, by their line on
    the journal's suspense account. Amounts are positive, in the company's currency. The record's
    id is the journal item's.
    """

    _name = "debtor.dunning.unmatched"
    _description = "Unmatched Payment"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "label"
    _depends = {
        "account.move.line": [
            "move_id",
            "company_id",
            "account_id",
            "partner_id",
            "date",
            "name",
            "amount_residual",
            "reconciled",
        ],
        "account.move": ["state", "move_type", "ref", "statement_line_id"],
        "account.account": ["account_type"],
        "account.bank.statement.line": ["account_number", "payment_ref", "partner_id", "is_reconciled"],
        "account.journal": ["suspense_account_id"],
    }

    move_line_id = fields.Many2one("account.move.line", string="Journal Item", readonly=True)
    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    journal_id = fields.Many2one("account.journal", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    date = fields.Date(readonly=True)
    label = fields.Char(readonly=True)
    reference = fields.Char(readonly=True)
    bank_account = fields.Char(string="Bank Account Number", readonly=True)
    amount = fields.Monetary(string="Unmatched Amount", currency_field="currency_id", readonly=True)
    source = fields.Selection(
        [
            ("payment", "Payment"),
            ("statement_line", "Bank Statement Line"),
            ("credit_note", "Credit Note"),
            ("entry", "Journal Entry"),
        ],
        readonly=True,
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT l.id, l.id AS move_line_id, l.move_id, l.journal_id, l.company_id, c.currency_id,
                   p.commercial_partner_id AS partner_id, l.date, l.name AS label,
                   COALESCE(NULLIF(m.ref, ''), st.payment_ref) AS reference, st.account_number AS bank_account,
                   -l.amount_residual AS amount,
                   CASE WHEN m.statement_line_id IS NOT NULL THEN 'statement_line'
                        WHEN m.origin_payment_id IS NOT NULL THEN 'payment'
                        WHEN m.move_type = 'out_refund' THEN 'credit_note'
                        ELSE 'entry' END AS source
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
              JOIN account_account a ON a.id = l.account_id
              JOIN res_company c ON c.id = l.company_id
              LEFT JOIN res_partner p ON p.id = l.partner_id
              LEFT JOIN account_bank_statement_line st ON st.id = m.statement_line_id
             WHERE m.state = 'posted'
               AND m.move_type NOT IN %(invoice_types)s
               AND a.account_type = 'asset_receivable'
               AND l.reconciled IS NOT TRUE
               AND l.amount_residual < 0
             UNION ALL
            -- Bank statement lines not reconciled yet: money received still on the journal's
            -- suspense account; matching moves that line to the debtor's receivable.
            SELECT l.id, l.id AS move_line_id, l.move_id, l.journal_id, l.company_id, c.currency_id,
                   p.commercial_partner_id AS partner_id, l.date, st.payment_ref AS label,
                   NULLIF(m.ref, '') AS reference, st.account_number AS bank_account,
                   -l.balance AS amount, 'statement_line' AS source
              FROM account_bank_statement_line st
              JOIN account_move m ON m.id = st.move_id
              JOIN account_journal j ON j.id = st.journal_id
              JOIN account_move_line l ON l.move_id = m.id AND l.account_id = j.suspense_account_id
              JOIN res_company c ON c.id = l.company_id
              LEFT JOIN res_partner p ON p.id = st.partner_id
             WHERE m.state = 'posted'
               AND st.is_reconciled IS NOT TRUE
               AND l.balance < 0
            """,
            invoice_types=OPEN_INVOICE_TYPES,
        )

    # -- suggestions ------------------------------------------------------------------------------

    def _matching_credit(self):
        self.ensure_one()
        return Credit(
            amount=self.amount,
            label=self.label or "",
            reference=self.reference or "",
            partner_id=self.partner_id.id or None,
            bank_account=self.bank_account or "",
        )

    def _matching_candidate_partners(self, credit):
        """The debtors a credit names: its partner, or by bank account, letter or invoice number,
        or by name when it has none. Each by an indexed or bounded query, never a scan per invoice."""
        partner_ids = {credit.partner_id} if credit.partner_id else set()
        if credit.bank_account:
            banks = self.env["res.partner.bank"].search(
                [("sanitized_acc_number", "=", sanitize_account_number(credit.bank_account))]
            )
            partner_ids |= set(banks.partner_id.commercial_partner_id.ids)
        if not credit.partner_id:
            # Names only of debtors with something open in the company, long enough to mean
            # something: found by the index on their first characters (`res.partner`'s
            # `_dunning_name_prefix_index`), then tested whole; not a pass over every name.
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT p.id
                      FROM res_partner p
                     WHERE left(upper(p.name), %(prefix_length)s) = ANY(%(prefixes)s)
                       AND length(p.name) >= %(min_length)s AND strpos(%(text)s, upper(p.name)) > 0
                       AND p.id IN %(with_open_invoices)s
                    """,
                    with_open_invoices=self.env["account.move"]
                    ._search(self._matching_open_domain())
                    .subselect(SQL.identifier("account_move", "commercial_partner_id")),
                    text=credit.text,
                    prefixes=sorted(name_prefixes_in(credit.text)),
                    prefix_length=NAME_PREFIX_LENGTH,
                    min_length=MIN_PARTNER_NAME_LENGTH,
                )
            )
            partner_ids |= {partner_id for (partner_id,) in rows}
        return partner_ids

    def _matching_open_domain(self):
        """The company's open customer invoices, which a credit can be matched with (the index
        `account_move_dunning_open_by_debtor_index` has the same condition, for the planner)."""
        return [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "posted"),
            ("move_type", "in", OPEN_INVOICE_TYPES),
            ("payment_state", "in", OPEN_PAYMENT_STATES),
        ]

    def _matching_named_invoices(self, credit):
        """Open invoices of the company whose number or letter reference the credit quotes."""
        Move = self.env["account.move"]
        named = []
        tokens = reference_tokens(credit.text)
        if tokens:
            named.append([("name", "in", sorted(tokens))])
        letters = letter_references_in(credit.text)
        if letters:
            ids = [int(reference[3:]) for reference in letters]
            letter_lines = self.env["debtor.dunning.communication.line"].search_fetch(
                [("communication_id", "in", ids)], ["move_id"]
            )
            named.append([("id", "in", letter_lines.move_id.ids)])
        if not named:
            return Move.browse()
        # Only the debtor is read here: the rest of the candidates' facts in `_matching_open_invoices`.
        return Move.search_fetch(
            Domain.AND([self._matching_open_domain(), Domain.OR(named)]), ["commercial_partner_id"]
        )

    def _matching_candidates(self, credit):
        """The open invoices to rank for `credit`, as `OpenInvoice`s."""
        named = self._matching_named_invoices(credit)
        partner_ids = self._matching_candidate_partners(credit) | set(named.commercial_partner_id.ids)
        invoices = named
        if partner_ids:
            invoices |= self.env["account.move"].search(
                [*self._matching_open_domain(), ("commercial_partner_id", "in", sorted(partner_ids))],
                order="invoice_date_due, id",
                limit=CANDIDATE_LIMIT,
            )
        return self._matching_open_invoices(invoices)

    def _matching_open_invoices(self, invoices):
        """`invoices` as `OpenInvoice`s, in their order: a few narrow reads for all of them, not the
        invoices' and debtors' whole records one by one. Their open amount is what this credit
        would settle (`_settlement_currency`), worth the credit's date in the company's currency."""
        self.ensure_one()
        if not invoices:
            return []
        invoices.fetch(["name", "commercial_partner_id", "invoice_date_due"])
        receivable_lines = self.env["account.move.line"].search_fetch(
            [("move_id", "in", invoices.ids), ("account_id.account_type", "=", "asset_receivable")],
            ["move_id", "account_id", "currency_id", "amount_residual", "amount_residual_currency"],
        )
        residuals, settlement_currencies = {}, {}
        for invoice, lines in receivable_lines.grouped("move_id").items():
            # As `_match` would settle them with this credit alone.
            currency = self._settlement_currency(lines.currency_id)
            open_amount = self._open_amount(lines, currency)
            if currency == self.currency_id:
                residuals[invoice] = open_amount
            else:
                residuals[invoice] = self._in_company_currency(open_amount, currency)
                settlement_currencies[invoice] = currency.id
        letters = {}
        letter_lines = self.env["debtor.dunning.communication.line"].search_fetch(
            [("move_id", "in", invoices.ids), ("is_preview", "=", False)], ["move_id", "communication_id"]
        )
        for line in letter_lines:
            letters.setdefault(line.move_id.id, set()).add(line.communication_id._reference())
        debtors = invoices.commercial_partner_id
        debtors.fetch(["name"])
        accounts = {}
        banks = self.env["res.partner.bank"].search_fetch(
            [("partner_id", "in", debtors.ids)], ["partner_id", "acc_number"], order="sequence, id"
        )
        for bank in banks:
            accounts.setdefault(bank.partner_id.id, []).append(bank.acc_number)
        return [
            OpenInvoice(
                invoice_id=invoice.id,
                number=invoice.name,
                partner_id=invoice.commercial_partner_id.id,
                residual=residuals.get(invoice, 0.0),
                date_due=invoice.invoice_date_due,
                partner_name=invoice.commercial_partner_id.name or "",
                letter_references=tuple(sorted(letters.get(invoice.id, ()))),
                bank_accounts=tuple(accounts.get(invoice.commercial_partner_id.id, ())),
                settlement_currency_id=settlement_currencies.get(invoice),
            )
            for invoice in invoices
        ]

    def _matching_suggestions(self):
        """The ranked `Suggestion`s for this credit (see `matching.rank_suggestions`)."""
        self.ensure_one()
        credit = self._matching_credit()
        # Without a debtor yet, the company's default policy: the one a new debtor gets.
        company = self.company_id
        policy = self.partner_id._dunning_policy(company) if self.partner_id else company.dunning_policy_id
        tolerance = policy.residual_tolerance
        return rank_suggestions(
            credit, self._matching_candidates(credit), tolerance=tolerance, precision=self.currency_id.rounding
        )

    def action_suggestions(self):
        self.ensure_one()
        wizard = self.env["debtor.dunning.match.wizard"].create({"unmatched_id": self.id})
        wizard._fill_suggestions()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Suggestions"),
            "res_model": "debtor.dunning.match.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    # -- matching ---------------------------------------------------------------------------------

    def _settlement_currency(self, currency):
        """The currency in which this credit settles invoice receivable lines in `currency` (their
        currencies), as Odoo's reconciliation does: theirs when it is one foreign currency and the
        credit is in it or in the company's (which then counts at the rate of the credit's date),
        else the company's. A difference is measured in it, so that an exchange rate moving since
        the invoice is not taken for a payment difference."""
        company_currency = self.currency_id
        if len(currency) == 1 and currency != company_currency:
            if self.move_line_id.currency_id in (currency, company_currency):
                return currency
        return company_currency

    def _open_amount(self, lines, currency):
        """What is open of `lines` (the credit's line, or invoices' receivable lines) in `currency`,
        the company's or the lines' own: positive for invoices, negative for the credit."""
        total = 0.0
        for line in lines:
            # A statement line's suspense line is not reconcilable: what is open of it is all of it.
            on_suspense = line.account_id.account_type != "asset_receivable"
            open_company = line.balance if on_suspense else line.amount_residual
            if currency == self.currency_id:
                total += open_company
            elif line.currency_id == currency:
                total += line.amount_currency if on_suspense else line.amount_residual_currency
            else:
                # A credit in the company's currency, worth its date's rate (as Odoo reconciles it).
                total += self.currency_id._convert(open_company, currency, self.company_id, self.date)
        return currency.round(total)

    def _in_company_currency(self, amount, currency):
        """`amount` in `currency` as much as it is worth on the credit's date, in the company's currency."""
        return currency._convert(amount, self.currency_id, self.company_id, self.date)

    def _match(self, invoices):
        """Reconcile this credit with `invoices` by Odoo's own reconciliation.

        A difference within the debtor's policy tolerance is written off to the company's payment
        difference account by a small entry reconciled too, so that the invoices end fully paid
        (or the credit fully used); a larger difference stays open: the invoices partly paid, or
        the rest of the credit unmatched. A credit without partner gets the invoices' debtor first.
        Everything or nothing: errors are raised before anything is written.
        """
        self.ensure_one()
        credit_line = self.move_line_id
        if not invoices:
            raise UserError(self.env._("Choose at least one invoice to match the payment with."))
        # A statement line's suspense line is not reconcilable: what is open of it is its balance.
        on_suspense = credit_line.account_id.account_type != "asset_receivable"
        open_credit = credit_line.balance if on_suspense else credit_line.amount_residual
        matched = credit_line.move_id.statement_line_id.is_reconciled if on_suspense else credit_line.reconciled
        if matched or not float_compare(open_credit, 0.0, precision_rounding=self.currency_id.rounding) < 0:
            raise UserError(self.env._("The payment %(label)s is already matched.", label=credit_line.move_id.name))
        debtors = invoices.commercial_partner_id
        wrong = invoices - invoices.filtered_domain(self._matching_open_domain())
        if wrong:
            raise UserError(
                self.env._(
                    "These are not open invoices of the company: %(names)s", names=", ".join(wrong.mapped("name"))
                )
            )
        if len(debtors) > 1:
            raise UserError(self.env._("A payment is matched with the invoices of one debtor at a time."))
        if self.partner_id and self.partner_id != debtors:
            raise UserError(
                self.env._(
                    "The invoices are of %(debtor)s, the payment of %(payer)s.",
                    debtor=debtors.display_name,
                    payer=self.partner_id.display_name,
                )
            )
        invoice_lines = invoices.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        if len(invoice_lines.account_id) != 1 or (
            not on_suspense and invoice_lines.account_id != credit_line.account_id
        ):
            raise UserError(self.env._("The payment and the invoices are booked on different receivable accounts."))
        company = self.company_id
        # The difference in the currency the invoices are settled in; the tolerance (company
        # currency) against its worth on the payment's date.
        currency = self._settlement_currency(invoice_lines.currency_id)
        difference = currency.round(
            self._open_amount(invoice_lines, currency) + self._open_amount(credit_line, currency)
        )
        tolerance = debtors._dunning_policy(company).residual_tolerance
        write_off = (
            not currency.is_zero(difference)
            and float_compare(
                abs(self._in_company_currency(difference, currency)),
                tolerance,
                precision_rounding=self.currency_id.rounding,
            )
            <= 0
        )
        if write_off:
            account, journal = company._dunning_matching_writeoff_targets(difference, currency)

        if on_suspense:
            # A statement line not reconciled yet: its suspense line becomes the debtor's receivable,
            # as Odoo's own bank reconciliation does, and is then reconciled like a payment.
            credit_line.write({"account_id": invoice_lines.account_id.id, "partner_id": debtors.id})
        elif not credit_line.partner_id:
            credit_line.partner_id = debtors
        lines = credit_line | invoice_lines
        if write_off:
            # difference > 0: underpaid, the write-off credits the receivable; < 0: overpaid. In the
            # invoices' currency, so that they end paid in it too; worth today's rate in the company's.
            date = fields.Date.context_today(self)
            balance = currency._convert(difference, self.currency_id, company, date)
            entry = self.env["account.move"].create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "company_id": company.id,
                    "date": date,
                    "ref": self.env._("Payment difference %(payment)s", payment=credit_line.move_id.name),
                    "line_ids": [
                        fields.Command.create(
                            {
                                "name": self.env._("Payment difference"),
                                "account_id": account_id,
                                "partner_id": debtors.id,
                                "currency_id": currency.id,
                                "amount_currency": sign * difference,
                                "balance": sign * balance,
                            }
                        )
                        for account_id, sign in ((invoice_lines.account_id.id, -1), (account.id, 1))
                    ],
                }
            )
            entry.action_post()
            lines |= entry.line_ids.filtered(lambda line: line.account_id == invoice_lines.account_id)
        lines.reconcile()
        return True
