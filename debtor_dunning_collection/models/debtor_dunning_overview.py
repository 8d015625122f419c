# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.fields import Domain


class DebtorDunningOverview(models.TransientModel):
    _inherit = "debtor.dunning.overview"

    def _dunning_work_queue(self):
        queue = super()._dunning_work_queue()
        companies = Domain("company_id", "in", self.env.companies.ids)
        Move = self.env["account.move"]
        return [
            *queue,
            {
                "code": "cases_to_approve",
                "sequence": 80,
                "label": self.env._("Collection cases to approve"),
                "model": "debtor.dunning.collection.case",
                "domain": list(companies & Domain("state", "=", "to_approve")),
                "action": "debtor_dunning_collection.debtor_dunning_collection_case_action",
            },
            {
                "code": "vat_relief_due",
                "sequence": 90,
                "label": self.env._("VAT relief due"),
                "model": "account.move",
                "domain": list(companies & Move._dunning_vat_relief_due_domain()),
                "action": "account.action_move_out_invoice_type",
            },
            {
                "code": "limitations_soon",
                "sequence": 100,
                "label": self.env._("Time-barred within 90 days"),
                "model": "account.move",
                "domain": list(companies & Move._dunning_limitation_soon_domain()),
                "action": "account.action_move_out_invoice_type",
            },
        ]

    def _dunning_warnings(self):
        warnings = super()._dunning_warnings()
        missing = self.env["debtor.dunning.interest.rate"]._missing_current_rate_kinds()
        if missing:
            warnings.append(
                self.env._(
                    "The statutory interest table has no rate for the current half-year: %s. "
                    "Interest on claims cannot be computed until it has.",
                    ", ".join(missing),
                )
            )
        return warnings
