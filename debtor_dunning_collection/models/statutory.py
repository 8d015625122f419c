# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Dutch statutory collection costs and statutory interest, as pure functions.

This module does not import the Odoo ORM so it can be used (and tested) on its
own. All amounts are returned as :class:`decimal.Decimal` rounded to cents
(half up).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

#: WIK staffel (Besluit vergoeding voor buitengerechtelijke incassokosten,
#: Stb. 2012, 141): (size of the bracket, percentage). ``None`` is "the rest".
WIK_BRACKETS = (
    (Decimal("2500"), Decimal("15")),
    (Decimal("2500"), Decimal("10")),
    (Decimal("5000"), Decimal("5")),
    (Decimal("190000"), Decimal("1")),
    (None, Decimal("0.5")),
)
WIK_MINIMUM = Decimal("40")
WIK_MAXIMUM = Decimal("6775")

#: Day count basis of the statutory interest: actual days / 365.
DAYS_IN_YEAR = Decimal("365")


def _to_decimal(value):
    """Return ``value`` (int, float, str or Decimal) as a Decimal.

    Floats go through ``str`` so that ``0.1`` becomes ``Decimal("0.1")``.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value or 0)


def _to_date(value):
    """Return a :class:`datetime.date` for a date or datetime."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _round_cents(amount):
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def statutory_collection_costs(principal):
    """Return the Dutch extrajudicial collection costs (WIK staffel).

    The staffel applies to the principal only (interest not included); for
    several invoices in one reminder pass the sum of their principals, the
    staffel is applied once:

    * 15% of the first EUR 2,500;
    * 10% of the next EUR 2,500;
    * 5% of the next EUR 5,000;
    * 1% of the next EUR 190,000;
    * 0.5% of the rest;

    with a minimum of EUR 40 and a maximum of EUR 6,775. A principal of zero
    or less gives no costs. VAT is not included.

    :param principal: outstanding principal (int, float, str or Decimal)
    :return: Decimal rounded to cents, e.g. ``2500`` -> ``Decimal("375.00")``
    """
    remaining = _to_decimal(principal)
    if remaining <= 0:
        return Decimal("0.00")
    costs = Decimal("0")
    for size, percent in WIK_BRACKETS:
        part = remaining if size is None else min(remaining, size)
        costs += part * percent / 100
        remaining -= part
        if remaining <= 0:
            break
    costs = min(max(costs, WIK_MINIMUM), WIK_MAXIMUM)
    return _round_cents(costs)


def _add_years(date, years):
    """Return ``date`` shifted by ``years``; 29 February becomes 28 February."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


def _rate_on(day, rate_periods):
    """Return the rate (Decimal, percent) in force on ``day``."""
    rate = None
    for start, period_rate in rate_periods:
        if start > day:
            break
        rate = period_rate
    if rate is None:
        raise ValueError(f"No statutory interest rate is known for {day.isoformat()}.")
    return rate


def statutory_interest(principal, date_from, date_to, rate_periods):
    """Return the Dutch statutory interest (art. 6:119 / 6:119a BW).

    Conventions:

    * Interest runs on every day ``d`` with ``date_from <= d < date_to``, so the
      number of interest days is ``(date_to - date_from).days``. Pass the first
      day on which interest is due as ``date_from`` (for commercial interest:
      the day after the agreed payment date) and the day of payment (or the
      calculation date) as ``date_to``.
    * Each day earns ``base * rate / 100 / 365`` (actual days / 365, also in
      leap years), using the rate in force on that day: the rate of the last
      entry of ``rate_periods`` whose start date is on or before that day.
    * Compounding (art. 6:119 lid 2 BW): at every anniversary of ``date_from``
      the interest accrued during that year, rounded to cents, is added to the
      base on which interest runs. For a ``date_from`` of 29 February the
      anniversary in a non-leap year is 28 February.
    * The result is the total interest (capitalised plus still accruing),
      rounded to cents (half up), as a Decimal.

    :param principal: amount on which interest runs (int, float, str or Decimal)
    :param date_from: first day of interest (date)
    :param date_to: end date, exclusive (date)
    :param rate_periods: list of ``(start_date, rate_percent)``; it is sorted
        by start date here, so the order given does not matter
    :raises ValueError: if no rate is known for a day in the period
    :return: Decimal rounded to cents
    """
    base = _to_decimal(principal)
    date_from = _to_date(date_from)
    date_to = _to_date(date_to)
    if base <= 0 or not date_from or not date_to or date_to <= date_from:
        return Decimal("0.00")
    periods = sorted(((_to_date(start), _to_decimal(rate)) for start, rate in rate_periods), key=lambda p: p[0])

    # Split the period at every rate change and every anniversary of date_from.
    anniversaries = set()
    years = 1
    anniversary = _add_years(date_from, years)
    while anniversary < date_to:
        anniversaries.add(anniversary)
        years += 1
        anniversary = _add_years(date_from, years)
    rate_changes = {start for start, _rate in periods if date_from < start < date_to}
    boundaries = sorted(anniversaries | rate_changes | {date_to})

    principal_amount = base
    accrued = Decimal("0")
    segment_start = date_from
    for segment_end in boundaries:
        days = (segment_end - segment_start).days
        rate = _rate_on(segment_start, periods)
        accrued += base * rate * days / (100 * DAYS_IN_YEAR)
        if segment_end in anniversaries:
            base += _round_cents(accrued)
            accrued = Decimal("0")
        segment_start = segment_end
    return _round_cents(base - principal_amount + accrued)
