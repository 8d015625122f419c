# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The rules of a payment arrangement, as plain functions: no ORM, so tests and scripts call them directly.

The models (`debtor.dunning.arrangement`, `debtor.dunning.arrangement.instalment`) are thin
around these: what is paid toward which instalment, when an instalment is late, when the
arrangement breaks or is complete, when its reminder is due, and whether a schedule is valid.
Money is computed with :class:`decimal.Decimal` so that allocations add up exactly.
"""

from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

# Instalment states.
OPEN = "open"
PAID = "paid"
LATE = "late"

# Codes of what is wrong with a schedule (`schedule_problems`); the models give them their words.
SCHEDULE_EMPTY = "empty"
SCHEDULE_AMOUNT_NOT_POSITIVE = "amount_not_positive"
SCHEDULE_DATE_MISSING = "date_missing"
SCHEDULE_DATE_IN_PAST = "date_in_past"
SCHEDULE_NOT_ASCENDING = "not_ascending"
SCHEDULE_SUM_MISMATCH = "sum_mismatch"


def _dec(value):
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def allocate_payments(amounts, paid_total):
    """Spread `paid_total` over the instalments `amounts` (oldest first); return what each received.

    Payments accumulate: a partial payment fills the oldest instalment that is not yet full, the
    next payment continues where it stopped. Whatever exceeds the schedule goes to the last one,
    so that nothing paid is ever lost from sight.
    """
    remaining = max(_dec(paid_total), Decimal(0))
    received = []
    for amount in amounts:
        share = min(_dec(amount), remaining)
        received.append(share)
        remaining -= share
    if received and remaining > 0:
        received[-1] += remaining
    return [float(share) for share in received]


def is_instalment_paid(amount, amount_paid, tolerance=0.0):
    """An instalment whose shortfall is at or below the policy's tolerance counts as paid."""
    return _dec(amount) - _dec(amount_paid) <= _dec(tolerance)


def instalment_state(amount, amount_paid, date_due, on_date, tolerance=0.0):
    """`paid`, `late` (its due date has passed, not paid) or `open` on `on_date`."""
    if is_instalment_paid(amount, amount_paid, tolerance):
        return PAID
    if on_date > date_due:
        return LATE
    return OPEN


def days_late(date_due, on_date):
    """Days past the due date on `on_date` (0 when not yet due)."""
    return max((on_date - date_due).days, 0)


def is_breached(amount, amount_paid, date_due, on_date, grace_days, tolerance=0.0):
    """An instalment breaks the arrangement when it is unpaid more than `grace_days` after its due date."""
    return not is_instalment_paid(amount, amount_paid, tolerance) and days_late(date_due, on_date) > grace_days


def first_breach(instalments, on_date, grace_days, tolerance=0.0):
    """The first `(amount, amount_paid, date_due)` of `instalments` that breaks the arrangement, else None."""
    for instalment in sorted(instalments, key=lambda item: item[2]):
        if is_breached(*instalment, on_date, grace_days, tolerance):
            return instalment
    return None


def is_completed(instalments, tolerance=0.0):
    """Every instalment `(amount, amount_paid, …)` paid: the arrangement is complete."""
    return bool(instalments) and all(is_instalment_paid(item[0], item[1], tolerance) for item in instalments)


def reminder_date(date_due, reminder_days_before):
    """The day the reminder of an instalment due on `date_due` goes out."""
    return date_due - timedelta(days=max(reminder_days_before, 0))


def is_reminder_due(date_due, on_date, reminder_days_before, already_reminded=False, paid=False):
    """Whether an instalment's reminder goes out on `on_date`.

    From `reminder_days_before` days before its due date up to the due date itself, so that a run
    missed on the exact day still reminds in time; once only, and never for a paid instalment.
    """
    if already_reminded or paid:
        return False
    return reminder_date(date_due, reminder_days_before) <= on_date <= date_due


def schedule_problems(lines, total, today, rounding=0.01):
    """What is wrong with a schedule `[(date_due, amount)]` for `total`, as `[(code, details)]`.

    Empty when it is valid: at least one instalment, every amount positive, every date set, none
    before `today`, dates strictly ascending, and the amounts adding up to `total` (to the cent,
    or whatever `rounding` the currency has).
    """
    problems = []
    if not lines:
        return [(SCHEDULE_EMPTY, {})]
    for index, (date_due, amount) in enumerate(lines, start=1):
        if _dec(amount) <= 0:
            problems.append((SCHEDULE_AMOUNT_NOT_POSITIVE, {"index": index}))
        if not date_due:
            problems.append((SCHEDULE_DATE_MISSING, {"index": index}))
        elif date_due < today:
            problems.append((SCHEDULE_DATE_IN_PAST, {"index": index, "date": date_due}))
    dates = [date_due for date_due, _amount in lines if date_due]
    for index, (previous, current) in enumerate(pairwise(dates), start=2):
        if current <= previous:
            problems.append((SCHEDULE_NOT_ASCENDING, {"index": index, "date": current}))
            break
    scheduled = sum((_dec(amount) for _date, amount in lines), Decimal(0))
    if abs(scheduled - _dec(total)) >= _dec(rounding) / 2:
        problems.append((SCHEDULE_SUM_MISMATCH, {"scheduled": float(scheduled), "total": float(_dec(total))}))
    return problems
