# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

DISPUTE_REASONS = [
    ("amount", "The amount is incorrect"),
    ("not_received", "Goods or services not received"),
    ("quality", "Complaint about the goods or services"),
    ("already_paid", "Already paid"),
    ("other", "Other reason"),
]


class DebtorDunningDebtorMessage(models.Model):
    """A question or a dispute the debtor wrote on one of his invoices.

    The debtor writes it in the customer portal (or replies by e-mail to the invoice); the message
    itself is posted in the invoice's chatter, where the company answers. This record is the
    controller's to-do: it shows whether the debtor got an answer and, for a dispute, holds the
    block that pauses the dunning of the invoice until the dispute is resolved.
    """

    _name = "debtor.dunning.debtor.message"
    _description = "Debtor Message"
    _inherit = ["mail.thread", "debtor.dunning.debtor.screen.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True
    _rec_name = "name"

    name = fields.Char(compute="_compute_name", store=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, index=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, index=True, readonly=True, help="The commercial partner."
    )
    author_id = fields.Many2one("res.partner", string="Written By", readonly=True)
    kind = fields.Selection(
        [("question", "Question"), ("dispute", "Dispute")], required=True, default="question", readonly=True
    )
    dispute_reason = fields.Selection(DISPUTE_REASONS, readonly=True)
    body = fields.Text(string="Message", readonly=True)
    attachment_ids = fields.Many2many(
        "ir.attachment", related="message_id.attachment_ids", string="Attachments", readonly=True
    )
    state = fields.Selection(
        [("open", "Unanswered"), ("answered", "Answered"), ("resolved", "Resolved")],
        required=True,
        default="open",
        index=True,
        tracking=True,
    )
    message_id = fields.Many2one(
        "mail.message", string="Debtor's Message", readonly=True, ondelete="set null", index="btree_not_null"
    )
    answer_message_id = fields.Many2one("mail.message", string="Answer", readonly=True, ondelete="set null")
    date_answered = fields.Datetime(string="Answered On", readonly=True)
    date_resolved = fields.Datetime(string="Resolved On", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible", index=True, tracking=True, help="The credit controller who answers."
    )
    block_id = fields.Many2one(
        "debtor.dunning.block", string="Block", readonly=True, help="The block that pauses the dunning meanwhile."
    )
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    amount_residual = fields.Monetary(related="move_id.amount_residual", string="Open Amount")
    currency_id = fields.Many2one(related="move_id.currency_id")
    dunning_state = fields.Selection(related="move_id.dunning_state")

    @api.depends("kind", "move_id.name")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for record in self:
            record.name = f"{kinds.get(record.kind, '')} - {record.move_id.name or ''}"

    # ------------------------------------------------------------------ from the debtor
    @api.model
    def _post_from_debtor(self, move, author, kind, body, dispute_reason=False, attachments=None):
        """Post the debtor's question or dispute on `move` and record it for the company.

        The caller has checked that `author` may write on `move` (access token or portal login of
        the invoice's debtor). Returns the new record.
        """
        move.ensure_one()
        if kind not in ("question", "dispute"):
            raise UserError(self.env._("Choose whether you ask a question or dispute the invoice."))
        if not move.dunning_is_chased:
            raise UserError(self.env._("Only customer invoices can be discussed here."))
        body = (body or "").strip()
        if not body:
            raise UserError(self.env._("Please write your message."))
        if kind == "dispute" and dispute_reason not in dict(DISPUTE_REASONS):
            raise UserError(self.env._("Please tell us why you dispute the invoice."))
        record = self.create(
            {
                "move_id": move.id,
                "company_id": move.company_id.id,
                "partner_id": move.commercial_partner_id.id,
                "author_id": author.id,
                "kind": kind,
                "dispute_reason": dispute_reason if kind == "dispute" else False,
                "body": body,
                "user_id": move._dunning_responsible_user().id,
            }
        )
        message = move.with_context(debtor_dunning_skip_message_hook=True, disable_attachment_import=True).message_post(
            body=record._chatter_body(),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=attachments or [],
        )
        # He is told by e-mail when the company answers in the invoice's chatter.
        move.message_subscribe(partner_ids=author.ids)
        record.message_id = message
        record._after_debtor_message()
        return record

    @api.model
    def _record_debtor_email(self, move, message):
        """The debtor wrote on the invoice outside the portal form (e-mail reply): a question."""
        record = self.create(
            {
                "move_id": move.id,
                "company_id": move.company_id.id,
                "partner_id": move.commercial_partner_id.id,
                "author_id": message.author_id.id,
                "kind": "question",
                "body": message.preview or "",
                "message_id": message.id,
                "user_id": move._dunning_responsible_user().id,
            }
        )
        record._after_debtor_message()
        return record

    def _chatter_body(self):
        self.ensure_one()
        if self.kind == "dispute":
            reasons = dict(self._fields["dispute_reason"]._description_selection(self.env))
            title = self.env._("Dispute: %s", reasons[self.dispute_reason])
        else:
            title = self.env._("Question")
        return Markup("<p><b>%s</b></p>%s") % (title, plaintext2html(self.body))

    def _after_debtor_message(self):
        """Pause the dunning when it must, and put the message on the controller's to-do list."""
        pausing = self.filtered(lambda record: record.kind == "dispute" or record.company_id.dunning_question_pauses)
        pausing._place_blocks()
        for record in self:
            record._schedule_activity()

    def _place_blocks(self):
        """Block each message's invoice (dispute or question), unless such a block is active already."""
        if not self:
            return
        dispute = self.env.ref("debtor_dunning.block_template_dispute")
        question = self.env.ref("debtor_dunning.block_template_debtor_question")
        # sudo: the debtor (a portal or public user) has no access to blocks, yet his dispute must
        # pause the invoice at once. Only these blocks are created, on the invoices whose access the
        # portal controller checked; each is placed in the name of the responsible controller, who
        # can then lift it when the dispute is resolved.
        Block = self.env["debtor.dunning.block"].sudo()
        active = {
            (block.move_id, block.template_id): block
            for block in Block.search(
                [
                    ("move_id", "in", self.move_id.ids),
                    ("template_id", "in", (dispute | question).ids),
                    ("state", "=", "active"),
                ]
            )
        }
        for record in self:
            template = dispute if record.kind == "dispute" else question
            key = (record.move_id, template)
            if key not in active:
                active[key] = Block.create(
                    {
                        "template_id": template.id,
                        "move_id": record.move_id.id,
                        "company_id": record.company_id.id,
                        "reason": record._block_reason(),
                        "user_id": record.user_id.id,
                    }
                )
            record.block_id = active[key]

    def _block_reason(self):
        self.ensure_one()
        if self.kind == "dispute":
            reasons = dict(self._fields["dispute_reason"]._description_selection(self.env))
            return self.env._("Disputed by the debtor in the portal: %(reason)s", reason=reasons[self.dispute_reason])
        return self.env._("The debtor asked a question in the portal.")

    def _schedule_activity(self):
        self.ensure_one()
        if not self.user_id:
            return
        activity_type = self.env.ref("debtor_dunning.mail_activity_type_debtor_message", raise_if_not_found=False)
        if self.kind == "dispute":
            summary = self.env._("Dispute from %s", self.partner_id.name)
        else:
            summary = self.env._("Question from %s", self.partner_id.name)
        self.activity_id = self.move_id.activity_schedule(
            activity_type_id=activity_type.id if activity_type else False,
            summary=summary,
            note=plaintext2html(self.body or ""),
            user_id=self.user_id.id,
        )

    # ------------------------------------------------------------------ from the company
    def _mark_answered(self, answer):
        """The company answered in the invoice's chatter."""
        to_answer = self.filtered(lambda record: record.state == "open")
        to_answer.write({"state": "answered", "answer_message_id": answer.id, "date_answered": fields.Datetime.now()})
        to_answer._close_activities(self.env._("Answered in the invoice's chatter."))

    def _close_activities(self, feedback):
        # sudo: the activity is assigned to the responsible controller; whoever answers closes it.
        activities = self.activity_id.sudo().exists()
        if activities:
            activities.action_feedback(feedback=feedback)

    def action_resolve(self):
        """The question or dispute is sorted out: lift its block, dunning resumes where it stopped."""
        for record in self.filtered(lambda record: record.state != "resolved"):
            if record.block_id.state == "active":
                record.block_id.action_lift()
            record.write({"state": "resolved", "date_resolved": fields.Datetime.now()})
            record._close_activities(self.env._("Resolved."))
        return True

    def action_reopen(self):
        self.filtered(lambda record: record.state == "resolved").write({"state": "answered", "date_resolved": False})
        return True

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    def action_open_portal(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.move_id.get_portal_url(), "target": "new"}
