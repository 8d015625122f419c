# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import inspect
import io
from datetime import timedelta

from PyPDF2 import PdfFileReader

from odoo.addons.base.models import ir_actions_report
from odoo.addons.debtor_dunning.models import odoo_report_adapter
from odoo.tests import HttpCase, tagged

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
class TestOdooReportAdapter(DunningCommon, HttpCase):
    """Fails when Odoo changes one of the private report functions the letters are printed with.

    (An HttpCase: wkhtmltopdf fetches the report's assets from the test server.)
    """

    def test_odoo_still_has_the_report_functions_with_the_parameters_we_pass(self):
        Report = type(self.env["ir.actions.report"])
        for name, parameters in odoo_report_adapter.ODOO_REPORT_PARAMETERS.items():
            with self.subTest(function=name):
                function = getattr(Report, name, None)
                self.assertTrue(callable(function), f"ir.actions.report.{name} is gone")
                try:
                    # Binds exactly as the adapter calls it: no parameter renamed, none new and required.
                    inspect.signature(function).bind(None, **dict.fromkeys(parameters))
                except TypeError as error:
                    signature = inspect.signature(function)
                    self.fail(f"ir.actions.report.{name}{signature} no longer takes {parameters}: {error}")
        self.assertIn("is_patched_qt", ir_actions_report.WkhtmlInfo._fields)
        self.assertIsInstance(odoo_report_adapter.prints_several_documents_per_call(), bool)

    def test_a_real_letter_prints_through_the_adapter(self):
        self._invoice(TODAY - timedelta(days=10))
        letter = self._run(TODAY).communication_ids
        report = letter.with_context(force_report_rendering=True)._letter_report()

        def pages(content):
            self.assertTrue(content.startswith(b"%PDF"), content[:80])
            return PdfFileReader(io.BytesIO(content)).getNumPages()

        self.assertEqual(pages(odoo_report_adapter.render_pdf(report, letter.ids)), 1)
        self.assertEqual(list(odoo_report_adapter.render_pdfs(report, letter.ids)), letter.ids)
        html = odoo_report_adapter.render_html(report, letter.ids)
        self.assertIn(letter._reference(), html.decode())
        bodies, res_ids, header, footer, paperformat_args = odoo_report_adapter.split_html(report, html)
        self.assertEqual((len(bodies), res_ids), (1, letter.ids))
        self.assertEqual(pages(odoo_report_adapter.html_to_pdf(report, bodies, header, footer, paperformat_args)), 1)
        qr_code = odoo_report_adapter.qr_code_data_uri(self.env, "https://example.com/pay")
        self.assertTrue(qr_code.startswith("data:image/png;base64,"))
