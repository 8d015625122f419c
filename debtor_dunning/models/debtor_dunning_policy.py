# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .dunning_rules import LevelRule


class DebtorDunningPolicy(models.Model):
    _name = "debtor.dunning.policy"
    _description = "Dunning Policy"
    _order = "company_id, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_ids = fields.One2many("debtor.dunning.level", "policy_id", string="Levels", copy=True)
    level_count = fields.Integer(compute="_compute_level_count")
    minimum_overdue_amount = fields.Monetary(
        string="Minimum Overdue Amount",
        currency_field="currency_id",
        help="A debtor whose overdue total (in the company currency) stays below this amount is not chased.",
    )
    residual_tolerance = fields.Monetary(
        string="Residual Tolerance",
        currency_field="currency_id",
        default=0.0,
        help="An invoice whose open amount is at or below this amount counts as paid: "
        "small differences left by a payment are never chased.",
    )
    note = fields.Html(translate=True)

    _check_amounts = models.Constraint(
        "CHECK(minimum_overdue_amount >= 0 AND residual_tolerance >= 0)",
        "The minimum overdue amount and the residual tolerance cannot be negative.",
    )

    @api.depends("level_ids")
    def _compute_level_count(self):
        counts = dict(
            self.env["debtor.dunning.level"]._read_group([("policy_id", "in", self.ids)], ["policy_id"], ["__count"])
        )
        for policy in self:
            policy.level_count = counts.get(policy, 0)

    def _level_rules(self):
        """The ladder as plain rules for `dunning_rules.next_level_due`."""
        self.ensure_one()
        return [
            LevelRule(
                level_id=level.id,
                sequence=level.sequence,
                day_offset=level.day_offset,
                min_days_since_previous=level.min_days_since_previous,
                payment_term_days=level.payment_term_days,
                by_post=level.channel_letter and not level.channel_email,
                email_delivery_days=self.company_id.dunning_delivery_days_email,
                post_delivery_working_days=self.company_id.dunning_delivery_days_post,
            )
            for level in self.level_ids.sorted(lambda lvl: (lvl.sequence, lvl.id))
        ]
