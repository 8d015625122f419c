# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import timedelta

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from .common import TODAY, DunningCommon

ONE_PAGE_LIMIT = 100 * 1024


@tagged("post_install", "-at_install")
class TestDunningLetterPdf(DunningCommon, HttpCase):
    """An archived letter is a document: its text can be copied, searched and read aloud."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.debtor.write({"street": "Molenstraat 17", "zip": "3511 AB", "city": "Utrecht"})

    def _text(self, content):
        """The PDF's text as a reader copies it, whitespace collapsed."""
        reader = PdfFileReader(io.BytesIO(content))
        return " ".join(
            " ".join(reader.getPage(number).extract_text().split()) for number in range(reader.getNumPages())
        )

    def _pages(self, content):
        return PdfFileReader(io.BytesIO(content)).getNumPages()

    def test_a_letter_has_its_text_in_reading_order_and_is_light(self):
        invoice = self._invoice(TODAY - timedelta(days=10), amount=1234.56)
        letter = self._run(TODAY).communication_ids.filtered(lambda c: c.partner_id == self.debtor)
        content = letter.with_context(force_report_rendering=True)._render_letter().raw
        self.assertEqual(self._pages(content), 1)
        text = self._text(content)
        for expected in ("Molenstraat 17", invoice.name, "1,234.56"):
            self.assertIn(expected, text)
        self.assertLess(text.index("Molenstraat 17"), text.index(invoice.name), "the address above the invoices")
        self.assertLess(text.index(invoice.name), text.index("1,234.56"), "an invoice's number, then its amount")
        self.assertLess(len(content), ONE_PAGE_LIMIT, "a one-page letter weighs under 100 KB")

    def test_letters_rendered_as_a_batch_each_have_their_own_text(self):
        debtors = self.env["res.partner"].create(
            [
                {"name": f"Debtor {number}", "email": f"debtor{number}@example.nl", "street": f"Kerkstraat {number}"}
                for number in (1, 2, 3)
            ]
        )
        invoices = {debtor: self._invoice(TODAY - timedelta(days=10), partner=debtor) for debtor in debtors}
        letters = self._run(TODAY).communication_ids.filtered(lambda c: c.partner_id in debtors)
        with self._counting_wkhtmltopdf_calls() as calls:
            letters.with_context(force_report_rendering=True)._send()
        self.assertEqual(len(calls), 1, "the three letters printed in one wkhtmltopdf call")
        for letter in letters:
            content = letter.letter_attachment_id.raw
            self.assertEqual(self._pages(content), 1)
            text = self._text(content)
            self.assertIn(letter.partner_id.street, text)
            self.assertIn(invoices[letter.partner_id].name, text)
            for other in debtors - letter.partner_id:
                self.assertNotIn(other.street, text, "each archived letter holds its own page only")
            self.assertLess(len(content), ONE_PAGE_LIMIT)

    def test_other_reports_keep_odoo_layout(self):
        """Only the letters leave Odoo's web fonts out; invoices print as Odoo prints them."""
        odoo_layout = self.env.ref("web.minimal_layout")
        self.assertEqual(self.env.ref("account.account_invoices")._get_layout(), odoo_layout)
        letter_report = self.env.ref("debtor_dunning.action_report_debtor_dunning_letter")
        self.assertNotEqual(letter_report._get_layout(), odoo_layout)
