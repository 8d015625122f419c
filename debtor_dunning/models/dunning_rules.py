# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The escalation rule, as plain functions: no ORM, so tests and other add-ons call them directly."""

from dataclasses import dataclass
from datetime import date, timedelta

import phonenumbers


@dataclass(frozen=True)
class LevelRule:
    """One rung of a policy's ladder, as far as the decision is concerned."""

    level_id: int
    sequence: int
    day_offset: int  # days relative to the due date; negative = before it
    min_days_since_previous: int = 0
    payment_term_days: int = 0  # "pay within x days" granted by this level's letter


@dataclass(frozen=True)
class InvoiceHistory:
    """What one invoice has received so far."""

    date_due: date
    last_level_id: int | None = None
    last_letter_date: date | None = None
    last_letter_pending: bool = False  # decided but not sent yet (queued or awaiting approval)


def term_end(level, letter_date):
    """The date until which the debtor may pay after `level`'s letter of `letter_date` (inclusive)."""
    return letter_date + timedelta(days=level.payment_term_days)


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
        if on_date < history.last_letter_date + timedelta(days=candidate.min_days_since_previous):
            return None
        if on_date <= term_end(previous, history.last_letter_date):
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
            history.last_letter_date + timedelta(days=candidate.min_days_since_previous),
            term_end(previous, history.last_letter_date) + timedelta(days=1),
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
