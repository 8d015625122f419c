# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from markupsafe import Markup

from odoo import api, models
from odoo.addons.debtor_dunning.models.dunning_rules import mobile_number_e164


class DebtorDunningArrangement(models.Model):
    """What the debtor receives: the schedule, the lapse letter (PDF and e-mail, archived), SMS."""

    _inherit = "debtor.dunning.arrangement"

    # ------------------------------------------------------------------ letters
    def _recipient(self):
        """The debtor's invoice contact with an e-mail, as the dunning letters use, else the debtor."""
        self.ensure_one()
        recipient_id = self.partner_id._dunning_recipients().get(self.partner_id.id, self.partner_id.id)
        return self.env["res.partner"].browse(recipient_id)

    def _render_pdf(self, filename):
        """The arrangement's letter as a PDF attachment (its state decides: schedule or lapse)."""
        self.ensure_one()
        report = self.env.ref("debtor_dunning_arrangement.action_report_debtor_dunning_arrangement")
        pdf, _kind = report._render_qweb_pdf(report.report_name, self.ids)
        return self.env["ir.attachment"].create(
            {
                "name": filename,
                "type": "binary",
                "datas": base64.b64encode(pdf),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )

    def _post_letter(self, template, record, attachment, rendered=None):
        """E-mail the debtor the letter `template` renders for `record`, archived in the chatter.

        `rendered` is (subject, body) when the caller rendered a whole set at once (`_render_letters`).
        """
        self.ensure_one()
        recipient = self._recipient()
        subject, body = rendered or (
            template._render_field("subject", record.ids, compute_lang=True)[record.id],
            template._render_field("body_html", record.ids, compute_lang=True)[record.id],
        )
        return self.message_post(
            body=Markup(body),
            subject=subject,
            partner_ids=recipient.ids,
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    @api.model
    def _render_letters(self, template, records):
        """{record id: (subject, body)} of `template` for `records`, each in its debtor's language:
        one rendering per language for the set (a template is compiled once per call)."""
        subjects = template._render_field("subject", records.ids, compute_lang=True)
        bodies = template._render_field("body_html", records.ids, compute_lang=True)
        return {record_id: (subjects[record_id], bodies[record_id]) for record_id in records.ids}

    def _send_confirmation(self):
        """Confirmation to the debtor with the schedule's PDF; each covered invoice's chatter notes it."""

        def note(arrangement):
            link = Markup('<a href="#" data-oe-model="%s" data-oe-id="%s">%s</a>') % (
                arrangement._name,
                arrangement.id,
                arrangement.name,
            )
            return Markup(
                self.env._(
                    "Payment arrangement %(link)s confirmed and sent to the debtor: "
                    "dunning of this invoice pauses while it is kept."
                )
            ) % {"link": link}

        self._send_letter(
            "debtor_dunning_arrangement.mail_template_arrangement_confirmation",
            "confirmation_attachment_id",
            lambda arrangement: arrangement.env._("Payment arrangement %s.pdf", arrangement.name),
            note,
        )

    def _send_lapse_letter(self):
        """Tell the debtor the arrangement lapsed ("betalingsregeling vervallen") and what remains open."""
        self._send_letter(
            "debtor_dunning_arrangement.mail_template_arrangement_lapsed",
            "lapse_attachment_id",
            lambda arrangement: arrangement.env._("Payment arrangement %s lapsed.pdf", arrangement.name),
            lambda arrangement: (
                Markup(self.env._("Payment arrangement %s ended: dunning of this invoice resumes.")) % arrangement.name
            ),
        )

    def _send_letter(self, template_xmlid, attachment_field, filename_of, note_of):
        """E-mail each arrangement's letter with its PDF (named by `filename_of`, in the debtor's
        language, kept in `attachment_field`); note `note_of` in the chatter of each covered invoice."""
        template = self.env.ref(template_xmlid)
        notes = {}
        for arrangement in self:
            in_lang = arrangement.with_context(lang=arrangement.partner_id.lang or self.env.lang)
            attachment = in_lang._render_pdf(filename_of(in_lang).replace("/", "-"))
            arrangement[attachment_field] = attachment
            arrangement._post_letter(template, arrangement, attachment)
            notes.update(dict.fromkeys(arrangement.move_ids.ids, note_of(arrangement)))
        if notes:
            self.env["account.move"].browse(list(notes))._message_log_batch(notes)

    def _send_sms(self, body):
        """An SMS to the debtor's valid mobile number (the dunning's own rule); returns the number or None."""
        self.ensure_one()
        recipient = self._recipient()
        partner = recipient if recipient.phone else self.partner_id
        country = (partner.country_id or self.partner_id.country_id or self.company_id.country_id).code
        number, _problem = mobile_number_e164(partner.phone, country)
        if not number:
            return None
        self._message_sms(body, partner_ids=partner.ids, sms_pid_to_number={partner.id: number})
        return number
