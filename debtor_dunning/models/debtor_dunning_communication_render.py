# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import logging
from collections import defaultdict

import lxml.html

from odoo import models
from odoo.modules import module as odoo_module
from odoo.tools import pdf

from . import odoo_report_adapter

_logger = logging.getLogger(__name__)


class DebtorDunningCommunication(models.Model):
    """The letter as a document: rendering it to PDF, a sending batch at a time, and archiving it."""

    _inherit = "debtor.dunning.communication"

    def _letter_report(self):
        return self.env.ref("debtor_dunning.action_report_debtor_dunning_letter")

    def _letter_body_template(self):
        """The xml id of the QWeb template of the letter's body: `debtor_dunning.letter_body_<layout>`.

        One template per layout, found by this name rule rather than listed: an add-on that adds a
        layout to `debtor.dunning.level.letter_layout` (`selection_add`) ships a template with
        that xml id, and letters of levels with the new layout print it.
        """
        self.ensure_one()
        return f"debtor_dunning.letter_body_{self.letter_layout}"

    def _postal_address_partner(self):
        """Whose address the printed letter carries (see `_postal_address_partners`); empty: none to post to."""
        self.ensure_one()
        return self._postal_address_partners()[self.id]

    def _postal_address_partners(self):
        """{communication id: the partner whose address the printed letter carries}, in one search.

        The debtor's invoice contacts with a postal address come first, the e-mail recipient first
        among them: the contact that takes the invoices by post may have no e-mail address, and
        `recipient_id` only names one with an e-mail address. Without such a contact, the recipient
        (an invoice contact or the debtor himself), then the debtor; empty when none of them has a
        postal address: such a letter cannot be posted.
        """
        contacts = self.env["res.partner"].search_fetch(
            [("parent_id", "in", self.partner_id.ids), ("type", "=", "invoice")],
            ["parent_id", "street", "street2", "city", "zip"],
            order="id",
        )
        postal_contacts = defaultdict(lambda: self.env["res.partner"])
        for contact in contacts.filtered(self._has_postal_address):
            postal_contacts[contact.parent_id.id] |= contact
        partners = {}
        for communication in self:
            recipient, debtor = communication.recipient_id, communication.partner_id
            candidates = postal_contacts[debtor.id]
            if recipient in candidates:
                partners[communication.id] = recipient
            else:
                partners[communication.id] = (candidates | recipient | debtor).filtered(self._has_postal_address)[:1]
        return partners

    @staticmethod
    def _has_postal_address(partner):
        """A letter can be posted to the partner: a street and a city or postcode."""
        return bool((partner.street or partner.street2) and (partner.city or partner.zip))

    def _letter_lines(self):
        """The invoices the letter states, as the run saw them (its dossier lines), oldest due date first."""
        self.ensure_one()
        return self.line_ids.sorted(
            lambda line: (line.invoice_date_due or line.invoice_date or self.date, line.move_id.name or "", line.id)
        )

    def _payment_qr_code(self):
        """The pay-online address as a QR code image (data URI) for the printed letter."""
        self.ensure_one()
        return odoo_report_adapter.qr_code_data_uri(self.env, self._dunning_pay_online_url())

    def _prerender_letters(self):
        """Render the batch's letters with as few wkhtmltopdf calls as possible.

        A call costs over a second whatever it prints, so one letter per call caps sending at
        well under one letter a second. A build with patched Qt prints several documents in one
        call and Odoo splits the result; Debian's build cannot, see `_render_one_page_letters`.
        A letter not rendered here is rendered on its own when it is sent.
        """
        to_render = self.filtered(
            lambda c: (
                c.state == "queued"
                and not c.letter_attachment_id
                and (c.channel_letter or c.channel_email or c.channel_call)
            )
        )
        if len(to_render) < 2 or (odoo_module.current_test and not self.env.context.get("force_report_rendering")):
            return  # (in tests Odoo renders reports as HTML, one by one)
        report = self._letter_report()
        try:
            with self.env.cr.savepoint():
                for communication in to_render:
                    communication._ensure_payment_link()
                if odoo_report_adapter.prints_several_documents_per_call():
                    pages = odoo_report_adapter.render_pdfs(report, to_render.ids)
                    for communication in to_render:
                        if communication.id in pages:
                            communication.letter_attachment_id = communication._archive_letter(pages[communication.id])
                else:
                    for letters in to_render.grouped("company_id").values():
                        letters._render_one_page_letters(report)
        except Exception:
            _logger.warning("Batch rendering of %s letters failed; rendering them one by one", len(to_render))

    def _render_one_page_letters(self, report):
        """Render and archive these letters in a few wkhtmltopdf calls, without patched Qt.

        The letters are joined into one document, each starting on a new page. When the PDF has as
        many pages as letters, each letter is one page and the PDF is split page by page; otherwise
        the group is halved, the shorter letters first, so that the rare long letter ends up alone
        (and is rendered on its own when it is sent) while the others still share calls.
        """
        groups = [self.sorted(lambda c: (len(c.line_ids), c.id))]
        while groups:
            letters = groups.pop()
            if len(letters) < 2:
                continue
            pages = letters._render_joined_letters(report)
            if pages is None:
                half = len(letters) // 2
                groups += [letters[half:], letters[:half]]
                continue
            for communication in letters:
                communication.letter_attachment_id = communication._archive_letter(pages[communication.id])

    def _render_joined_letters(self, report):
        """{communication id: one-page PDF} from a single wkhtmltopdf call, or None if a letter is longer."""
        html = odoo_report_adapter.render_html(report, self.ids)
        bodies, html_ids, header, footer, paperformat_args = odoo_report_adapter.split_html(report, html)
        if sorted(html_ids) != sorted(self.ids):
            return None
        document = lxml.html.fromstring(bodies[0])
        body = document.find("body")
        for other in bodies[1:]:
            body.append(lxml.html.Element("div", style="page-break-before: always;"))
            body.extend(lxml.html.fromstring(other).find("body"))
        content = odoo_report_adapter.html_to_pdf(
            report, [lxml.html.tostring(document, encoding="unicode")], header, footer, paperformat_args
        )
        reader = pdf.PdfFileReader(io.BytesIO(content))
        if reader.getNumPages() != len(html_ids):
            return None
        pages = {}
        for number, communication_id in enumerate(html_ids):
            writer = pdf.PdfFileWriter()
            writer.addPage(reader.getPage(number))
            stream = io.BytesIO()
            writer.write(stream)
            pages[communication_id] = stream.getvalue()
        return pages

    def _letters_pdf(self):
        """These letters, in this order, as one PDF: the archived ones as they went out, the others rendered now."""
        for communication in self.filtered(lambda c: not c.letter_attachment_id):
            communication.letter_attachment_id = communication._render_letter()
        return pdf.merge_pdf([communication.letter_attachment_id.raw for communication in self])

    def _render_letter(self):
        self.ensure_one()
        lang = (self.recipient_id or self.partner_id).lang or self.env.lang
        content = odoo_report_adapter.render_pdf(self._letter_report().with_context(lang=lang), self.ids)
        return self._archive_letter(content)

    def _archive_letter(self, content):
        """Keep the letter as it went out, on the communication: the invoice's dossier shows it."""
        self.ensure_one()
        lang = (self.recipient_id or self.partner_id).lang or self.env.lang
        filename = f"{self.level_id.with_context(lang=lang).name} - {self.partner_id.name} - {self.date}.pdf"
        return self.env["ir.attachment"].create(
            {
                "name": filename.replace("/", "-"),
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
