# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Dutch statutory collection costs and statutory interest, as pure functions.

This module does not import the Odoo ORM so it can be used (and tested) on its
own. All amounts are returned as :class:`decimal.Decimal` rounded to cents
(half up).
"""

import datetime
from collections import namedtuple
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
#: A business debtor owes at least this per late invoice (art. 6:96 lid 4 BW; CJEU C-585/20).
B2B_MINIMUM_PER_INVOICE = Decimal("40")
#: Recurring small claims (each below the threshold): costs at most the cap per debtor per six months.
RECURRING_SMALL_CLAIM_THRESHOLD = Decimal("266.67")
RECURRING_SMALL_CLAIM_CAP = Decimal("140")
#: Limitation periods in years: 5 for a claim (art. 3:307 BW), 2 for a consumer purchase (art. 7:28 BW).
LIMITATION_YEARS = 5
LIMITATION_YEARS_CONSUMER_PURCHASE = 2

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


class RateNotCovered(ValueError):
    """No rate of the table covers ``day``: the interest cannot be computed (never guessed)."""

    def __init__(self, day):
        self.day = day
        super().__init__(f"No statutory interest rate is known for {day.isoformat()}.")


def half_year_start(day):
    """The first day of the half-year (1 January or 1 July) that holds ``day``."""
    return day.replace(month=1 if day.month <= 6 else 7, day=1)


def next_half_year_start(day):
    """The first day of the half-year after the one that holds ``day``."""
    return day.replace(month=7, day=1) if day.month <= 6 else day.replace(year=day.year + 1, month=1, day=1)


def rate_coverage(rate_periods):
    """Return ``[(start, end_exclusive, rate), ...]``: the days each entry of the table covers.

    The rates are set per half-year (1 January, 1 July), so an entry holds from its start until the
    next entry starts, but never past the end of its own half-year: a half-year without an entry is
    a gap, not a silent continuation of the last rate.
    """
    periods = sorted(((_to_date(start), _to_decimal(rate)) for start, rate in rate_periods), key=lambda p: p[0])
    coverage = []
    for index, (start, rate) in enumerate(periods):
        end = next_half_year_start(start)
        if index + 1 < len(periods):
            end = min(end, periods[index + 1][0])
        coverage.append((start, end, rate))
    return coverage


def first_uncovered_day(rate_periods, date_from, date_to):
    """The first day in ``[date_from, date_to)`` that no rate covers, or None when all are covered."""
    day = date_from
    for start, end, _rate in rate_coverage(rate_periods):
        if end <= day:
            continue
        if start > day:
            return day
        day = end
        if day >= date_to:
            return None
    return day if day < date_to else None


def _rate_on(day, coverage):
    """Return the rate (Decimal, percent) in force on ``day``."""
    for start, end, rate in coverage:
        if start <= day < end:
            return rate
    raise RateNotCovered(day)


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
      entry of ``rate_periods`` whose start date is on or before that day, as
      long as that day lies in the entry's own half-year.
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
    :raises RateNotCovered: (a ValueError) if no rate covers a day in the period: an entry
        covers its own half-year at most (see :func:`rate_coverage`)
    :return: Decimal rounded to cents
    """
    base = _to_decimal(principal)
    date_from = _to_date(date_from)
    date_to = _to_date(date_to)
    if base <= 0 or not date_from or not date_to or date_to <= date_from:
        return Decimal("0.00")
    coverage = rate_coverage(rate_periods)
    uncovered = first_uncovered_day(rate_periods, date_from, date_to)
    if uncovered:
        raise RateNotCovered(uncovered)

    # Split the period at every rate change and every anniversary of date_from.
    anniversaries = set()
    years = 1
    anniversary = _add_years(date_from, years)
    while anniversary < date_to:
        anniversaries.add(anniversary)
        years += 1
        anniversary = _add_years(date_from, years)
    rate_changes = {start for start, _end, _rate in coverage if date_from < start < date_to}
    boundaries = sorted(anniversaries | rate_changes | {date_to})

    principal_amount = base
    accrued = Decimal("0")
    segment_start = date_from
    for segment_end in boundaries:
        days = (segment_end - segment_start).days
        rate = _rate_on(segment_start, coverage)
        accrued += base * rate * days / (100 * DAYS_IN_YEAR)
        if segment_end in anniversaries:
            base += _round_cents(accrued)
            accrued = Decimal("0")
        segment_start = segment_end
    return _round_cents(base - principal_amount + accrued)


def consumer_collection_costs(principal, letter_valid, term_expired, paid_within_term=0):
    """The collection costs a consumer owes (art. 6:96 lid 6 BW), or zero.

    He owes them only after a valid 14-day letter (sent after default, stating the amount and 14
    days after the day of receipt) whose term expired; a part he paid within the term is taken off
    the principal first, so the staffel runs on what remained.

    :param principal: principal the 14-day letter claimed
    :param letter_valid: a valid 14-day letter was sent
    :param term_expired: its term has surely run
    :param paid_within_term: principal he paid within the term
    """
    if not (letter_valid and term_expired):
        return Decimal("0.00")
    return statutory_collection_costs(_to_decimal(principal) - _to_decimal(paid_within_term))


def business_collection_costs(late_principals, staffel_agreed=False):
    """The collection costs a business owes for its late invoices.

    At least EUR 40 per late invoice, no reminder needed (art. 6:96 lid 4 BW, CJEU C-585/20); where
    the staffel was agreed, the staffel on the principals together when that is more.

    :param late_principals: the principal of each late invoice
    """
    principals = [_to_decimal(principal) for principal in late_principals if _to_decimal(principal) > 0]
    minimum = B2B_MINIMUM_PER_INVOICE * len(principals)
    if staffel_agreed:
        return _round_cents(max(statutory_collection_costs(sum(principals, Decimal("0"))), minimum))
    return _round_cents(minimum)


def is_recurring_small_claim(principals):
    """True when every claim is below EUR 266.67 (subscriptions, instalments: the EUR 140 cap applies)."""
    principals = [_to_decimal(principal) for principal in principals]
    return bool(principals) and all(principal < RECURRING_SMALL_CLAIM_THRESHOLD for principal in principals)


def capped_recurring_costs(costs, charged_in_six_months=0):
    """The costs that may still be charged for recurring small claims: at most EUR 140 per debtor
    per six months, less what was charged to him in the six months before."""
    room = max(RECURRING_SMALL_CLAIM_CAP - _to_decimal(charged_in_six_months), Decimal("0"))
    return _round_cents(min(_to_decimal(costs), room))


def collection_costs_vat(costs, vat_percent, creditor_deducts_vat):
    """The VAT that may be added to collection costs: only for a creditor who cannot deduct VAT."""
    if creditor_deducts_vat:
        return Decimal("0.00")
    return _round_cents(_to_decimal(costs) * _to_decimal(vat_percent) / 100)


def interest_start_date(commercial, date_due, default_date=None):
    """The first day of statutory interest: for a commercial claim (art. 6:119a BW) the day after
    the due date, for another claim (art. 6:119 BW) the day default began (None when it has not)."""
    if commercial:
        return _to_date(date_due) + datetime.timedelta(days=1)
    return _to_date(default_date) if default_date else None


def limitation_date(date_due, reminder_dates=(), years=LIMITATION_YEARS):
    """The last day before the claim is time-barred.

    The period starts the day after the due date (art. 3:307 BW). Each written reminder sent before
    it ran out interrupts it (art. 3:317), and a new period of the same length starts the next day
    (art. 3:319); a reminder after it ran out revives nothing.
    """
    end = _add_years(_to_date(date_due), years)
    for reminder in sorted(_to_date(day) for day in reminder_dates if day):
        if reminder <= end:
            end = max(end, _add_years(reminder, years))
    return end


Allocation = namedtuple("Allocation", ["costs", "interest", "principal", "surplus"])


def allocate_payment(amount, costs, interest, principal):
    """Split a payment by art. 6:44 BW: costs first, then interest, then principal; the rest is surplus."""
    remaining = _to_decimal(amount)
    parts = []
    for due in (costs, interest, principal):
        part = min(max(remaining, Decimal("0")), max(_to_decimal(due), Decimal("0")))
        parts.append(_round_cents(part))
        remaining -= part
    return Allocation(*parts, _round_cents(max(remaining, Decimal("0"))))
