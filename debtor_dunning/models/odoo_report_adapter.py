# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one place where the add-on calls Odoo's private report functions.

Printing many letters in few wkhtmltopdf calls needs Odoo's inner steps (the HTML split into
bodies and headers, the wkhtmltopdf call itself), which Odoo may change in any release. Every such
call goes through this module, with keyword arguments only, and `ODOO_REPORT_PARAMETERS` names
what is passed; `tests/test_odoo_report_adapter.py` checks those names against Odoo's signatures
and prints a real letter through each function, so that a change in Odoo fails one test loudly
instead of every letter at run time.
"""

import base64

from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.tools.image import image_data_uri

# The methods of `ir.actions.report` called below and the parameters passed to each.
ODOO_REPORT_PARAMETERS = {
    "_render_qweb_pdf": ("report_ref", "res_ids"),
    "_render_qweb_pdf_prepare_streams": ("report_ref", "data", "res_ids"),
    "_render_qweb_html": ("report_ref", "docids"),
    "_prepare_html": ("html", "report_model"),
    "_run_wkhtmltopdf": ("bodies", "report_ref", "header", "footer", "specific_paperformat_args"),
    "barcode": ("barcode_type", "value", "width", "height", "quiet"),
}


def prints_several_documents_per_call():
    """Whether wkhtmltopdf is built with patched Qt.

    Only such a build prints page headers and several documents in one call; Debian's does neither.
    """
    return _wkhtml().is_patched_qt


def render_pdf(report, res_ids):
    """The report of these records as one PDF (bytes); in tests, without `force_report_rendering`
    in the context, Odoo returns the HTML instead."""
    content, _report_type = report.env["ir.actions.report"]._render_qweb_pdf(
        report_ref=report.report_name, res_ids=res_ids
    )
    return content


def render_pdfs(report, res_ids):
    """{res_id: PDF bytes}, all printed by one wkhtmltopdf call (a build with patched Qt only)."""
    streams = report.env["ir.actions.report"]._render_qweb_pdf_prepare_streams(
        report_ref=report.report_name, data={}, res_ids=res_ids
    )
    return {res_id: data["stream"].getvalue() for res_id, data in streams.items() if data.get("stream")}


def render_html(report, res_ids):
    """The report's HTML (bytes) for these records, as Odoo renders it before printing."""
    return (
        report.env["ir.actions.report"]
        .with_context(debug=False)
        ._render_qweb_html(report_ref=report.report_name, docids=res_ids)[0]
    )


def split_html(report, html):
    """Odoo's preparation of the report's HTML for wkhtmltopdf.

    :return: (bodies, res_ids, header, footer, paperformat arguments): one HTML body per record,
        in the order of `res_ids`, and the shared header and footer.
    """
    return report.with_context(debug=False)._prepare_html(html=html, report_model=report.model)


def html_to_pdf(report, bodies, header, footer, paperformat_args):
    """One wkhtmltopdf call printing these bodies with the report's paper format (PDF bytes)."""
    return report.env["ir.actions.report"]._run_wkhtmltopdf(
        bodies=bodies,
        report_ref=report.report_name,
        header=header,
        footer=footer,
        specific_paperformat_args=paperformat_args,
    )


def qr_code_data_uri(env, value, size=180):
    """`value` as a QR code PNG image of `size` pixels, as a data URI for a report."""
    png = env["ir.actions.report"].barcode(barcode_type="QR", value=value, width=size, height=size, quiet=False)
    return image_data_uri(base64.b64encode(png))
