# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import timedelta

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from .common import TODAY, ArrangementCommon

REPORT = "debtor_dunning_arrangement.action_report_debtor_dunning_arrangement"


@tagged("post_install", "-at_install")
class TestArrangementPdf(ArrangementCommon, HttpCase):
    """The schedule the debtor receives is a document like the letters: its text can be copied."""

    def test_the_schedule_pdf_has_its_text(self):
        invoice = self._invoice(TODAY - timedelta(days=20), 300.0)
        arrangement = self._arrange(invoice, confirm=False)
        content, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, arrangement.ids)
        )
        reader = PdfFileReader(io.BytesIO(content))
        text = " ".join(" ".join(reader.getPage(n).extract_text().split()) for n in range(reader.getNumPages()))
        for expected in (arrangement.name, invoice.name, "Schedule", "100.00"):
            self.assertIn(expected, text)
