# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The rules of the dunning, as plain functions: no ORM, so tests and other add-ons call them directly."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import phonenumbers

from odoo.tools import SQL

# Which documents are chased: customer invoices and receipts (credit notes are credit, not debt).
CHASED_MOVE_TYPES = ("out_invoice", "out_receipt")
# Odoo's payment states as the dunning reads them: open documents are chased; one Odoo itself marks
# "blocked" is held (shown as blocked, left alone); any other is settled (paid, reversed, legacy).
OPEN_PAYMENT_STATES = ("not_paid", "partial")
HELD_PAYMENT_STATES = ("blocked",)

# Why the run left an invoice alone: stable codes, stored with counts on the run and asserted by
# tests; their translated labels live in one place (`debtor.dunning.run._dunning_reason_labels`).
# Add-ons register their own codes there (`_dunning_excluded_moves` returns them).
REASON_TOLERANCE = "tolerance"
REASON_BLOCKED_INVOICE = "blocked_invoice"
REASON_BLOCKED_DEBTOR = "blocked_debtor"
REASON_COVERED_BY_CREDIT = "covered_by_credit"
REASON_BELOW_MINIMUM = "below_minimum"
REASON_POLICY_CHANGED = "policy_changed"
REASON_NO_POLICY = "no_policy"
REASON_LOCKED = "locked"
REASON_CONCURRENT_RUN = "concurrent_run"
REASON_ERROR = "error"
# Counted as "blocked" on the run; every other code counts as "skipped" (errors as errors).
BLOCK_REASONS = frozenset({REASON_BLOCKED_INVOICE, REASON_BLOCKED_DEBTOR})


@dataclass(frozen=True)
class LevelRule:
    """One rung of a policy's ladder, as far as the decision is concerned."""

    level_id: int
    sequence: int
    day_offset: int  # days relative to the due date; negative = before it
    min_days_since_previous: int = 0
    payment_term_days: int = 0  # "pay within x days" granted by this level's letter
    # The delivery allowance before a term starts to run (see `term_end`): a letter of a level that
    # prints and does not e-mail is posted; the others count as e-mailed.
    by_post: bool = False
    email_delivery_days: int = 0
    post_delivery_working_days: int = 0


@dataclass(frozen=True)
class InvoiceHistory:
    """What one invoice has received so far."""

    date_due: date
    last_level_id: int | None = None
    last_letter_date: date | None = None
    last_letter_pending: bool = False  # decided but not sent yet (queued or awaiting approval)
    resumed_on: date | None = None  # the day an add-on's pause ended (a lapsed payment arrangement)

    @property
    def terms_count_from(self):
        """The day the next rung's gap and the last letter's term count from: the last letter's
        date, or the day the dunning resumed after a pause, whichever is later."""
        if self.last_letter_date is None or self.resumed_on is None:
            return self.last_letter_date
        return max(self.last_letter_date, self.resumed_on)


@dataclass(frozen=True)
class DebtorPolicy:
    """What the decision needs of the debtor's dunning policy."""

    rules: tuple  # the LevelRules of its ladder
    residual_tolerance: float = 0.0
    minimum_overdue_amount: float = 0.0  # in company currency


@dataclass(frozen=True)
class OpenInvoice:
    """One open invoice as the run reads it (amounts in invoice currency unless named otherwise)."""

    move_id: int
    currency_id: int
    residual: float
    residual_company_overdue: float  # overdue instalments only, in company currency
    history: InvoiceHistory


@dataclass
class DebtorDecision:
    """What the run does for one debtor: the letters, and why each other invoice was left alone."""

    letters: dict = field(default_factory=lambda: defaultdict(list))  # (level_id, currency_id) -> [move_id]
    skipped: dict = field(default_factory=dict)  # move_id -> reason code


def decide_for_debtor(
    invoices, policy, on_date, credits=None, debtor_blocked=False, blocked_moves=(), excluded_moves=None
):
    """Decide the letters one debtor gets on `on_date`, and a reason code for each invoice left alone.

    `invoices` are the debtor's open invoices (`OpenInvoice`), `policy` his `DebtorPolicy` (None when
    neither he nor his company has one), `credits` {currency_id: amount} of his credit notes and
    payments not yet matched, `blocked_moves` the invoices under a block and `excluded_moves`
    {move_id: code} those an add-on takes out of the run (an arrangement, a claim handed over).

    In this order: no policy, a blocked debtor; per invoice an open amount within the tolerance, a
    block, an add-on's exclusion; then per currency a credit that covers what is open; per invoice a
    last letter that is not in the current policy, the next level not yet due, and finally an
    overdue total (company currency) below the policy's minimum, which holds back every letter but
    the pre-due notice.
    """
    decision = DebtorDecision()
    if policy is None or not policy.rules:
        decision.skipped = dict.fromkeys((invoice.move_id for invoice in invoices), REASON_NO_POLICY)
        return decision
    if debtor_blocked:
        decision.skipped = dict.fromkeys((invoice.move_id for invoice in invoices), REASON_BLOCKED_DEBTOR)
        return decision
    excluded_moves = excluded_moves or {}
    credits = credits or {}
    tolerance = policy.residual_tolerance
    chased = []
    for invoice in invoices:
        if not is_chased(invoice.residual, tolerance):
            decision.skipped[invoice.move_id] = REASON_TOLERANCE
        elif invoice.move_id in blocked_moves:
            decision.skipped[invoice.move_id] = REASON_BLOCKED_INVOICE
        elif invoice.move_id in excluded_moves:
            decision.skipped[invoice.move_id] = excluded_moves[invoice.move_id]
        else:
            chased.append(invoice)
    # A debtor whose credit covers what he owes in a currency owes nothing in it.
    open_per_currency = defaultdict(float)
    for invoice in chased:
        open_per_currency[invoice.currency_id] += invoice.residual
    covered = {
        currency
        for currency, total in open_per_currency.items()
        if not is_chased(total - credits.get(currency, 0.0), tolerance)
    }
    below_minimum = sum(invoice.residual_company_overdue for invoice in chased) < policy.minimum_overdue_amount
    level_ids = {rule.level_id for rule in policy.rules}
    for invoice in chased:
        if invoice.currency_id in covered:
            decision.skipped[invoice.move_id] = REASON_COVERED_BY_CREDIT
            continue
        if invoice.history.last_level_id is not None and invoice.history.last_level_id not in level_ids:
            # The debtor moved to another policy (or the level to another ladder) after the last
            # letter: where to go on is the controller's decision, never a silent stop.
            decision.skipped[invoice.move_id] = REASON_POLICY_CHANGED
            continue
        rule = next_level_due(policy.rules, invoice.history, on_date)
        if rule is None:
            continue
        if below_minimum and rule.day_offset >= 0:
            decision.skipped[invoice.move_id] = REASON_BELOW_MINIMUM
            continue
        decision.letters[(rule.level_id, invoice.currency_id)].append(invoice.move_id)
    return decision


def chased_due_date(open_instalment_dates, invoice_date_due=None, invoice_date=None, accounting_date=None):
    """The due date the dunning counts from: the earliest open instalment's.

    Odoo's `invoice_date_due` is the last instalment's, which would leave an overdue first
    instalment unchased for months. Without any (data imported or repaired by hand) the invoice's
    due date, then its date. `chased_due_date_sql` is the same rule in SQL.
    """
    dates = [day for day in open_instalment_dates if day]
    return min(dates) if dates else (invoice_date_due or invoice_date or accounting_date)


def is_open_instalment(account_type, reconciled, no_followup):
    """A journal item the dunning chases: an unreconciled receivable not excluded from follow-up."""
    return account_type == "asset_receivable" and not reconciled and not no_followup


def open_receivable_sql(line, account):
    """SQL: the journal item `line` (joined with its `account`) is an unreconciled receivable.

    Open credits (credit notes, payments not yet matched) are read with this alone: `no_followup`
    only takes an instalment out of the chase, it does not make a credit disappear.
    """
    return SQL(
        "(%s = 'asset_receivable' AND NOT %s)",
        SQL.identifier(account, "account_type"),
        SQL.identifier(line, "reconciled"),
    )


def open_instalment_sql(line, account):
    """`is_open_instalment` in SQL, for the journal item `line` joined with its `account`."""
    return SQL(
        "(%s AND NOT COALESCE(%s, FALSE))",
        open_receivable_sql(line, account),
        SQL.identifier(line, "no_followup"),
    )


def overdue_instalment_sql(move, line, on_date):
    """SQL: the open instalment `line` of the invoice `move` is overdue on `on_date`.

    From its own due date (the invoice's when it has none): an invoice whose first instalment has
    passed is overdue, but only for that instalment's amount.
    """
    return SQL("%s < %s", chased_due_date_sql(move, SQL.identifier(line, "date_maturity")), on_date)


def chased_due_date_sql(move, earliest_open_instalment=None):
    """`chased_due_date` in SQL for the invoice `move`.

    `earliest_open_instalment` is the expression of its earliest open instalment's due date (e.g.
    `MIN(l.date_maturity)` in a query grouped by invoice); by default a subquery finds it.
    """
    if earliest_open_instalment is None:
        earliest_open_instalment = SQL(
            """(SELECT MIN(l.date_maturity)
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                 WHERE l.move_id = %s AND %s)""",
            SQL.identifier(move, "id"),
            open_instalment_sql("l", "a"),
        )
    return SQL(
        "COALESCE(%s, %s, %s, %s)",
        earliest_open_instalment,
        SQL.identifier(move, "invoice_date_due"),
        SQL.identifier(move, "invoice_date"),
        SQL.identifier(move, "date"),
    )


def chased_move_sql(move):
    """Whether the journal entry `move` is a posted, open document that the dunning chases."""
    return SQL(
        "(%s IN %s AND %s = 'posted' AND %s IN %s)",
        SQL.identifier(move, "move_type"),
        CHASED_MOVE_TYPES,
        SQL.identifier(move, "state"),
        SQL.identifier(move, "payment_state"),
        OPEN_PAYMENT_STATES,
    )


def boolean_search_domain(domain, operator, value):
    """The domain that searching a computed boolean field for `operator` `value` means, given the
    `domain` of its true records (Odoo 19 searches booleans with "in" / "not in")."""
    if operator not in ("in", "not in"):
        return NotImplemented
    return domain if (True in value) == (operator == "in") else ~domain


def add_working_days(day, count):
    """`day` plus `count` working days (Saturdays and Sundays not counted)."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def delivery_date(level, letter_date):
    """The day `level`'s letter of `letter_date` has surely reached the debtor: an e-mail after the
    level's e-mail allowance (calendar days), a posted letter after its working days."""
    if level.by_post:
        return add_working_days(letter_date, level.post_delivery_working_days)
    return letter_date + timedelta(days=level.email_delivery_days)


def term_end(level, letter_date):
    """The last day (inclusive) the debtor may pay after `level`'s letter of `letter_date`.

    A term runs from receipt, so it is counted from the day the letter has surely been delivered
    (`delivery_date`); the next level waits until it has surely run. A level that grants no term
    waits for nothing.
    """
    if not level.payment_term_days:
        return letter_date
    return delivery_date(level, letter_date) + timedelta(days=level.payment_term_days)


def next_level_due(levels, history, on_date):
    """The level an invoice reaches on `on_date`, or None.

    `levels` is the policy's ladder ordered by sequence. An invoice climbs one rung at a time and
    never skips one, so that its dossier is complete before a notice of default. The only rung that
    may be passed over is one before the due date, for an invoice that is already due on `on_date`.
    A rung is reached when its day offset has passed, the minimum gap since the previous letter has
    passed, and the payment term that the previous letter granted has expired.
    """
    candidate, previous = _candidate(levels, history, on_date)
    if candidate is None:
        return None
    if on_date < history.date_due + timedelta(days=candidate.day_offset):
        return None
    if previous is not None:
        if history.last_letter_pending or history.last_letter_date is None:
            return None
        if on_date < history.terms_count_from + timedelta(days=candidate.min_days_since_previous):
            return None
        if on_date <= term_end(previous, history.terms_count_from):
            return None
    return candidate


def expected_next_step(levels, history, on_date):
    """(level, earliest date) of the next rung as things stand, or (None, None) at the top of the ladder.

    Used to show the controller what will happen next; it assumes nothing changes meanwhile.
    """
    candidate, previous = _candidate(levels, history, on_date)
    if candidate is None:
        return None, None
    earliest = history.date_due + timedelta(days=candidate.day_offset)
    if previous is not None and history.last_letter_date and not history.last_letter_pending:
        earliest = max(
            earliest,
            history.terms_count_from + timedelta(days=candidate.min_days_since_previous),
            term_end(previous, history.terms_count_from) + timedelta(days=1),
        )
    return candidate, max(earliest, on_date)


def _candidate(levels, history, on_date):
    """The rung after the last one received, passing over pre-due rungs once the invoice is due."""
    ordered = sorted(levels, key=lambda level: (level.sequence, level.level_id))
    previous = None
    start = 0
    if history.last_level_id is not None:
        positions = [i for i, level in enumerate(ordered) if level.level_id == history.last_level_id]
        if not positions:
            # The level no longer belongs to this policy (changed or deleted): a controller decides.
            return None, None
        start = positions[0] + 1
        previous = ordered[positions[0]]
    remaining = ordered[start:]
    while remaining and remaining[0].day_offset < 0 and on_date >= history.date_due:
        remaining = remaining[1:]
    return (remaining[0] if remaining else None), previous


def is_chased(residual, tolerance):
    """An open amount at or below the policy's tolerance counts as paid."""
    return residual > tolerance


def mobile_number_e164(raw_number, country_code):
    """(E.164 number, None) for a valid mobile number, else (None, why not).

    Numbers without a leading + are read in the debtor's country. Only mobile numbers can receive
    an SMS; a fixed line or an invalid number is reported, never guessed.
    """
    if not raw_number or not raw_number.strip():
        return None, "missing"
    try:
        parsed = phonenumbers.parse(raw_number, (country_code or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None, "invalid"
    if not phonenumbers.is_valid_number(parsed):
        return None, "invalid"
    number_type = phonenumbers.number_type(parsed)
    if number_type not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return None, "not_mobile"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), None
