# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which open invoices an unmatched payment pays, as plain functions: no ORM, so the ranking is
tested without a database and the match wizard and any batch job rank the same way.

One credit (an incoming payment, a bank entry or a credit note not reconciled yet) is compared
with candidate open invoices; each suggestion is one invoice or a combination of a few open
invoices of one debtor, with a score (the sum of the weights of its reasons) and the reasons'
codes. The weights are in `WEIGHTS`, the one place to tune them.
"""

import re
from dataclasses import dataclass
from datetime import date
from itertools import combinations

# The letter reference printed on every letter (`debtor.dunning.communication._reference`).
LETTER_REFERENCE_PREFIX = "DUN"
LETTER_REFERENCE_PATTERN = re.compile(rf"{LETTER_REFERENCE_PREFIX}(\d{{7}})")

# Reason code: weight. A reference says which invoice far more surely than an amount does, an
# amount more surely than a debtor's name.
WEIGHTS = {
    "invoice_number": 50,
    "letter_reference": 45,
    "exact_amount": 30,
    "combination_amount": 25,
    "within_tolerance": 20,
    "combination_within_tolerance": 15,
    "partner": 15,
    "bank_account": 15,
    "partner_name": 10,
}
REASON_CODES = tuple(WEIGHTS)
# Reasons that name the debtor, not the invoice: enough to propose his invoices, never alone
# enough to propose one of another debtor's.
DEBTOR_REASONS = frozenset({"partner", "bank_account", "partner_name"})

# The bounded combination search: up to this many invoices, among the debtor's oldest open ones.
MAX_COMBINATION_SIZE = 3
COMBINATION_POOL = 20
MAX_SUGGESTIONS = 10
# Names shorter than this match too much text by accident ("BV", "Jan").
MIN_PARTNER_NAME_LENGTH = 4
# A debtor's name is looked up in the database by its first characters (an index), then tested whole.
NAME_PREFIX_LENGTH = 24


def letter_reference(communication_id):
    """The reference of letter `communication_id`, as printed on it: DUN and seven digits."""
    return f"{LETTER_REFERENCE_PREFIX}{communication_id:07d}"


def letter_references_in(text):
    """The letter references that `text` quotes (upper-cased first: bank software often lowers it)."""
    return {letter_reference(int(digits)) for digits in LETTER_REFERENCE_PATTERN.findall((text or "").upper())}


def reference_tokens(text):
    """The words of `text` that could be a document number (INV/2026/00001), upper-cased."""
    return {token.strip("./-_") for token in re.findall(r"[A-Z0-9][A-Z0-9/._-]*", (text or "").upper())} - {""}


def name_prefixes_in(text):
    """Every piece of `text` that a debtor's name found in it starts with: its first
    `NAME_PREFIX_LENGTH` characters, or all of it when shorter. As many as the text has characters,
    times 21, however long the names are."""
    text = text or ""
    return {
        text[start : start + length]
        for length in range(MIN_PARTNER_NAME_LENGTH, NAME_PREFIX_LENGTH + 1)
        for start in range(len(text) - length + 1)
    }


def sanitize_account_number(number):
    """An account number without spaces and punctuation, upper-cased, as Odoo stores it sanitized."""
    return re.sub(r"[^A-Z0-9]", "", (number or "").upper())


@dataclass(frozen=True)
class Credit:
    """An unmatched credit: `amount` positive, in company currency."""

    amount: float
    label: str = ""
    reference: str = ""
    partner_id: int | None = None
    bank_account: str = ""

    @property
    def text(self):
        return f"{self.label or ''} {self.reference or ''}".upper()


@dataclass(frozen=True)
class OpenInvoice:
    """A candidate: an open invoice with its open amount (company currency) and what identifies it."""

    invoice_id: int
    number: str
    partner_id: int
    residual: float
    date_due: date | None = None
    partner_name: str = ""
    letter_references: tuple = ()
    bank_accounts: tuple = ()
    # The currency the credit would settle it in (`None`: the company's). Odoo's reconciliation
    # settles a set of invoices in one currency, so a combination never mixes two.
    settlement_currency_id: int | None = None


@dataclass(frozen=True)
class Suggestion:
    """One or more invoices for the credit; `difference` = their open amount - the credit."""

    invoice_ids: tuple
    score: int
    reasons: tuple
    amount: float
    difference: float


def _identity_reasons(credit, invoice):
    """The reasons, other than the amount, for which `invoice` goes with `credit`, in code order."""
    text = credit.text
    found = set()
    if invoice.number and invoice.number.upper() in reference_tokens(text):
        found.add("invoice_number")
    if letter_references_in(text) & set(invoice.letter_references):
        found.add("letter_reference")
    if credit.partner_id and credit.partner_id == invoice.partner_id:
        found.add("partner")
    account = sanitize_account_number(credit.bank_account)
    if account and account in {sanitize_account_number(number) for number in invoice.bank_accounts}:
        found.add("bank_account")
    name = (invoice.partner_name or "").upper().strip()
    if not credit.partner_id and len(name) >= MIN_PARTNER_NAME_LENGTH and name in text:
        found.add("partner_name")
    return found


def _amount_reason(credit_amount, open_amount, tolerance, precision, combination=False):
    difference = abs(open_amount - credit_amount)
    if difference < precision / 2:
        return "combination_amount" if combination else "exact_amount"
    if difference <= tolerance + precision / 2:
        return "combination_within_tolerance" if combination else "within_tolerance"
    return None


def _suggestion(invoices, reasons, credit, precision):
    amount = round(sum(invoice.residual for invoice in invoices), 6)
    ordered = tuple(code for code in REASON_CODES if code in reasons)
    return Suggestion(
        invoice_ids=tuple(invoice.invoice_id for invoice in invoices),
        score=sum(WEIGHTS[code] for code in ordered),
        reasons=ordered,
        amount=amount,
        difference=round(amount - credit.amount, 6),
    )


def _oldest_first(invoice):
    return (invoice.date_due or date.max, invoice.invoice_id)


def rank_suggestions(credit, invoices, tolerance=0.0, precision=0.01, limit=MAX_SUGGESTIONS):
    """The suggestions for `credit` among `invoices`, best first, at most `limit`.

    A single invoice is suggested when something identifies it (its number, a letter of it, its
    debtor) or its amount is the credit's; an amount alone does not make a suggestion of another
    debtor's invoice. A combination is suggested when 2 to `MAX_COMBINATION_SIZE` open invoices of
    one identified debtor and one settlement currency, among his `COMBINATION_POOL` oldest, sum
    to the credit within `tolerance`. Ties go to the smaller difference, then to the oldest invoice.
    """
    identities = {invoice.invoice_id: _identity_reasons(credit, invoice) for invoice in invoices}
    suggestions = []
    for invoice in invoices:
        reasons = set(identities[invoice.invoice_id])
        if not reasons:
            continue
        amount_reason = _amount_reason(credit.amount, invoice.residual, tolerance, precision)
        if amount_reason:
            reasons.add(amount_reason)
        suggestions.append(_suggestion((invoice,), reasons, credit, precision))

    # Combinations stay within one debtor that the credit names (partner, account, name or one
    # of his invoices), so that the search is bounded by his invoices, not by everyone's; and
    # within one settlement currency.
    by_debtor = {}
    for invoice in sorted(invoices, key=_oldest_first):
        if identities[invoice.invoice_id] and invoice.residual > 0:
            by_debtor.setdefault((invoice.partner_id, invoice.settlement_currency_id), []).append(invoice)
    for debtor_invoices in by_debtor.values():
        pool = debtor_invoices[:COMBINATION_POOL]
        for size in range(2, MAX_COMBINATION_SIZE + 1):
            for combination in combinations(pool, size):
                open_amount = sum(invoice.residual for invoice in combination)
                amount_reason = _amount_reason(credit.amount, open_amount, tolerance, precision, combination=True)
                if not amount_reason:
                    continue
                reasons = {amount_reason}.union(*(identities[invoice.invoice_id] for invoice in combination))
                suggestions.append(_suggestion(combination, reasons, credit, precision))

    oldest = {invoice.invoice_id: _oldest_first(invoice) for invoice in invoices}
    suggestions.sort(
        key=lambda s: (-s.score, abs(s.difference), len(s.invoice_ids), min(oldest[i] for i in s.invoice_ids))
    )
    return suggestions[:limit]
