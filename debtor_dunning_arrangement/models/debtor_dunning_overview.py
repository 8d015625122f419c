# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields, models


class DebtorDunningOverview(models.TransientModel):
    _inherit = "debtor.dunning.overview"

    def _dunning_work_queue(self):
        queue = super()._dunning_work_queue()
        today = fields.Date.context_today(self)
        monday = today - timedelta(days=today.weekday())
        companies = [("company_id", "in", self.env.companies.ids)]
        arrangements = "debtor_dunning_arrangement.debtor_dunning_arrangement_action"
        # The words first: Odoo's string extraction mistakes the domains' tuples after them for more words.
        label = {
            "arrangements_proposed": self.env._("Payment arrangements proposed"),
            "arrangements_broken": self.env._("Payment arrangements broken this week"),
            "instalments_due": self.env._("Instalments due this week"),
        }
        return [
            *queue,
            {
                "code": "arrangements_proposed",
                "sequence": 60,
                "label": label["arrangements_proposed"],
                "model": "debtor.dunning.arrangement",
                "domain": [("state", "=", "proposed"), *companies],
                "action": arrangements,
            },
            {
                "code": "arrangements_broken",
                "sequence": 65,
                "label": label["arrangements_broken"],
                "model": "debtor.dunning.arrangement",
                "domain": [("state", "=", "broken"), ("date_broken", ">=", monday), *companies],
                "action": arrangements,
            },
            {
                "code": "instalments_due",
                "sequence": 70,
                "label": label["instalments_due"],
                "model": "debtor.dunning.arrangement.instalment",
                "domain": [
                    ("arrangement_id.state", "=", "active"),
                    ("state", "!=", "paid"),
                    ("date_due", ">=", monday),
                    ("date_due", "<=", monday + timedelta(days=6)),
                    *companies,
                ],
                "action": "debtor_dunning_arrangement.action_debtor_dunning_arrangement_instalment",
            },
        ]
