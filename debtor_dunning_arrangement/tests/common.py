# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.addons.debtor_dunning.tests.common import TODAY, DunningCommon


class ArrangementCommon(DunningCommon):
    """The core's company, policy and debtors, with a monthly template of three instalments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Arrangement = cls.env["debtor.dunning.arrangement"]
        cls.template = cls.env["debtor.dunning.arrangement.template"].create(
            {
                "name": "3 monthly (test)",
                "company_id": cls.company.id,
                "number_of_instalments": 3,
                "interval": "month",
                "first_instalment_delay_days": 14,
                "reminder_days_before": 3,
                "grace_days": 5,
            }
        )

    def _arrange(self, invoices, on_date=TODAY, confirm=True, template=None, partner=None):
        """A draft arrangement of `invoices` made as the wizard makes it on `on_date`; confirmed by default."""
        with freeze_time(on_date):
            wizard = (
                self.env["debtor.dunning.arrangement.wizard"]
                .with_context(active_model="account.move", active_ids=invoices.ids)
                .create({"template_id": (template or self.template).id})
            )
            if partner:
                wizard.partner_id = partner
            action = wizard.action_create_arrangement()
            arrangement = self.Arrangement.browse(action["res_id"])
            if confirm:
                arrangement.action_confirm()
        return arrangement

    def _arrangement(self, invoices, schedule, on_date=TODAY):
        """A draft arrangement of `invoices` with the schedule [(date, amount)] entered by hand."""
        with freeze_time(on_date):
            return self.Arrangement.create(
                {
                    "partner_id": invoices[:1].commercial_partner_id.id or self.debtor.id,
                    "company_id": self.company.id,
                    "template_id": self.template.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "instalment_ids": [
                        Command.create({"sequence": index, "date_due": day, "amount": amount})
                        for index, (day, amount) in enumerate(schedule, start=1)
                    ],
                }
            )

    def _pay(self, invoice, amount, on_date):
        with freeze_time(on_date):
            self._register_payment(invoice, amount=amount, payment_date=on_date)

    def _run_on(self, on_date):
        """The day's run, then the reminders it queued sent as the sending cron sends them."""
        with freeze_time(on_date):
            run = self._run(on_date)
            self.env["debtor.dunning.arrangement.instalment"].search(
                [("reminder_queued", "=", True)]
            )._send_queued_reminders()
            return run

    @staticmethod
    def _days(count):
        return TODAY + timedelta(days=count)
