# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from . import odoo_report_adapter


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

    def _get_rendering_context(self, report, docids, data):
        """`letterhead_in_body`: wkhtmltopdf cannot print page headers (a build without patched Qt,
        as Debian's), so the documents sent to debtors print the sender in the body instead
        (template debtor_dunning.report_letterhead_in_body)."""
        values = super()._get_rendering_context(report, docids, data)
        values.setdefault("letterhead_in_body", not odoo_report_adapter.prints_several_documents_per_call())
        return values
