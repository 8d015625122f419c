# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from .instalment_schedule import instalment_schedule

PREVIEW_AMOUNT = 1000.0


class DebtorDunningArrangementTemplate(models.Model):
    _name = "debtor.dunning.arrangement.template"
    _description = "Payment Arrangement Template"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    number_of_instalments = fields.Integer(
        string="Number of Instalments",
        required=True,
        default=3,
        help="Total number of instalments, including the down payment when there is one.",
    )
    interval = fields.Selection(
        selection=[("month", "Months"), ("week", "Weeks"), ("day", "Days")],
        required=True,
        default="month",
        help="Unit of the period between two instalments.",
    )
    interval_length = fields.Integer(
        string="Every",
        required=True,
        default=1,
        help="Number of intervals between two instalments, e.g. 2 with Months means every two months.",
    )
    first_instalment_delay_days = fields.Integer(
        string="First Instalment After (Days)",
        required=True,
        default=14,
        help="Number of days between the confirmation of the arrangement and the due date of the first instalment.",
    )
    down_payment_percent = fields.Float(
        string="Down Payment (%)",
        digits=(16, 2),
        default=0.0,
        help="Percentage of the total paid as the first instalment. Leave 0 for equal instalments only.",
    )
    note = fields.Text(
        translate=True,
        help="Terms of the arrangement, shown to the debtor.",
    )
    reminder_days_before = fields.Integer(
        string="Reminder Days Before",
        default=3,
        help="The debtor is reminded this many days before each instalment is due. For SEPA direct debit "
        "this reminder is the pre-notification, which the SEPA rulebook sets at 14 days unless the "
        "mandate agrees otherwise.",
    )
    grace_days = fields.Integer(
        string="Grace Days",
        default=5,
        help="Days an instalment may be late before the arrangement is broken and dunning resumes.",
    )
    direct_debit = fields.Boolean(
        string="Direct Debit",
        help="Instalments are collected by SEPA direct debit; the reminder is the pre-notification.",
    )
    self_service = fields.Boolean(
        string="Self-Service",
        help="The debtor may choose this template in the portal for his own overdue invoices.",
    )
    max_amount = fields.Monetary(
        string="Maximum Amount",
        help="The largest total a debtor may arrange himself in the portal; above it his proposal "
        "waits for a credit controller. 0 means no limit.",
    )
    schedule_preview = fields.Html(
        compute="_compute_schedule_preview",
        sanitize=False,
        help="Schedule this template produces for an example amount of 1,000.00 confirmed today.",
    )

    _number_of_instalments_positive = models.Constraint(
        "CHECK(number_of_instalments >= 1)",
        "An arrangement template needs at least one instalment.",
    )
    _interval_length_positive = models.Constraint(
        "CHECK(interval_length >= 1)",
        "The number of intervals between two instalments must be at least 1.",
    )
    _down_payment_percent_range = models.Constraint(
        "CHECK(down_payment_percent >= 0 AND down_payment_percent < 100)",
        "The down payment must be at least 0% and lower than 100%.",
    )
    _down_payment_needs_two_instalments = models.Constraint(
        "CHECK(down_payment_percent = 0 OR number_of_instalments >= 2)",
        "A template with a down payment needs at least two instalments: the down payment and the rest.",
    )
    _reminder_days_before_positive = models.Constraint(
        "CHECK(reminder_days_before >= 0)",
        "The reminder cannot be sent after the instalment is due.",
    )
    _grace_days_positive = models.Constraint(
        "CHECK(grace_days >= 0)",
        "The grace days cannot be negative.",
    )
    _max_amount_positive = models.Constraint(
        "CHECK(max_amount IS NULL OR max_amount >= 0)",
        "The maximum amount cannot be negative.",
    )
    _first_instalment_delay_days_positive = models.Constraint(
        "CHECK(first_instalment_delay_days >= 0)",
        "The delay before the first instalment cannot be negative.",
    )

    @api.depends(
        "number_of_instalments",
        "interval",
        "interval_length",
        "first_instalment_delay_days",
        "down_payment_percent",
        "company_id",
    )
    @api.depends_context("lang")
    def _compute_schedule_preview(self):
        today = fields.Date.context_today(self)
        for template in self:
            template.schedule_preview = template._render_schedule_preview(PREVIEW_AMOUNT, today)

    def _render_schedule_preview(self, total, start_date):
        self.ensure_one()
        currency = self.currency_id or self.env.company.currency_id
        try:
            schedule = self._compute_schedule(total, start_date)
        except UserError as error:
            return Markup('<p class="text-muted">%s</p>') % error.args[0]
        rows = Markup().join(
            Markup('<tr><td class="text-end">%s</td><td>%s</td><td class="text-end">%s</td></tr>')
            % (index, format_date(self.env, due_date), currency.format(amount))
            for index, (due_date, amount) in enumerate(schedule, start=1)
        )
        return Markup(
            '<p class="text-muted">%s</p>'
            '<table class="table table-sm o_debtor_dunning_arrangement_preview">'
            '<thead><tr><th class="text-end">#</th><th>%s</th><th class="text-end">%s</th></tr></thead>'
            "<tbody>%s</tbody></table>"
        ) % (
            self.env._(
                "Example: %(amount)s, arrangement confirmed on %(date)s.",
                amount=currency.format(total),
                date=format_date(self.env, start_date),
            ),
            self.env._("Due Date"),
            self.env._("Amount"),
            rows,
        )

    def _get_schedule_rounding(self):
        self.ensure_one()
        return (self.currency_id or self.env.company.currency_id).rounding

    def _compute_schedule(self, total, start_date):
        """Return the instalments of this template for ``total`` as a list of ``(date, amount)``.

        :param float total: amount covered by the arrangement.
        :param date start_date: date the arrangement is confirmed; the first
            instalment falls ``first_instalment_delay_days`` later.
        :raise UserError: when the schedule cannot be computed (e.g. amount too small).
        """
        self.ensure_one()
        if isinstance(start_date, str):
            start_date = fields.Date.to_date(start_date)
        elif isinstance(start_date, datetime.datetime):
            start_date = start_date.date()
        return self._compute_schedule_from(total, start_date + relativedelta(days=self.first_instalment_delay_days))

    def _compute_schedule_from(self, total, first_date, rounding=None, count=None):
        """Like `_compute_schedule`, with the first instalment due on `first_date` (and `count` instalments)."""
        self.ensure_one()
        rounding = rounding or self._get_schedule_rounding()
        down_payment = total * self.down_payment_percent / 100.0 if self.down_payment_percent else 0.0
        try:
            return instalment_schedule(
                total,
                count or self.number_of_instalments,
                first_date,
                interval=self.interval,
                interval_length=self.interval_length,
                down_payment=down_payment,
                rounding=rounding,
            )
        except ValueError as error:
            raise UserError(
                self.env._(
                    "The schedule of arrangement template “%(template)s” cannot be computed: %(reason)s",
                    template=self.display_name,
                    reason=str(error),
                )
            ) from error
