# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

LETTER_LAYOUTS = [
    ("pre_due", "1. Notice before the due date"),
    ("overdue", "2. Term expired, friendly request"),
    ("reminder", "3. Reminder: pay within a term"),
    ("last_reminder", "4. Last reminder before default"),
    ("default_notice", "5. Notice of default"),
    ("handover", "6. Claim handed to a collection agency"),
]


class DebtorDunningLevel(models.Model):
    _name = "debtor.dunning.level"
    _description = "Dunning Level"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one("debtor.dunning.policy", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)
    sequence = fields.Integer(required=True, default=10)
    name = fields.Char(required=True, translate=True)
    day_offset = fields.Integer(
        string="Days After Due Date",
        required=True,
        default=0,
        help="When the level is reached, in days relative to the due date: -5 is five days before it, "
        "14 is two weeks after it.",
    )
    min_days_since_previous = fields.Integer(
        string="Minimum Days Since Previous Letter",
        default=0,
        help="The level is never reached sooner than this after the previous letter.",
    )
    payment_term_days = fields.Integer(
        string="Pay Within (Days)",
        default=0,
        help="The term this letter grants; the letter prints it as a date, "
        "and the next level waits until it has expired.",
    )
    channel_email = fields.Boolean(string="E-mail", default=True)
    channel_sms = fields.Boolean(string="SMS")
    channel_letter = fields.Boolean(string="Printed Letter")
    channel_call = fields.Boolean(string="Call Task")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain=[("model", "=", "debtor.dunning.communication")],
    )
    letter_layout = fields.Selection(LETTER_LAYOUTS, required=True, default="reminder")
    letter_intro = fields.Html(
        string="Letter Text",
        translate=True,
        sanitize_style=True,
        help="The opening of the letter and the e-mail, above the table of invoices.",
    )
    letter_closing = fields.Html(
        string="Letter Closing",
        translate=True,
        sanitize_style=True,
        help="The text below the table of invoices: the request, the term and its consequences.",
    )
    attach_statement = fields.Boolean(
        string="Attach Statement of Account",
        help="E-mails of this level also carry the debtor's statement of account: all his open items "
        "with their due dates and levels, and the total.",
    )
    requires_approval = fields.Boolean(
        help="Letters of this level wait for a Credit Manager's approval before they go out."
    )
    communication_count = fields.Integer(compute="_compute_communication_count")

    _unique_sequence = models.Constraint(
        "UNIQUE(policy_id, sequence)",
        "Two levels of one policy cannot share a sequence.",
    )
    _check_days = models.Constraint(
        "CHECK(min_days_since_previous >= 0 AND payment_term_days >= 0)",
        "Days since the previous letter and the payment term cannot be negative.",
    )

    @api.depends("policy_id")
    def _compute_communication_count(self):
        counts = dict(
            self.env["debtor.dunning.communication"]._read_group(
                [("level_id", "in", self.ids), ("state", "!=", "preview")], ["level_id"], ["__count"]
            )
        )
        for level in self:
            level.communication_count = counts.get(level, 0)

    @api.constrains("channel_email", "channel_sms", "channel_letter", "channel_call")
    def _check_a_channel(self):
        for level in self:
            if not (level.channel_email or level.channel_sms or level.channel_letter or level.channel_call):
                raise ValidationError(
                    self.env._("The level %s must reach the debtor somehow: choose at least one channel.", level.name)
                )

    @api.depends("sequence", "name")
    def _compute_display_name(self):
        for level in self:
            level.display_name = f"{level.sequence}. {level.name}" if level.name else ""
