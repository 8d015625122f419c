# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .statutory import RateNotCovered, half_year_start, statutory_interest

INTEREST_KINDS = [
    ("commercial", "Commercial (art. 6:119a BW)"),
    ("non_commercial", "Non-commercial (art. 6:119 BW)"),
]


class DebtorDunningInterestRate(models.Model):
    _name = "debtor.dunning.interest.rate"
    _description = "Statutory Interest Rate"
    _order = "date_start desc, kind"

    date_start = fields.Date(
        string="Valid From",
        required=True,
        help="First day on which this rate applies. It applies until the next rate of the same kind starts.",
    )
    kind = fields.Selection(
        selection=INTEREST_KINDS,
        required=True,
        default="commercial",
        help="Commercial interest (art. 6:119a BW) applies to transactions between businesses, "
        "non-commercial interest (art. 6:119 BW) to all other claims.",
    )
    rate = fields.Float(
        string="Rate (%)",
        digits=(16, 2),
        aggregator=None,
        required=True,
        help="Yearly interest rate in percent, as published in the Staatscourant.",
    )
    note = fields.Char(
        help="For example the publication this rate was taken from.",
    )

    _kind_date_start_unique = models.Constraint(
        "unique (kind, date_start)",
        "There is already a statutory interest rate of this kind starting on this date.",
    )
    _rate_positive = models.Constraint(
        "CHECK (rate >= 0)",
        "The statutory interest rate cannot be negative.",
    )

    @api.depends("date_start", "kind", "rate")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for record in self:
            record.display_name = self.env._(
                "%(kind)s from %(date)s: %(rate)s%%",
                kind=kinds.get(record.kind, ""),
                date=format_date(self.env, record.date_start) if record.date_start else "",
                rate=f"{record.rate:.2f}",
            )

    @api.model
    def _get_rate_periods(self, kind):
        """Return the rates of ``kind`` as ``[(date_start, rate_percent), ...]``.

        The list is sorted by start date (oldest first), as expected by
        :func:`~.statutory.statutory_interest`.
        """
        rates = self.search([("kind", "=", kind)], order="date_start asc")
        return [(rate.date_start, rate.rate) for rate in rates]

    @api.model
    def compute_interest(self, principal, date_from, date_to, kind="commercial"):
        """Return the statutory interest on ``principal`` using the rate table.

        See :func:`~.statutory.statutory_interest` for the conventions: interest
        runs from ``date_from`` (inclusive) to ``date_to`` (exclusive) at actual
        days / 365 and compounds at every anniversary of ``date_from``.

        :return: interest amount as a float rounded to cents
        :raises UserError: if the table has no rate for part of the period (an entry covers its
            own half-year at most)
        """
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        periods = self._get_rate_periods(kind)
        try:
            interest = statutory_interest(principal, date_from, date_to, periods)
        except RateNotCovered as missing:
            kinds = dict(self._fields["kind"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    'No statutory interest rate of the kind "%(kind)s" is known for the half-year starting '
                    "%(half_year)s (the interest runs from %(date_from)s to %(date_to)s); the last known rate is "
                    "never reused for it. Add the rate from the official publication under Credit Control > "
                    "Configuration > Statutory Interest Rates.",
                    kind=kinds.get(kind, kind),
                    half_year=format_date(self.env, half_year_start(missing.day)),
                    date_from=format_date(self.env, date_from),
                    date_to=format_date(self.env, date_to),
                )
            ) from None
        return float(interest)

    @api.model
    def _missing_current_rate_kinds(self, on_date=None):
        """The kinds (labels) that have no rate for the half-year of ``on_date`` (default: today)."""
        on_date = fields.Date.to_date(on_date) or fields.Date.context_today(self)
        half_year = half_year_start(on_date)
        known = {
            kind
            for [kind] in self._read_group([("date_start", ">=", half_year), ("date_start", "<=", on_date)], ["kind"])
        }
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        return [label for kind, label in kinds.items() if kind not in known]
