# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure-Python instalment schedule computation (no ORM).

These helpers are deliberately free of any Odoo dependency so they can be
unit-tested and reused (templates, arrangements, wizards, reminders) without
an environment.

Money is computed with :class:`decimal.Decimal` internally so that the
returned amounts are exact multiples of ``rounding`` and add up *exactly* to
the (rounded) total; they are returned as ``float`` for ORM convenience.
"""

import datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

INTERVALS = ("month", "week", "day")


def _to_decimal(value, name):
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{name} must be a number, got {value!r}.")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _quantize(amount, rounding, method=ROUND_HALF_UP):
    """Round ``amount`` (Decimal) to a multiple of ``rounding`` (Decimal)."""
    return (amount / rounding).to_integral_value(rounding=method) * rounding


def _to_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raise ValueError(f"first_date must be a date, got {value!r}.")


def instalment_date(first_date, index, interval="month", interval_length=1):
    """Return the due date of instalment ``index`` (0-based).

    The date is always computed from ``first_date`` (never cumulatively), so a
    monthly schedule starting on 31 January falls on 28/29 February and then
    on 31 March again.
    """
    first_date = _to_date(first_date)
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {', '.join(INTERVALS)}, got {interval!r}.")
    if isinstance(interval_length, bool) or not isinstance(interval_length, int) or interval_length < 1:
        raise ValueError(f"interval_length must be a whole number of at least 1, got {interval_length!r}.")
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError(f"index must be a whole number of at least 0, got {index!r}.")
    step = index * interval_length
    if interval == "month":
        return first_date + relativedelta(months=step)
    if interval == "week":
        return first_date + relativedelta(weeks=step)
    return first_date + relativedelta(days=step)


def instalment_schedule(
    total,
    count,
    first_date,
    interval="month",
    interval_length=1,
    down_payment=0.0,
    rounding=0.01,
):
    """Split ``total`` into ``count`` instalments.

    :param total: amount to spread (> 0); it is first rounded to ``rounding``.
    :param count: total number of instalments (>= 1), *including* the down
        payment when there is one.
    :param first_date: due date of the first instalment (the down payment when
        there is one).
    :param interval: ``"month"``, ``"week"`` or ``"day"``.
    :param interval_length: number of intervals between two instalments (>= 1).
    :param down_payment: amount of the first instalment (0 = none); must be
        lower than ``total``. With a down payment, ``count`` must be >= 2: the
        remaining ``count - 1`` instalments split the rest evenly.
    :param rounding: rounding unit of the amounts (e.g. 0.01, 0.05, 1).
    :return: list of ``(date, amount)`` tuples ordered by date; the amounts
        are multiples of ``rounding`` and add up exactly to ``total``; the last
        instalment absorbs the rounding difference.
    :raise ValueError: on invalid input.
    """
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValueError(f"The number of instalments must be a whole number, got {count!r}.")
    if count < 1:
        raise ValueError(f"The number of instalments must be at least 1, got {count}.")
    rounding = _to_decimal(rounding, "rounding")
    if rounding <= 0:
        raise ValueError(f"The rounding must be positive, got {rounding}.")
    total = _to_decimal(total, "total")
    if total <= 0:
        raise ValueError(f"The total amount must be positive, got {total}.")
    down_payment = _to_decimal(down_payment or 0, "down_payment")
    if down_payment < 0:
        raise ValueError(f"The down payment cannot be negative, got {down_payment}.")
    if down_payment >= total:
        raise ValueError(f"The down payment ({down_payment}) must be lower than the total amount ({total}).")
    if down_payment and count < 2:
        raise ValueError("A schedule with a down payment needs at least 2 instalments.")
    # validate dates/interval once, before computing any amount
    first_date = _to_date(first_date)
    instalment_date(first_date, 0, interval, interval_length)

    total = _quantize(total, rounding)
    down_payment = _quantize(down_payment, rounding)
    rest = total - down_payment
    regular_count = count - 1 if down_payment else count
    if rest < regular_count * rounding:
        raise ValueError(
            f"The amount to spread ({rest}) is too small for {regular_count} instalment(s) of at least {rounding}."
        )

    amounts = [down_payment] if down_payment else []
    regular = _quantize(rest / regular_count, rounding)
    if rest - regular * (regular_count - 1) < rounding:
        # rounding up would leave nothing (or less) for the last instalment
        regular = _quantize(rest / regular_count, rounding, ROUND_DOWN)
    amounts += [regular] * (regular_count - 1)
    amounts.append(total - sum(amounts, Decimal(0)))

    return [
        (instalment_date(first_date, index, interval, interval_length), float(amount))
        for index, amount in enumerate(amounts)
    ]
