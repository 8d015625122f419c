# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class DebtorDunningArrangement(models.Model):
    """The debtor's side: his own proposal from the portal, and paying an instalment online."""

    _inherit = "debtor.dunning.arrangement"

    # ------------------------------------------------------------------ the debtor's own proposal
    @api.model
    def _self_service_limits_exceeded(self, template, total, count):
        """What of the template's limits a debtor's own proposal exceeds, in words (empty: within them)."""
        exceeded = []
        if count > template.number_of_instalments:
            exceeded.append(
                self.env._("%(count)s instalments (at most %(max)s)", count=count, max=template.number_of_instalments)
            )
        if template.max_amount and total > template.max_amount:
            exceeded.append(
                self.env._(
                    "a total of %(total)s (at most %(max)s)",
                    total=template.currency_id.format(total),
                    max=template.currency_id.format(template.max_amount),
                )
            )
        return exceeded

    @api.model
    def _propose_from_portal(self, debtor, moves, template, count):
        """The debtor's own arrangement: confirmed at once within the template's limits, else proposed.

        `moves` were read with the debtor's own rights (his invoices); everything else is checked
        here as for a controller. A proposal beyond the limits waits, with an activity for a controller.
        """
        _ = self.env._
        if not template.self_service:
            raise UserError(_("This arrangement cannot be chosen in the portal."))
        if count < 1:
            raise UserError(_("Choose at least one instalment."))
        problems = self._arrangeable_problems(moves, debtor, template.company_id)
        today = fields.Date.context_today(self)
        not_overdue = moves.filtered(lambda m: not m.dunning_date_due or m.dunning_date_due >= today)
        problems += [_("%s is not overdue.", move.name) for move in not_overdue]
        if problems:
            raise UserError("\n".join(problems))
        arrangement = self.create(
            {
                "partner_id": debtor.id,
                "company_id": template.company_id.id,
                "template_id": template.id,
                "move_ids": [fields.Command.set(moves.ids)],
                "date_first": fields.Date.add(today, days=template.first_instalment_delay_days),
            }
        )
        schedule = template._compute_schedule_from(
            arrangement.amount_total, arrangement.date_first, arrangement.currency_id.rounding, count=count
        )
        arrangement.instalment_ids = [
            fields.Command.create({"sequence": index, "date_due": date_due, "amount": amount})
            for index, (date_due, amount) in enumerate(schedule, start=1)
        ]
        exceeded = self._self_service_limits_exceeded(template, arrangement.amount_total, count)
        if not exceeded:
            arrangement.action_confirm()
            return arrangement
        arrangement.state = "proposed"
        arrangement.message_post(
            body=_("Proposed by the debtor in the portal, beyond the template's limits: %s.", ", ".join(exceeded))
        )
        arrangement.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Accept or refuse the debtor's payment arrangement"),
            note=_(
                "Beyond the limits of %(template)s: %(limits)s.", template=template.name, limits=", ".join(exceeded)
            ),
            user_id=arrangement._controller_to_notify().id,
        )
        return arrangement

    def _controller_to_notify(self):
        """The debtor's salesperson when he is a Credit Controller, else the company's first controller."""
        self.ensure_one()
        group = self.env.ref("debtor_dunning.group_debtor_dunning_controller")
        salesperson = self.partner_id.user_id
        if salesperson and group in salesperson.all_group_ids and self.company_id in salesperson.company_ids:
            return salesperson
        controllers = group.all_user_ids.filtered(lambda u: self.company_id in u.company_ids and not u.share)
        return controllers.sorted("id")[:1] or self.env.user

    def _instalment_pay_path(self, instalment):
        """Where the debtor pays `instalment` online (with the arrangement's token)."""
        self.ensure_one()
        return f"/my/arrangements/{self.id}/instalment/{instalment.id}/pay?access_token={self._portal_ensure_token()}"

    def _invoices_to_pay(self):
        """The covered invoices still open, oldest first: a payment is reconciled with them in that order."""
        self.ensure_one()
        return self.move_ids.filtered(lambda move: move._has_to_be_paid()).sorted(
            lambda move: (move.dunning_date_due or move.date, move.name or "")
        )
