# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .debtor_dunning_collection_case import ACTIVE_CASE_STATES

REASON_COLLECTION = "collection"


class DebtorDunningRun(models.Model):
    _inherit = "debtor.dunning.run"

    def _dunning_excluded_moves(self, move_ids):
        excluded = super()._dunning_excluded_moves(move_ids)
        handed_over = self.env["account.move"].search(
            [("id", "in", list(move_ids)), ("dunning_case_id.state", "in", ACTIVE_CASE_STATES)]
        )
        return excluded | dict.fromkeys(handed_over.ids, REASON_COLLECTION)

    def _dunning_daily_steps(self):
        counts = super()._dunning_daily_steps()
        relieved = self.env["account.move"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("dunning_vat_relief_move_id", "!=", False),
                ("dunning_written_off", "=", False),
                ("date", "<=", self.date),
            ]
        )
        return counts | {"vat_due_again": len(relieved._dunning_book_vat_due_again(self.date))}

    def _dunning_step_labels(self):
        return super()._dunning_step_labels() | {"vat_due_again": self.env._("VAT due again after payments")}

    def _dunning_reason_labels(self):
        return super()._dunning_reason_labels() | {REASON_COLLECTION: self.env._("Handed to a collection agency")}
