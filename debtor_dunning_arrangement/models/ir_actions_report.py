# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _dunning_letter_reports(self):
        """The schedule the debtor receives is printed like a letter, so that its PDF has text."""
        return super()._dunning_letter_reports() | {"debtor_dunning_arrangement.report_debtor_dunning_arrangement"}
