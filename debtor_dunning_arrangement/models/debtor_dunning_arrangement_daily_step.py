# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, models
from odoo.tools import format_date

from . import arrangement_rules as rules


class DebtorDunningArrangement(models.Model):
    """The arrangements' day, as the daily run does it: instalment states, breaches, completions, reminders."""

    _inherit = "debtor.dunning.arrangement"

    # ------------------------------------------------------------------ the run's daily step
    @api.model
    def _dunning_daily_step(self, company, on_date):
        """The arrangements' work of `company` on `on_date`; returns {step code: count}.

        In this order: instalment states (paid, late), broken arrangements (an instalment more
        than the grace days late), completed ones (all paid), then the reminders of the instalments
        still open.
        """
        active = self.search([("company_id", "=", company.id), ("state", "=", "active")])
        counts = {
            "instalments_late": 0,
            "arrangements_broken": 0,
            "arrangements_completed": 0,
            "instalment_reminders": 0,
        }
        if not active:
            return counts
        # Only the arrangements something can happen to today are read one by one: those with an
        # unpaid instalment due by the end of the reminder window, and those fully paid. The rest
        # (most, on any day) have nothing late, nothing to remind and nothing to complete.
        horizon = on_date + timedelta(days=max(active.template_id.mapped("reminder_days_before") or [0]))
        Instalment = self.env["debtor.dunning.arrangement.instalment"]
        pending = Instalment.search(
            [("arrangement_id", "in", active.ids), ("state", "!=", rules.PAID), ("date_due", "<=", horizon)]
        )
        all_paid = self.search([("id", "in", active.ids), ("instalment_ids", "not any", [("state", "!=", rules.PAID)])])
        arrangements = pending.arrangement_id | all_paid
        to_break = self.browse()
        to_complete = self.browse()
        reasons = {}
        late_before = set(pending.filtered(lambda i: i.state == rules.LATE).ids)
        arrangements.write({"date_checked": on_date})
        counts["instalments_late"] = len(set(pending.filtered(lambda i: i.state == rules.LATE).ids) - late_before)
        tolerances = {}
        for arrangement in arrangements:
            key = (arrangement.partner_id.id, arrangement.company_id.id)
            if key not in tolerances:
                tolerances[key] = arrangement._tolerance()
            tolerance = tolerances[key]
            grace = arrangement.template_id.grace_days if arrangement.template_id else 0
            instalments = arrangement.instalment_ids.sorted("sequence")
            items = [(i.amount, i.amount_paid, i.date_due) for i in instalments]
            breach = rules.first_breach(items, on_date, grace, tolerance)
            if breach:
                late = instalments.filtered(lambda i, due=breach[2]: i.date_due == due)[:1]
                to_break |= arrangement
                reasons[arrangement.id] = self.env._(
                    "Instalment %(index)s of %(amount)s, due on %(date)s, was not paid within %(days)s days.",
                    index=late.sequence,
                    amount=arrangement.currency_id.format(late.amount - late.amount_paid),
                    date=format_date(self.env, late.date_due),
                    days=grace,
                )
            elif rules.is_completed(items, tolerance):
                to_complete |= arrangement
        for arrangement in to_break:
            arrangement._break(on_date, reasons[arrangement.id])
        if to_complete:
            to_complete.write({"state": "completed", "date_end": on_date})
            for arrangement in to_complete:
                arrangement.message_post(body=self.env._("Every instalment is paid: the arrangement is completed."))
        counts["arrangements_broken"] = len(to_break)
        counts["arrangements_completed"] = len(to_complete)
        due = (pending - to_break.instalment_ids - to_complete.instalment_ids).filtered(
            lambda i: rules.is_reminder_due(
                i.date_due,
                on_date,
                i.arrangement_id.template_id.reminder_days_before,
                already_reminded=bool(i.date_reminded),
                paid=i.state == rules.PAID,
            )
        )
        due._queue_reminder(on_date)
        counts["instalment_reminders"] = len(due)
        counts["direct_debits_charged"] = len(self._charge_due_debits(company, on_date))
        return counts
