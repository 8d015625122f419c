# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
import logging
from datetime import timedelta

import lxml.html

from odoo import api, fields, models
from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.exceptions import AccessError, UserError
from odoo.modules import module as odoo_module
from odoo.tools import format_date, pdf
from odoo.tools.image import image_data_uri

from .debtor_dunning_payment_link import MollieUnavailable
from .dunning_rules import mobile_number_e164

_logger = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 3
SEND_BATCH_SIZE = 50

CALL_OUTCOMES = [
    ("promise", "Reached: promised to pay"),
    ("not_reached", "Not reached"),
    ("dispute", "Dispute"),
    ("wrong_number", "Wrong number"),
]

COMMUNICATION_STATES = [
    ("preview", "Preview"),
    ("to_approve", "Awaiting Approval"),
    ("queued", "To Send"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]


class DebtorDunningCommunication(models.Model):
    """One message to one debtor at one level in one currency, covering all of his invoices that
    reached that level on that run. The run decides it; `_send_queued` renders and sends it."""

    _name = "debtor.dunning.communication"
    _description = "Dunning Communication"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    run_id = fields.Many2one("debtor.dunning.run", index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, index=True, readonly=True, help="The commercial partner."
    )
    recipient_id = fields.Many2one(
        "res.partner",
        string="Recipient",
        help="The debtor's invoice address, or the debtor himself when he has none.",
    )
    level_id = fields.Many2one("debtor.dunning.level", required=True, index=True, readonly=True)
    level_sequence = fields.Integer(related="level_id.sequence", string="Level Number")
    letter_layout = fields.Selection(related="level_id.letter_layout")
    policy_id = fields.Many2one(related="level_id.policy_id", store=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    date = fields.Date(
        string="Letter Date", required=True, index=True, readonly=True, help="The day of the run that decided it."
    )
    pay_by_date = fields.Date(compute="_compute_pay_by_date", store=True, string="Pay By")
    state = fields.Selection(COMMUNICATION_STATES, required=True, default="queued", index=True, tracking=True)
    line_ids = fields.One2many("debtor.dunning.communication.line", "communication_id", string="Invoices")
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices Covered",
        compute="_compute_move_ids",
        search="_search_move_ids",
    )
    move_count = fields.Integer(compute="_compute_move_count")
    amount_residual = fields.Monetary(string="Open Amount", currency_field="currency_id", readonly=True)
    amount_overdue = fields.Monetary(string="Overdue Amount", currency_field="currency_id", readonly=True)
    channel_email = fields.Boolean(string="By E-mail", readonly=True)
    channel_sms = fields.Boolean(string="By SMS", readonly=True)
    channel_letter = fields.Boolean(string="By Letter", readonly=True)
    channel_call = fields.Boolean(string="By Call", readonly=True)
    email_state = fields.Selection(
        [("none", "Not Used"), ("sent", "Sent"), ("no_address", "No E-mail Address"), ("error", "Error")],
        default="none",
        readonly=True,
    )
    letter_state = fields.Selection(
        [("none", "Not Used"), ("to_print", "To Print"), ("printed", "Printed")], default="none", readonly=True
    )
    call_state = fields.Selection(
        [("none", "Not Used"), ("planned", "Planned"), ("done", "Done")], default="none", readonly=True
    )
    call_activity_id = fields.Many2one("mail.activity", string="Call Task", readonly=True, ondelete="set null")
    call_outcome = fields.Selection(CALL_OUTCOMES, readonly=True)
    call_note = fields.Text(string="Call Notes", readonly=True)
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letter (PDF)", readonly=True, copy=False)
    date_printed = fields.Datetime(string="Printed On", readonly=True, copy=False)
    payment_link_id = fields.Many2one(
        "debtor.dunning.payment.link", string="Online Payment Link", readonly=True, copy=False
    )
    payment_link_url = fields.Char(related="payment_link_id.url", string="Payment Link")
    payment_link_state = fields.Selection(related="payment_link_id.state", string="Payment Link Status")
    mail_message_id = fields.Many2one("mail.message", string="E-mail", readonly=True, copy=False)
    date_sent = fields.Datetime(string="Sent On", readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    date_approved = fields.Datetime(string="Approved On", readonly=True, copy=False)
    send_attempts = fields.Integer(readonly=True, copy=False)
    error_message = fields.Text(readonly=True, copy=False)
    outcome = fields.Text(readonly=True, copy=False, help="What each channel did with this communication.")

    _preview_index = models.Index("(run_id) WHERE state = 'preview'")

    @api.depends("partner_id", "level_id", "date")
    def _compute_name(self):
        for communication in self:
            communication.name = (
                f"{communication.level_id.name or ''} - {communication.partner_id.name or ''} ({communication.date})"
            )

    @api.depends("date", "level_id.payment_term_days")
    def _compute_pay_by_date(self):
        for communication in self:
            term = communication.level_id.payment_term_days
            communication.pay_by_date = (
                communication.date + timedelta(days=term) if communication.date and term else False
            )

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for communication in self:
            communication.move_ids = communication.line_ids.move_id

    def _search_move_ids(self, operator, value):
        return [("line_ids.move_id", operator, value)]

    @api.depends("move_ids")
    def _compute_move_count(self):
        for communication in self:
            communication.move_count = len(communication.move_ids)

    # ------------------------------------------------------------------ actions
    def action_approve(self):
        """A Credit Manager lets letters of levels that require approval go out."""
        if not self.env.user.has_group("debtor_dunning.group_debtor_dunning_manager"):
            raise AccessError(self.env._("Only a Credit Manager can approve dunning letters."))
        to_approve = self.filtered(lambda communication: communication.state == "to_approve")
        if to_approve != self:
            raise UserError(self.env._("Only letters awaiting approval can be approved."))
        today = fields.Date.context_today(self)
        for communication in to_approve:
            # The letter is dated on the day it can go out, so its term runs from then.
            communication.write(
                {
                    "state": "queued",
                    "approved_by_id": self.env.uid,
                    "date_approved": fields.Datetime.now(),
                    "date": max(communication.date, today),
                }
            )
            communication.line_ids.date = communication.date
        self._trigger_sending()
        return True

    def action_cancel(self):
        """Cancel letters that have not gone out; their invoices may reach the level again later."""
        if self.filtered(lambda communication: communication.state in ("sent", "preview")):
            raise UserError(self.env._("A letter that was sent, or a preview, cannot be cancelled."))
        self.write({"state": "cancelled"})
        self.line_ids.write({"is_cancelled": True})
        return True

    def action_retry(self):
        failed = self.filtered(lambda communication: communication.state == "failed")
        failed.write({"state": "queued", "send_attempts": 0, "error_message": False})
        failed._trigger_sending()
        return True

    def action_send_now(self):
        """Send these queued letters at once instead of waiting for the scheduled step."""
        queued = self.filtered(lambda communication: communication.state == "queued")
        queued._send()
        return True

    def action_open_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.move_ids.ids)],
        }

    # ------------------------------------------------------------------ sending
    def _trigger_sending(self):
        cron = self.env.ref("debtor_dunning.ir_cron_debtor_dunning_send", raise_if_not_found=False)
        if cron:
            cron._trigger()

    @api.model
    def _cron_send_queued(self):
        """Scheduled step: render and send queued letters in batches, committing each batch."""
        domain = [("state", "=", "queued")]
        remaining = self.search_count(domain)
        cron = self.env["ir.cron"]
        while remaining:
            batch = self.search(domain, limit=SEND_BATCH_SIZE, order="id").try_lock_for_update()
            if not batch:
                break
            batch._send()
            remaining = self.search_count(domain)
            if cron._commit_progress(len(batch), remaining=remaining) <= 0:
                break

    def _send(self):
        """Render, archive and send each communication; one failure never stops the others."""
        self._prerender_letters()
        for communication in self:
            try:
                with self.env.cr.savepoint():
                    communication._send_one()
            except Exception as error:
                _logger.warning("Dunning communication %s could not be sent: %s", communication.id, error)
                attempts = communication.send_attempts + 1
                communication.write(
                    {
                        "send_attempts": attempts,
                        "error_message": str(error),
                        "state": "failed" if attempts >= MAX_SEND_ATTEMPTS else "queued",
                    }
                )

    def _send_one(self):
        self.ensure_one()
        outcome = []
        values = {"state": "sent", "date_sent": fields.Datetime.now(), "error_message": False}
        recipient = self.recipient_id or self.partner_id
        outcome += self._ensure_payment_link()
        pdf_needed = self.channel_letter or self.channel_email or self.channel_call
        if pdf_needed and not self.letter_attachment_id:
            values["letter_attachment_id"] = self._render_letter().id
            self.letter_attachment_id = values["letter_attachment_id"]
        print_letter = self.channel_letter
        call = self.channel_call
        if self.channel_email:
            if recipient.email_normalized:
                message = self._send_email(recipient)
                values.update(email_state="sent", mail_message_id=message.id)
                outcome.append(self.env._("E-mail sent to %s.", recipient.email_normalized))
            else:
                # Nothing is silently dropped: the letter is printed and the controller calls.
                values["email_state"] = "no_address"
                print_letter = call = True
                outcome.append(self.env._("No e-mail address: letter to print and a call task for the controller."))
        if self.channel_sms:
            outcome.append(self._send_sms(recipient))
        if print_letter:
            values["letter_state"] = "to_print"
            outcome.append(self.env._("Letter ready to print."))
        if call:
            self._schedule_call(email_missing=values.get("email_state") == "no_address")
            values["call_state"] = "planned"
            outcome.append(self.env._("Call task planned."))
        values["outcome"] = "\n".join(outcome)
        self.write(values)

    def _ensure_payment_link(self):
        """A Mollie link for the open total when Mollie is set up; Mollie trouble never stops a letter."""
        if self.payment_link_id:
            return []
        try:
            link = self.env["debtor.dunning.payment.link"]._create_for(self)
        except MollieUnavailable as error:
            _logger.warning("No Mollie link for dunning communication %s: %s", self.id, error)
            return [
                self.env._(
                    "Mollie payment link not created (%s): the letter carries Odoo's own payment link.", str(error)
                )
            ]
        if not link:
            return []
        self.payment_link_id = link
        return [self.env._("Mollie payment link created: %s", link.url)]

    def _reference(self):
        """The letter's reference, printed on it and given to Mollie so a payment finds its way back."""
        self.ensure_one()
        return f"DUN{self.id:07d}"

    def _pay_online_url(self):
        """One address to pay the letter online: the Mollie link for the total, else the first invoice's page."""
        self.ensure_one()
        if self.payment_link_id.state == "open":
            return self.payment_link_id.url
        links = self._payment_links()
        return links[0][1] if links else False

    def _payment_qr_code(self):
        """The pay-online address as a QR code image (data URI) for the printed letter."""
        self.ensure_one()
        url = self._pay_online_url()
        if not url:
            return False
        png = self.env["ir.actions.report"].barcode("QR", url, width=180, height=180, quiet=False)
        return image_data_uri(base64.b64encode(png))

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
        report = self.env.ref("debtor_dunning.action_report_debtor_dunning_letter")
        try:
            with self.env.cr.savepoint():
                for communication in to_render:
                    communication._ensure_payment_link()
                if _wkhtml().is_patched_qt:
                    streams = self.env["ir.actions.report"]._render_qweb_pdf_prepare_streams(
                        report.report_name, {}, to_render.ids
                    )
                    for communication in to_render:
                        stream = streams.get(communication.id, {}).get("stream")
                        if stream:
                            communication.letter_attachment_id = communication._archive_letter(stream.getvalue())
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
        Report = self.env["ir.actions.report"].with_context(debug=False)
        html = Report._render_qweb_html(report.report_name, self.ids)[0]
        bodies, html_ids, header, footer, paperformat_args = report.with_context(debug=False)._prepare_html(
            html, report_model=self._name
        )
        if sorted(html_ids) != sorted(self.ids):
            return None
        document = lxml.html.fromstring(bodies[0])
        body = document.find("body")
        for other in bodies[1:]:
            body.append(lxml.html.Element("div", style="page-break-before: always;"))
            body.extend(lxml.html.fromstring(other).find("body"))
        content = Report._run_wkhtmltopdf(
            [lxml.html.tostring(document, encoding="unicode")],
            report_ref=report.report_name,
            header=header,
            footer=footer,
            specific_paperformat_args=paperformat_args,
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

    def action_print_letters(self):
        """All letters to print (the selected ones, or every letter waiting to be printed) as one PDF."""
        letters = self or self.search([("letter_state", "=", "to_print")])
        letters = letters.filtered(lambda c: c.state == "sent" and c.letter_state in ("to_print", "printed"))
        if not letters:
            raise UserError(self.env._("There are no sent letters to print."))
        letters = letters.sorted(lambda c: (c.partner_id.zip or "", c.partner_id.name or "", c.id))
        for communication in letters.filtered(lambda c: not c.letter_attachment_id):
            communication.letter_attachment_id = communication._render_letter()
        merged = pdf.merge_pdf([communication.letter_attachment_id.raw for communication in letters])
        now = fields.Datetime.now()
        batch = self.env["ir.attachment"].create(
            {
                "name": self.env._("Dunning letters %s.pdf", fields.Datetime.to_string(now)[:16]).replace(":", "-"),
                "raw": merged,
                "mimetype": "application/pdf",
            }
        )
        letters.write({"letter_state": "printed", "date_printed": now})
        for communication in letters:
            communication.message_post(
                body=self.env._("Letter printed for posting."), attachment_ids=communication.letter_attachment_id.ids
            )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{batch.id}?download=true", "target": "download"}

    def _render_letter(self):
        self.ensure_one()
        report = self.env.ref("debtor_dunning.action_report_debtor_dunning_letter")
        lang = (self.recipient_id or self.partner_id).lang or self.env.lang
        content, _type = (
            self.env["ir.actions.report"].with_context(lang=lang)._render_qweb_pdf(report.report_name, self.ids)
        )
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

    def _send_email(self, recipient):
        template = self.level_id.mail_template_id or self.env.ref(
            "debtor_dunning.mail_template_debtor_dunning_communication"
        )
        return self.message_post_with_source(
            template,
            subtype_xmlid="mail.mt_comment",
            attachment_ids=self.letter_attachment_id.ids,
            partner_ids=recipient.ids,
        )

    def _send_sms(self, recipient):
        """Send the SMS when the debtor has a valid mobile number; return what happened, for the outcome."""
        partner = recipient if recipient.phone else self.partner_id
        country = (partner.country_id or self.partner_id.country_id or self.company_id.country_id).code
        number, problem = mobile_number_e164(partner.phone, country)
        if problem:
            reasons = {
                "missing": self.env._("SMS not sent: the debtor has no phone number."),
                "invalid": self.env._("SMS not sent: %s is not a valid phone number.", partner.phone),
                "not_mobile": self.env._("SMS not sent: %s is not a mobile number.", partner.phone),
            }
            return reasons[problem]
        debtor_env = self.with_context(lang=partner.lang or self.env.lang).env
        body = debtor_env._(
            "%(company)s: %(count)s invoice(s) open, %(amount)s. Please pay by %(date)s: %(link)s",
            company=self.company_id.name,
            count=len(self.move_ids),
            amount=self.currency_id.format(self.amount_residual),
            date=format_date(debtor_env, self.pay_by_date or self.date),
            link=self._pay_online_url() or self.get_base_url(),
        )
        self._message_sms(body, partner_ids=partner.ids, sms_pid_to_number={partner.id: number})
        return self.env._("SMS sent to %s.", number)

    def action_log_call(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Call"),
            "res_model": "debtor.dunning.call.outcome",
            "view_mode": "form",
            "target": "new",
            "context": {"default_communication_id": self.id},
        }

    def _log_call_outcome(self, outcome, note=None, promise_date=None, disputed_moves=None):
        """Record what the call about this letter gave, and act on it.

        A promise to pay blocks the debtor until the promised day (if the money is not in by then,
        dunning resumes); a dispute blocks the disputed invoices until lifted; a debtor not reached
        gets a new call two days later. The call task is closed with the outcome as feedback.
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        Block = self.env["debtor.dunning.block"]
        if outcome == "promise":
            if not promise_date or promise_date < today:
                raise UserError(self.env._("A promise to pay needs a date of today or later."))
            Block.create(
                {
                    "template_id": self.env.ref("debtor_dunning.block_template_promise_to_pay").id,
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "date_start": today,
                    "date_end": promise_date,
                    "reason": note
                    or self.env._("Promised by phone to pay by %s.", format_date(self.env, promise_date)),
                }
            )
        elif outcome == "dispute":
            if not disputed_moves:
                raise UserError(self.env._("Name the invoices the debtor disputes."))
            Block.create(
                [
                    {
                        "template_id": self.env.ref("debtor_dunning.block_template_dispute").id,
                        "move_id": move.id,
                        "company_id": move.company_id.id,
                        "reason": note or self.env._("Disputed by phone."),
                    }
                    for move in disputed_moves
                ]
            )
        label = dict(self._fields["call_outcome"]._description_selection(self.env))[outcome]
        summary = f"{label}: {note}" if note else label
        if outcome == "promise":
            summary += " " + self.env._("(promised date: %s)", format_date(self.env, promise_date))
        if self.call_activity_id:
            self.call_activity_id.action_feedback(feedback=summary)
        if outcome == "not_reached":
            self._schedule_call(deadline=today + timedelta(days=2))
        self.write({"call_state": "done", "call_outcome": outcome, "call_note": summary})
        self.message_post(body=self.env._("Call logged: %s", summary))

    def _schedule_call(self, email_missing=False, deadline=None):
        user = self.partner_id.user_id or self.env.user
        note = (
            self.env._("The debtor has no e-mail address: call and check that the letter reached him.")
            if email_missing
            else self.env._("Call the debtor about the letter %s.", self.level_id.name)
        )
        # On the debtor, so that the call shows in his credit-control tab with everything else.
        self.call_activity_id = self.partner_id.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=deadline or fields.Date.context_today(self),
            summary=self.env._(
                "Call %(debtor)s about %(level)s", debtor=self.partner_id.name, level=self.level_id.name
            ),
            note=note,
            user_id=user.id,
        )

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=False):
        # The debtor gets no "View" button: he has no access to this back-office record.
        groups = super()._notify_get_recipients_groups(message, model_description, msg_vals=msg_vals)
        for _name, _check, group_data in groups:
            if group_data.get("notification_is_customer"):
                group_data["has_button_access"] = False
        return groups

    def _letterhead_in_body(self):
        """True when wkhtmltopdf cannot print page headers (a build without patched Qt, as Debian's).

        The letter then carries the sender's name and address beside the recipient's, so that it
        still goes out on the company's letterhead.
        """
        return not _wkhtml().is_patched_qt

    def _payment_links(self):
        """[(invoice, url)]: Odoo's portal page of each invoice, where the debtor can pay online."""
        self.ensure_one()
        base_url = self.get_base_url()
        return [(move, base_url + move.get_portal_url()) for move in self.move_ids.sorted("invoice_date_due")]

    def _dunning_after_create(self):
        """Hook: called on the set of communications a run has just created (inserted in SQL).

        Add-ons fill their own fields here, on the whole set at once (the statutory costs of a
        notice of default, the agency named in a hand-over letter). Previews pass here too.
        """
        return None
