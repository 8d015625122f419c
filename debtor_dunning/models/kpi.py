# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The arithmetic of credit control's figures, as plain functions: no ORM, so tests call them
directly and the overview, the trend and the reports compute every figure the same way.

Definitions (`shared/domain-facts.md`, "KPIs"):

- aging buckets: current (not yet due), 1-30, 31-60, 61-90 and more than 90 days past due;
- DSO by the countback method: from the receivable, subtract each month's credit sales, newest
  month first, counting that month's days, then the fraction of the last month still needed;
- CEI (collection effectiveness index) = (opening AR + credit sales - closing total AR) /
  (opening AR + credit sales - closing current AR) x 100;
- ADD (average days delinquent) = DSO - best possible DSO, the best possible DSO being the DSO of
  the current (not yet due) receivable alone: current AR / credit sales x days, counted back the
  same way, so that a receivable with nothing overdue has an ADD of 0.
"""

import calendar
from datetime import date, timedelta

from odoo.tools import SQL

# (code, first day past due, last day past due); None: open-ended. The one definition of the
# buckets: `aging_bucket` reads it, and so does its SQL twin `aging_bucket_sql`.
AGING_BUCKETS = (
    ("current", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("90_plus", 91, None),
)
AGING_BUCKET_CODES = tuple(code for code, _first, _last in AGING_BUCKETS)

# How soon after a letter an invoice counts as "paid within" (the effectiveness report).
PAID_WITHIN_DAYS = (7, 14, 30)
# How far the countback goes: two years of credit sales.
COUNTBACK_MONTHS = 24


def aging_bucket(days_overdue):
    """The aging bucket of an item `days_overdue` days past its due date (0 or less: current)."""
    for code, first, last in AGING_BUCKETS:
        if (first is None or days_overdue >= first) and (last is None or days_overdue <= last):
            return code
    raise ValueError(days_overdue)  # unreachable: the buckets cover every integer


def aging_bucket_sql(days_overdue):
    """`aging_bucket` in SQL, for the SQL expression `days_overdue`."""
    cases = []
    for code, first, last in AGING_BUCKETS:
        conditions = []
        if first is not None:
            conditions.append(SQL("%s >= %s", days_overdue, first))
        if last is not None:
            conditions.append(SQL("%s <= %s", days_overdue, last))
        cases.append(SQL("WHEN %s THEN %s", SQL(" AND ").join(conditions), code))
    return SQL("(CASE %s END)", SQL(" ").join(cases))


def dso_countback(receivable, monthly_credit_sales):
    """Days sales outstanding by the countback method.

    `monthly_credit_sales` is a sequence of `(credit_sales, days)`, newest month first (the newest
    may be a month to date, with the days it has had so far). Whole months are counted back while
    their sales fit in what is left of the receivable, then the fraction of the next one. A month
    without sales adds its days: the receivable is older than it. When the months run out first,
    the days counted so far are returned (a DSO of at least that).
    """
    remaining = receivable
    days_outstanding = 0.0
    for credit_sales, days in monthly_credit_sales:
        if remaining <= 0:
            break
        if credit_sales <= 0:
            days_outstanding += days
        elif remaining >= credit_sales:
            days_outstanding += days
            remaining -= credit_sales
        else:
            days_outstanding += remaining / credit_sales * days
            remaining = 0
    return days_outstanding


def best_possible_dso(current_receivable, monthly_credit_sales):
    """The DSO the receivable would have if nothing were overdue: the countback of the current part."""
    return dso_countback(current_receivable, monthly_credit_sales)


def cei(opening_receivable, credit_sales, closing_receivable, closing_current_receivable):
    """Collection effectiveness index in percent; None when nothing was collectable in the period."""
    collectable = opening_receivable + credit_sales - closing_current_receivable
    if collectable <= 0:
        return None
    return (opening_receivable + credit_sales - closing_receivable) / collectable * 100


def average_days_delinquent(dso, best_possible_dso):
    """Average days delinquent: how many days of the DSO are due to late payment."""
    return dso - best_possible_dso


def share(part, whole):
    """`part` as a percentage of `whole`; 0 for an empty whole."""
    return part / whole * 100 if whole else 0.0


def month_end(day):
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_back(as_of, count):
    """`count` periods of one month, newest first, ending on `as_of`: `[(first day, last day)]`.

    The newest is the month to date (from the first of `as_of`'s month to `as_of`), the others
    whole calendar months.
    """
    periods = []
    last = as_of
    for _index in range(count):
        first = last.replace(day=1)
        periods.append((first, last))
        last = first - timedelta(days=1)
    return periods


def period_days(period):
    """The number of days of a `(first day, last day)` period."""
    first, last = period
    return (last - first).days + 1


def previous_month(as_of):
    """The calendar month before `as_of`'s: `(first day, last day)`."""
    last = as_of.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def previous_quarter(as_of):
    """The calendar quarter before `as_of`'s: `(first day, last day)`."""
    first_of_quarter = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    last = first_of_quarter - timedelta(days=1)
    return date(last.year, last.month - 2, 1), last


def dso_figures(receivable, current_receivable, sales_by_period, periods):
    """DSO, best possible DSO and ADD on the last day of `periods[0]`.

    `periods` as `months_back` gives them; `sales_by_period` maps each period to its credit sales.
    """
    monthly = [(sales_by_period.get(period, 0.0), period_days(period)) for period in periods]
    dso = dso_countback(receivable, monthly)
    best = best_possible_dso(current_receivable, monthly)
    return {"dso": dso, "best_possible_dso": best, "add": average_days_delinquent(dso, best)}
