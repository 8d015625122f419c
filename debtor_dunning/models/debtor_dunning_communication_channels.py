# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

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

    def _prepare_letter(self):
        """The letter's payment link and archived PDF, before any channel uses them; returns the outcome so far."""
        self.ensure_one()
        outcome = self._ensure_payment_link()
        if (self.channel_letter or self.channel_email or self.channel_call) and not self.letter_attachment_id:
            self.letter_attachment_id = self._render_letter()
        return outcome

    def _deliver(self, outcomes):
        """Send these prepared letters of one debtor through their channels and mark them sent.

        One e-mail per recipient carries all the letters by e-mail, the most urgent one's subject
        first; the debtor's SMS goes out for the most urgent letter only (one SMS a day, see
        `_send_sms`). `outcomes` holds what preparing each letter gave, to be completed here.
        """
        letters = self.sorted(lambda c: (-c.level_id.sequence, c.id))
        emails = {}
        by_email = letters.filtered(lambda c: c.channel_email and (c.recipient_id or c.partner_id).email_normalized)
        for recipient, together in by_email.grouped(lambda c: c.recipient_id or c.partner_id).items():
            message = together._send_email(recipient)
            for communication in together:
                emails[communication.id] = (message, together - communication)
        letters.browse(list(emails))._log_on_invoices()
        now = fields.Datetime.now()
        postal = letters._postal_address_partners()
        for communication in letters:
            outcome = outcomes[communication.id]
            values = {"state": "sent", "date_sent": now, "error_message": False}
            recipient = communication.recipient_id or communication.partner_id
            print_letter = communication.channel_letter
            call = communication.channel_call
            if communication.id in emails:
                message, others = emails[communication.id]
                values.update(email_state="sent", mail_message_id=message.id)
                if others:
                    outcome.append(
                        self.env._(
                            "E-mail sent to %(email)s, in one e-mail with %(letters)s.",
                            email=recipient.email_normalized,
                            letters=", ".join(others.mapped("name")),
                        )
                    )
                else:
                    outcome.append(self.env._("E-mail sent to %s.", recipient.email_normalized))
            elif communication.channel_email:
                # Nothing is silently dropped: the letter is printed and the controller calls.
                values["email_state"] = "no_address"
                print_letter = call = True
                outcome.append(self.env._("No e-mail address: letter to print and a call task for the controller."))
            if communication.channel_sms:
                outcome.append(communication._send_sms(recipient))
            if print_letter:
                if postal[communication.id]:
                    values["letter_state"] = "to_print"
                    outcome.append(self.env._("Letter ready to print."))
                else:
                    outcome.append(
                        self.env._(
                            "No postal address: %s has no street and city, so the letter is not printed.",
                            " / ".join((recipient | communication.partner_id).mapped("display_name")),
                        )
                    )
            if call:
                communication._schedule_call(email_missing=values.get("email_state") == "no_address")
                values["call_state"] = "planned"
                outcome.append(self.env._("Call task planned."))
            values["outcome"] = "\n".join(outcome)
            communication.write(values)

    def _log_on_invoices(self):
        """Note "Reminder 2 sent", linking the letter, in the chatter of each invoice these e-mails covered.

        So that an accountant who opens the invoice sees it was chased. One note per invoice, written
        for the whole set at once; the invoices' followers are not notified.
        """
        bodies = {}
        for communication in self:
            link = Markup('<a href="#" data-oe-model="%s" data-oe-id="%s">%s</a>') % (
                self._name,
                communication.id,
                communication.name,
            )
            note = Markup(self.env._("%(level)s sent by e-mail: %(letter)s")) % {
                "level": communication.level_id.name,
                "letter": link,
            }
            for move in communication.move_ids:
                bodies[move.id] = bodies[move.id] + Markup("<br/>") + note if move.id in bodies else note
        if bodies:
            # The letters were just sent by whoever may send them; the note only records that fact.
            self.env["account.move"].browse(list(bodies))._message_log_batch(bodies)

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
            lambda move: (move.dunning_date_due, move.name or "")
        )

    def _send_email(self, recipient):
        """One e-mail to `recipient` carrying these letters, each with its PDF attached; returns the message.

        The message is posted on the first (most urgent) letter, with its template's subject; with
        several letters, its body holds each letter's own text after a line saying so.
        """
        lead = self[0]
        template = lead._mail_template()
        attachments = self.letter_attachment_id
        if any(self.level_id.mapped("attach_statement")):
            # One statement for the e-mail, rendered as the debtor's account stands when it is sent.
            debtor = lead.partner_id.with_company(lead.company_id).with_context(lang=recipient.lang or self.env.lang)
            attachments |= debtor._dunning_statement_attachment(self._name, lead.id)
        values = {
            "message_type": "notification",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
            "attachment_ids": attachments.ids,
            "partner_ids": recipient.ids,
        }
        if len(self) > 1:
            bodies = {}
            for letter_template, letters in self.grouped(lambda c: c._mail_template()).items():
                bodies.update(letter_template._render_field("body_html", letters.ids, compute_lang=True))
            debtor_env = self.with_context(lang=recipient.lang or self.env.lang).env
            intro = debtor_env._(
                "This e-mail holds %s letters about your invoices; each is attached as a PDF.", len(self)
            )
            values["body"] = Markup("<p>%s</p>") % intro + Markup("<hr/>").join(
                Markup(bodies[communication.id]) for communication in self
            )
        composer = (
            self.env["mail.compose.message"]
            .with_context(
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=lead.ids,
                default_template_id=template.id,
            )
            .create(values)
        )
        _mails, message = composer._action_send_mail()
        return message

    def _mail_template(self):
        self.ensure_one()
        return self.level_id.mail_template_id or self.env.ref(
            "debtor_dunning.mail_template_debtor_dunning_communication"
        )

    def _send_sms(self, recipient):
        """Send the SMS when the debtor has a valid mobile number that had none today; return what happened."""
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
        earlier = self._sms_sent_today(number)
        if earlier:
            return self.env._(
                "SMS not sent: %(number)s already had one today, for %(letter)s (one SMS a day).",
                number=number,
                letter=earlier.name,
            )
        debtor_env = self.with_context(lang=partner.lang or self.env.lang).env
        values = {
            "company": self.company_id.name,
            "count": len(self.move_ids),
            "amount": self.currency_id.format(self.amount_residual),
            "date": format_date(debtor_env, self.pay_by_date or self.date),
        }
        if link := self._dunning_pay_online_url():
            body = debtor_env._(
                "%(company)s: %(count)s invoice(s) open, %(amount)s. Please pay by %(date)s: %(link)s",
                **values,
                link=link,
            )
        else:
            # No way to pay online: the SMS names no address rather than one where nothing can be paid.
            body = debtor_env._("%(company)s: %(count)s invoice(s) open, %(amount)s. Please pay by %(date)s.", **values)
        self._message_sms(body, partner_ids=partner.ids, sms_pid_to_number={partner.id: number})
        self.sms_number = number
        return self.env._("SMS sent to %s.", number)

    def _log_call_outcome(self, outcome, note=None, promise_date=None, disputed_moves=None, promise_amount=None):
        """Record what the call about this letter gave, and act on it.

        A promise to pay blocks the debtor until the promised day; the run judges it
        (`debtor.dunning.block._check_promises`): kept once `promise_amount` (company currency; by
        default the letter's open amount) came in, broken when the day passed without it, and then
        dunning resumes and a new call is planned. A dispute blocks the disputed invoices until
        lifted; a debtor not reached gets a new call two days later. The call task is closed with the
        outcome as feedback.
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        Block = self.env["debtor.dunning.block"]
        if outcome == "promise":
            if not promise_date or promise_date < today:
                raise UserError(self.env._("A promise to pay needs a date of today or later."))
            if promise_amount is None:
                promise_amount = self._open_amount_in_company_currency()
            if promise_amount <= 0:
                raise UserError(self.env._("A promise to pay needs the amount promised."))
            Block.create(
                {
                    "template_id": self.env.ref("debtor_dunning.block_template_promise_to_pay").id,
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "date_start": today,
                    "date_end": promise_date,
                    "promise_amount": promise_amount,
                    "promise_state": "open",
                    "promise_communication_id": self.id,
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
            summary += " " + self.env._(
                "(promised: %(amount)s by %(date)s)",
                amount=self.company_id.currency_id.format(promise_amount),
                date=format_date(self.env, promise_date),
            )
        if self.call_activity_id:
            self.call_activity_id.action_feedback(feedback=summary)
        if outcome == "not_reached":
            self._schedule_call(deadline=today + timedelta(days=2))
        self.write(
            {"call_state": "done", "call_outcome": outcome, "call_note": summary, "call_date": fields.Datetime.now()}
        )
        self.message_post(body=self.env._("Call logged: %s", summary))

    def _sms_sent_today(self, number):
        """The company's letter that sent an SMS to `number` today, if any: a debtor gets one SMS a day.

        Counted per company, as e-mails are: each company signs its own SMS.
        """
        self.ensure_one()
        timezone = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        midnight = timezone.localize(datetime.combine(fields.Date.context_today(self), time.min))
        return self.search(
            [
                ("sms_number", "=", number),
                ("company_id", "=", self.company_id.id),
                ("date_sent", ">=", midnight.astimezone(pytz.UTC).replace(tzinfo=None)),
                ("id", "!=", self.id),
            ],
            limit=1,
        )

    def _open_amount_in_company_currency(self):
        """What is still open now of the letter's invoices, in the company's currency (a payment
        since the letter counts: the debtor promises what he still owes)."""
        self.ensure_one()
        return sum(self.move_ids.mapped("amount_residual_signed"))

    def _schedule_call(self, email_missing=False, deadline=None, summary=None, note=None):
        user = self.partner_id.user_id or self.env.user
        note = note or (
            self.env._("The debtor has no e-mail address: call and check that the letter reached him.")
            if email_missing
            else self.env._("Call the debtor about the letter %s.", self.level_id.name)
        )
        # On the debtor, so that the call shows in his credit-control tab with everything else.
        self.call_activity_id = self.partner_id.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=deadline or fields.Date.context_today(self),
            summary=summary
            or self.env._("Call %(debtor)s about %(level)s", debtor=self.partner_id.name, level=self.level_id.name),
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
