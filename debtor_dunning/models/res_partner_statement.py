# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

STATEMENT_REPORT = "debtor_dunning.action_report_statement_of_account"
STATEMENT_TEMPLATE = "debtor_dunning.mail_template_statement_of_account"


class ResPartner(models.Model):
    """The statement of account ("rekeningoverzicht"): every open item of the debtor in the current
    company, with due dates, levels and the total, printed or e-mailed on demand and attached to the
    reminders of levels that say so (`debtor.dunning.level.attach_statement`)."""

    _inherit = "res.partner"

    def _dunning_statement_items(self):
        """The debtor's open receivable items in the current company, oldest due date first: invoices
        with their open amount, level and days overdue, and credits not yet matched (negative)."""
        self.ensure_one()
        debtor = self.commercial_partner_id
        lines = self.env["account.move.line"].search(
            Domain("partner_id", "child_of", debtor.id)
            & Domain("company_id", "=", self.env.company.id)
            & Domain("parent_state", "=", "posted")
            & Domain("account_id.account_type", "=", "asset_receivable")
            & Domain("reconciled", "=", False)
            & Domain("amount_residual", "!=", 0),
            order="date_maturity, date, id",
        )
        today = fields.Date.context_today(self)
        return [
            {
                "line": line,
                "move": line.move_id,
                "date": line.date,
                "date_due": line.date_maturity or line.date,
                "days_overdue": max(0, (today - (line.date_maturity or line.date)).days) if line.balance > 0 else 0,
                "level": line.move_id.dunning_level_id if line.balance > 0 else line.move_id.browse(),
                "currency": line.currency_id,
                "amount": line.amount_currency,
                "residual": line.amount_residual_currency,
            }
            for line in lines
        ]

    def _dunning_statement_totals(self, items):
        """{currency: open total} of `items`."""
        totals = defaultdict(float)
        for item in items:
            totals[item["currency"]] += item["residual"]
        return dict(totals)

    def _check_dunning_statement_access(self):
        if not self.env.user.has_group("debtor_dunning.group_debtor_dunning_controller"):
            raise AccessError(self.env._("Only Credit Controllers print and send statements of account."))

    def action_print_dunning_statement(self):
        self._check_dunning_statement_access()
        return self.env.ref(STATEMENT_REPORT).report_action(self.commercial_partner_id)

    def action_send_dunning_statement(self):
        """E-mail the statement to the debtor with its template (the PDF attached), logged in his chatter."""
        self.ensure_one()
        self._check_dunning_statement_access()
        debtor = self.commercial_partner_id
        template = self.env.ref(STATEMENT_TEMPLATE)
        # sudo: posting on a debtor requires the right to edit him, which a Credit Controller need not
        # have; sending him his statement is his to do (checked above). The author stays the user.
        composer = (
            self.env["mail.compose.message"]
            .sudo()
            .with_context(
                default_model="res.partner",
                default_res_ids=debtor.ids,
                default_template_id=template.id,
                default_composition_mode="comment",
            )
            .create({"author_id": self.env.user.partner_id.id, "subtype_id": self.env.ref("mail.mt_comment").id})
        )
        composer._action_send_mail()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Statement of account sent to %s.", debtor.email or debtor.name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _dunning_statement_attachment(self, res_model, res_id):
        """The statement rendered now as an attachment of the record (`res_model`, `res_id`)."""
        self.ensure_one()
        debtor = self.commercial_partner_id
        pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(STATEMENT_REPORT, debtor.ids)
        return self.env["ir.attachment"].create(
            {
                "name": self.env._(
                    "Statement of account %(debtor)s %(date)s.pdf",
                    debtor=debtor.name,
                    date=fields.Date.context_today(self),
                ),
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": res_model,
                "res_id": res_id,
            }
        )
