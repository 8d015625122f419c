# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import format_date

from . import arrangement_rules as rules


class DebtorDunningArrangementInstalment(models.Model):
    """One instalment of a payment arrangement: what is due when, and what was paid toward it."""

    _name = "debtor.dunning.arrangement.instalment"
    _description = "Payment Arrangement Instalment"
    _order = "arrangement_id, sequence, id"

    arrangement_id = fields.Many2one(
        "debtor.dunning.arrangement", string="Arrangement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="arrangement_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="arrangement_id.currency_id")
    partner_id = fields.Many2one(related="arrangement_id.partner_id")
    sequence = fields.Integer(default=1)
    date_due = fields.Date(string="Due Date", required=True)
    amount = fields.Monetary(required=True)
    amount_paid = fields.Monetary(
        string="Paid",
        compute="_compute_amount_paid",
        store=True,
        help="Payments on the covered invoices since the confirmation, oldest instalment first.",
    )
    state = fields.Selection(
        [("open", "Open"), ("paid", "Paid"), ("late", "Late")],
        compute="_compute_state",
        store=True,
        readonly=True,
        default="open",
        help="Paid when its amount is in (within the policy's tolerance); late when its due date had "
        "passed on the day the run last checked the arrangement.",
    )
    date_reminded = fields.Date(string="Reminded On", readonly=True, copy=False)
    reminder_queued = fields.Boolean(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The run decided today's reminder; the sending cron e-mails it after the run has committed.",
    )

    @api.depends(
        "arrangement_id.amount_paid", "arrangement_id.instalment_ids.amount", "arrangement_id.instalment_ids.date_due"
    )
    def _compute_amount_paid(self):
        for arrangement in self.arrangement_id:
            instalments = arrangement.instalment_ids.sorted(
                lambda i: (i.date_due or fields.Date.today(), i.sequence, i.id)
            )
            received = rules.allocate_payments(instalments.mapped("amount"), arrangement.amount_paid)
            for instalment, paid in zip(instalments, received, strict=True):
                if instalment in self:
                    instalment.amount_paid = paid
        (self - self.arrangement_id.instalment_ids).amount_paid = 0.0

    @api.depends("amount", "amount_paid", "date_due", "arrangement_id.date_checked")
    def _compute_state(self):
        # Late is judged on the day the run last checked the arrangement, never on the clock, so that
        # a simulated day (`execute(date=D)`) and the real one agree.
        for instalment in self:
            arrangement = instalment.arrangement_id
            on_date = arrangement.date_checked
            if not instalment.date_due or not on_date:
                paid = instalment.date_due and rules.is_instalment_paid(
                    instalment.amount, instalment.amount_paid, arrangement._tolerance() if arrangement else 0.0
                )
                instalment.state = rules.PAID if paid else rules.OPEN
                continue
            instalment.state = rules.instalment_state(
                instalment.amount, instalment.amount_paid, instalment.date_due, on_date, arrangement._tolerance()
            )

    @api.depends("arrangement_id.name", "sequence")
    def _compute_display_name(self):
        for instalment in self:
            instalment.display_name = f"{instalment.arrangement_id.name} / {instalment.sequence}"

    def _amount_due(self):
        self.ensure_one()
        return self.currency_id.round(self.amount - self.amount_paid)

    def _queue_reminder(self, on_date):
        """The run's decision: remind the debtor of these instalments on `on_date`. The reminders go
        out from the sending cron, as the run's letters do, so that the run stays fast."""
        if not self:
            return
        self.write({"date_reminded": on_date, "reminder_queued": True})
        cron = self.env.ref("debtor_dunning_arrangement.ir_cron_send_instalment_reminders", raise_if_not_found=False)
        if cron:
            cron._trigger()

    @api.model
    def _cron_send_reminders(self, batch_size=200):
        """Scheduled step: send the queued reminders in batches, committing each batch."""
        while True:
            queued = self.search([("reminder_queued", "=", True)], limit=batch_size, order="id")
            if not queued:
                return
            queued._send_queued_reminders()
            self.env["ir.cron"]._commit_progress(len(queued))

    def _send_queued_reminders(self):
        """Send these queued reminders, except for instalments paid meanwhile (nothing left to remind of)."""
        self.write({"reminder_queued": False})
        self.filtered(lambda instalment: instalment.state != rules.PAID)._send_reminder()

    def _send_reminder(self):
        """Remind the debtor of these instalments (e-mail; SMS when he has a valid mobile number)."""
        template = self.env.ref("debtor_dunning_arrangement.mail_template_arrangement_instalment_reminder")
        letters = self.env["debtor.dunning.arrangement"]._render_letters(template, self)
        for instalment in self:
            arrangement = instalment.arrangement_id
            # Queued, as the run's letters are: the mail cron sends them after the run has committed.
            arrangement.with_context(mail_notify_force_send=False)._post_letter(
                template, instalment, self.env["ir.attachment"], rendered=letters[instalment.id]
            )
            debtor_env = arrangement.with_context(lang=arrangement.partner_id.lang or self.env.lang).env
            if arrangement.direct_debit:
                sms = debtor_env._(
                    "%(company)s: on %(date)s we collect instalment %(index)s of %(amount)s of arrangement "
                    "%(name)s by direct debit (mandate %(mandate)s).",
                    company=arrangement.company_id.name,
                    date=format_date(debtor_env, instalment.date_due),
                    index=instalment.sequence,
                    amount=instalment.currency_id.format(instalment._amount_due()),
                    name=arrangement.name,
                    mandate=arrangement.mandate_reference or "-",
                )
            else:
                sms = debtor_env._(
                    "%(company)s: instalment %(index)s of %(amount)s of arrangement %(name)s is due on %(date)s. "
                    "Please pay on time to keep the arrangement.",
                    company=arrangement.company_id.name,
                    index=instalment.sequence,
                    amount=instalment.currency_id.format(instalment._amount_due()),
                    name=arrangement.name,
                    date=format_date(debtor_env, instalment.date_due),
                )
            arrangement._send_sms(sms)
