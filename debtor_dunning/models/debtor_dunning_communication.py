# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .matching import letter_reference

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
    reached that level on that run. The run decides it; `_cron_send_queued` renders and sends it.

    This file holds the fields, states and actions; rendering the letter is in
    `debtor_dunning_communication_render.py`, the channels (e-mail, SMS, call, payment link) in
    `debtor_dunning_communication_channels.py`.
    """

    _name = "debtor.dunning.communication"
    _description = "Dunning Communication"
    _inherit = ["mail.thread", "mail.activity.mixin", "debtor.dunning.debtor.screen.mixin"]
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
    call_date = fields.Datetime(string="Called On", readonly=True, copy=False)
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letter (PDF)", readonly=True, copy=False)
    date_printed = fields.Datetime(string="Printed On", readonly=True, copy=False)
    payment_link_id = fields.Many2one(
        "debtor.dunning.payment.link", string="Online Payment Link", readonly=True, copy=False
    )
    payment_link_url = fields.Char(related="payment_link_id.url", string="Payment Link")
    payment_link_state = fields.Selection(related="payment_link_id.state", string="Payment Link Status")
    mail_message_id = fields.Many2one("mail.message", string="E-mail", readonly=True, copy=False)
    date_sent = fields.Datetime(string="Sent On", readonly=True, copy=False)
    sms_number = fields.Char(string="SMS Sent To", readonly=True, copy=False, index="btree_not_null")
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

    # ------------------------------------------------------------------ hooks for other add-ons
    def _dunning_after_create(self):
        """Hook: called once on the set of communications a run has just created.

        The run writes communications and their dossier lines with a few SQL statements, so no
        `create` override sees them. Add-ons fill their own fields of the letters here, for the
        whole set at once (a run may create thousands): e.g. the statutory collection costs a
        notice of default states, the collection agency a handover letter names. Return nothing.
        """
        return None

    # ------------------------------------------------------------------ actions
    def action_approve(self):
        """A Credit Manager lets letters of levels that require approval go out."""
        if not self.env.user.has_group("debtor_dunning.group_debtor_dunning_manager"):
            raise AccessError(self.env._("Only a Credit Manager can approve dunning letters."))
        to_approve = self.filtered(lambda communication: communication.state == "to_approve")
        if to_approve != self:
            raise UserError(self.env._("Only letters awaiting approval can be approved."))
        to_approve.write({"state": "queued", "approved_by_id": self.env.uid, "date_approved": fields.Datetime.now()})
        # The letter is dated on the day it can go out, so its term runs from then.
        today = fields.Date.context_today(self)
        to_approve.filtered(lambda communication: communication.date < today)._redate(today)
        self._trigger_sending()
        return True

    def _redate(self, new_date):
        """Date these letters and their dossier lines `new_date`, their days overdue counted to that day.

        The lines state each invoice as on the letter's date, so a letter dated later says that many
        days more overdue. Counted as the run counts them: from the due date, never below zero (a line
        without a due date counts from the one its days overdue imply).
        """
        if not self:
            return
        self.write({"date": new_date})
        Line = self.env["debtor.dunning.communication.line"]
        Line.flush_model(["date", "days_overdue", "invoice_date_due"])
        self.env.execute_query(
            SQL(
                """
                UPDATE debtor_dunning_communication_line
                   SET days_overdue = GREATEST(%(date)s - COALESCE(invoice_date_due, date - days_overdue), 0),
                       date = %(date)s
                 WHERE communication_id IN %(ids)s
                """,
                date=new_date,
                ids=tuple(self.ids),
            )
        )
        Line.invalidate_model(["date", "days_overdue"])

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

    def action_print_letters(self):
        """All letters to print (the selected ones, or every letter waiting to be printed) as one PDF."""
        letters = self or self.search([("letter_state", "=", "to_print")])
        letters = letters.filtered(lambda c: c.state == "sent" and c.letter_state in ("to_print", "printed"))
        if not letters:
            raise UserError(self.env._("There are no sent letters to print."))
        postal = letters._postal_address_partners()
        letters = letters.sorted(lambda c: (postal[c.id].zip or "", c.partner_id.name or "", c.id))
        merged = letters._letters_pdf()
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

    # ------------------------------------------------------------------ sending
    def _trigger_sending(self):
        cron = self.env.ref("debtor_dunning.ir_cron_debtor_dunning_send", raise_if_not_found=False)
        if cron:
            cron._trigger()

    @api.model
    def _cron_send_queued(self):
        """Scheduled step: render and send queued letters in batches, committing each batch.

        A batch never splits a debtor: his queued letters are sent together, so that he gets one
        e-mail (and at most one SMS) for all of them (see `_send`). Letters that become ready
        later the same day (approved, retried, sent by hand) go out in an e-mail of their own:
        holding them back to the next day would delay what someone just decided to send.
        """
        domain = [("state", "=", "queued")]
        remaining = self.search_count(domain)
        cron = self.env["ir.cron"]
        while remaining:
            batch = self.search(domain, limit=SEND_BATCH_SIZE, order="partner_id.id, id")
            batch |= self.search([*domain, ("partner_id", "=", batch[-1:].partner_id.id), ("id", "not in", batch.ids)])
            batch = batch.try_lock_for_update()
            if not batch:
                break
            batch._send()
            remaining = self.search_count(domain)
            if cron._commit_progress(len(batch), remaining=remaining) <= 0:
                break

    def _send(self):
        """Render, archive and send these letters; one failure never stops the letters of other debtors.

        The letters are sent per debtor (and company): his letters by e-mail go out in one e-mail
        to each recipient, with each letter's PDF attached, and he gets at most one SMS a day; each
        letter stays its own record in the dossier, with its own outcome. A debtor's letters are
        sent together or not at all, so that a retry never sends an e-mail twice.
        """
        self._prerender_letters()
        for letters in self.grouped(lambda c: (c.company_id, c.partner_id)).values():
            outcomes = letters._prepare_to_send()
            ready = letters.browse(list(outcomes))
            if not ready:
                continue
            try:
                with self.env.cr.savepoint():
                    ready._deliver(outcomes)
            except Exception as error:
                _logger.warning("Dunning communications %s could not be sent: %s", ready.ids, error)
                ready._record_send_failure(error)

    def _prepare_to_send(self):
        """Give each letter its payment link and PDF; {communication id: outcome so far} of those ready."""
        outcomes = {}
        for communication in self:
            try:
                with self.env.cr.savepoint():
                    outcomes[communication.id] = communication._prepare_letter()
            except Exception as error:
                _logger.warning("Dunning communication %s could not be sent: %s", communication.id, error)
                communication._record_send_failure(error)
        return outcomes

    def _record_send_failure(self, error):
        """Shown on each letter; retried a few times by the scheduled step, then marked failed."""
        for communication in self:
            attempts = communication.send_attempts + 1
            communication.write(
                {
                    "send_attempts": attempts,
                    "error_message": str(error),
                    "state": "failed" if attempts >= MAX_SEND_ATTEMPTS else "queued",
                }
            )

    def _reference(self):
        """The letter's reference, printed on it and given to Mollie so a payment finds its way back."""
        self.ensure_one()
        return letter_reference(self.id)
