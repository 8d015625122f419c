# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_layout(self):
        """Dunning letters and the statement of account are printed in a page without web fonts, so
        that their PDF has text.

        See report/debtor_dunning_letter_layout.xml; every other report keeps Odoo's layout.
        """
        if len(self) == 1 and (
            self.model == "debtor.dunning.communication"
            or self.report_name == "debtor_dunning.report_statement_of_account"
        ):
            return self.env.ref("debtor_dunning.report_letter_minimal_layout")
        return super()._get_layout()
