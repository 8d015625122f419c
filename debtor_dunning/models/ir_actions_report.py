# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from . import odoo_report_adapter


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _dunning_letter_reports(self):
        """The reports (`report_name`s) of documents sent to debtors besides the dunning letters:
        printed in the letters' page. Add-ons add theirs (the arrangement's schedule)."""
        return {"debtor_dunning.report_statement_of_account"}

    def _get_layout(self):
        """Dunning letters and the documents of `_dunning_letter_reports` are printed in a page
        without web fonts, so that their PDF has text.

        See report/debtor_dunning_letter_layout.xml; every other report keeps Odoo's layout.
        """
        if len(self) == 1 and (
            self.model == "debtor.dunning.communication" or self.report_name in self._dunning_letter_reports()
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
