# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date
from odoo.tools.misc import hmac

from .debtor_dunning_payment_link import MollieUnavailable
from .dunning_rules import mobile_number_e164

_logger = logging.getLogger(__name__)


class DebtorDunningCommunication(models.Model):
    """How a letter reaches the debtor: e-mail, SMS, the call task, and where he pays online."""

    _inherit = "debtor.dunning.communication"

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

    def _dunning_pay_online_url(self):
        """Where the debtor pays this letter online: the one address its e-mail, SMS, QR code and PDF give.

        The letter's open Mollie link when it has one; otherwise Odoo's payment page for all the
        letter's invoices still open, at once (`/debtor_dunning/pay/<id>`, with a token: see
        `controllers/pay_online.py` for why not Odoo's `/my/invoices/overdue`), never a single
        invoice's page. An add-on that has the debtor pay elsewhere (an agency) overrides this;
        False means the letter offers no way to pay online.
        """
        self.ensure_one()
        if self.payment_link_id.state == "open":
            return self.payment_link_id.url
        return self.get_base_url() + self._dunning_pay_online_path()

    def _dunning_pay_online_path(self):
        """The path of Odoo's payment page of this letter, with its token."""
        self.ensure_one()
        return f"/debtor_dunning/pay/{self.id}?access_token={self._dunning_pay_online_token()}"

    def _dunning_pay_online_token(self):
        """The token of the letter's payment page: only the database's secret computes it.

        Derived rather than stored, so it costs no column on every letter and stays valid as long
        as the letter exists.
        """
        self.ensure_one()
        # sudo: the database secret is readable by the system only; the token reveals nothing of it.
        return hmac(self.env(su=True), "debtor_dunning-pay-online", (self.id, self.partner_id.id))

    def _dunning_invoices_to_pay(self):
        """The letter's invoices that can still be paid online, by Odoo's own rule for the portal."""
        self.ensure_one()
        return self.move_ids.filtered(lambda move: move._has_to_be_paid()).sorted(
            lambda move: (move.invoice_date_due or move.invoice_date, move.name or "")
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
            link=self._dunning_pay_online_url() or self.get_base_url(),
        )
        self._message_sms(body, partner_ids=partner.ids, sms_pid_to_number={partner.id: number})
        return self.env._("SMS sent to %s.", number)

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
