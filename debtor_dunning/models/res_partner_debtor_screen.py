# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import textwrap
from datetime import datetime, time

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_date, html2plaintext


def _as_datetime(value):
    """Dates and datetimes of the timeline on one scale, for sorting (a day's events at its start)."""
    if not value:
        return datetime.min
    if isinstance(value, str):
        return fields.Datetime.to_datetime(value)
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min)


class ResPartner(models.Model):
    """The debtor screen: everything about one debtor in the current company on one form."""

    _inherit = "res.partner"

    dunning_timeline_html = fields.Html(
        string="Timeline",
        compute="_compute_dunning_timeline_html",
        sanitize=True,
        help="Letters, calls, the debtor's messages, blocks and what the add-ons record, newest first.",
    )
    dunning_recent_payment_ids = fields.Many2many(
        "account.move.line",
        compute="_compute_dunning_payments",
        string="Recent Payments",
        help="The debtor's last ten payments in this company.",
    )
    dunning_unmatched_credit_ids = fields.Many2many(
        "account.move.line",
        compute="_compute_dunning_payments",
        string="Unmatched Payments and Credits",
        help="The debtor's credit items on receivable accounts that are not matched with an invoice yet.",
    )
    dunning_task_ids = fields.Many2many(
        "mail.activity",
        compute="_compute_dunning_tasks",
        string="Open Tasks",
        help="The open activities on the debtor, his invoices and his letters in this company.",
    )

    # -- timeline -------------------------------------------------------------------------------

    def _dunning_timeline(self, limit=50):
        """Hook: the dossier of the debtor (`self`, one partner) in the current company, newest first,
        as a list of {"date", "kind", "description", "res_model", "res_id"}. The core adds letters,
        call outcomes, the debtor's messages and blocks, and what `account.move._dunning_dossier_events()`
        returns for his invoices; an add-on adds its own by overriding this method (one query per
        kind): it takes `super()._dunning_timeline(limit=0)` (all of them), adds its own and returns
        `self._dunning_timeline_sorted(events, limit)`. Every "date" is a datetime (a day's at 00:00)."""
        self.ensure_one()
        debtor = self.commercial_partner_id
        company = self.env.company
        events = []
        events += debtor._dunning_timeline_letters(company)
        events += debtor._dunning_timeline_messages(company)
        events += debtor._dunning_timeline_blocks(company)
        events += debtor._dunning_timeline_move_events(company)
        return self._dunning_timeline_sorted(events, limit)

    @api.model
    def _dunning_timeline_sorted(self, events, limit=50):
        """`events` newest first, each once, at most `limit`; every "date" a datetime (a day's at 00:00)."""
        seen, unique = set(), []
        for event in events:
            event["date"] = _as_datetime(event["date"])
            key = (str(event["date"]), event["kind"], event["description"])
            if key not in seen:
                seen.add(key)
                unique.append(event)
        unique.sort(key=lambda event: (event["date"], event.get("res_id") or 0), reverse=True)
        return unique[:limit] if limit else unique

    def _dunning_timeline_letters(self, company):
        letters = self.env["debtor.dunning.communication"].search(
            [("partner_id", "=", self.id), ("company_id", "=", company.id), ("state", "!=", "preview")],
            order="date desc, id desc",
        )
        Letter = self.env["debtor.dunning.communication"]
        states = dict(Letter._fields["state"]._description_selection(self.env))
        outcomes = dict(Letter._fields["call_outcome"]._description_selection(self.env))
        channel_names = {
            "channel_email": self.env._("e-mail"),
            "channel_letter": self.env._("letter"),
            "channel_sms": self.env._("SMS"),
            "channel_call": self.env._("call"),
        }
        events = []
        for letter in letters:
            channels = ", ".join(name for field, name in channel_names.items() if letter[field])
            events.append(
                {
                    "date": letter.date_sent or letter.date,
                    "kind": "letter",
                    "description": self.env._(
                        "%(level)s (%(channels)s): %(state)s",
                        level=letter.level_id.name,
                        channels=channels or "-",
                        state=states.get(letter.state),
                    ),
                    "res_model": letter._name,
                    "res_id": letter.id,
                }
            )
            if letter.call_outcome:
                note = f": {letter.call_note}" if letter.call_note else ""
                events.append(
                    {
                        "date": letter.call_date or letter.date,
                        "kind": "call",
                        "description": self.env._("Call: %s", outcomes.get(letter.call_outcome)) + note,
                        "res_model": letter._name,
                        "res_id": letter.id,
                    }
                )
        return events

    def _dunning_timeline_messages(self, company):
        messages = self.env["debtor.dunning.debtor.message"].search(
            [("partner_id", "=", self.id), ("company_id", "=", company.id)], order="create_date desc, id desc"
        )
        kinds = dict(messages._fields["kind"]._description_selection(self.env))
        return [
            {
                "date": message.create_date,
                "kind": "debtor_message",
                "description": self.env._(
                    "%(kind)s about %(invoice)s: %(text)s",
                    kind=kinds.get(message.kind),
                    invoice=message.move_id.name,
                    text=textwrap.shorten(html2plaintext(message.body or ""), 200),
                ),
                "res_model": message._name,
                "res_id": message.id,
            }
            for message in messages
        ]

    def _dunning_timeline_blocks(self, company):
        blocks = self.env["debtor.dunning.block"].search(
            [
                ("company_id", "=", company.id),
                "|",
                ("partner_id", "=", self.id),
                ("move_id.commercial_partner_id", "=", self.id),
            ],
            order="date_start desc, id desc",
        )
        today = fields.Date.context_today(self)
        events = []
        for block in blocks:
            target = block.move_id.name or self.display_name
            base = {"res_model": block._name, "res_id": block.id}
            events.append(
                base
                | {
                    "date": block.date_start,
                    "kind": "block_placed",
                    "description": self.env._(
                        "Block placed: %(type)s on %(target)s. %(reason)s",
                        type=block.template_id.name,
                        target=target,
                        reason=block.reason or "",
                    ).strip(),
                }
            )
            if block.state == "lifted" and block.date_lifted:
                events.append(
                    base
                    | {
                        "date": block.date_lifted,
                        "kind": "block_lifted",
                        "description": self.env._(
                            "Block lifted: %(type)s on %(target)s", type=block.template_id.name, target=target
                        ),
                    }
                )
            if block.promise_state in ("kept", "broken") and block.date_end and block.date_end <= today:
                events.append(
                    base
                    | {
                        "date": block.date_end,
                        "kind": f"promise_{block.promise_state}",
                        "description": (
                            self.env._(
                                "Promise to pay kept: %s received.",
                                block.currency_id.format(block.promise_paid_amount),
                            )
                            if block.promise_state == "kept"
                            else self.env._(
                                "Promise to pay broken: %(promised)s promised, %(paid)s received.",
                                promised=block.currency_id.format(block.promise_amount),
                                paid=block.currency_id.format(block.promise_paid_amount),
                            )
                        ),
                    }
                )
        return events

    def _dunning_timeline_move_events(self, company):
        """What the add-ons record on the debtor's invoices (`account.move._dunning_dossier_events`)."""
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.id),
                ("company_id", "=", company.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
            ]
        )
        if not moves:
            return []
        return [
            {
                "date": event["date"],
                "kind": event["kind"],
                "description": event["description"],
                "res_model": "account.move",
                "res_id": event["move_id"],
            }
            for event in moves._dunning_dossier_events()
        ]

    @api.model
    def _dunning_timeline_kind_names(self):
        """{kind: name in words}; an add-on adds its kinds."""
        return {
            "letter": self.env._("Letter"),
            "call": self.env._("Call"),
            "debtor_message": self.env._("Debtor Message"),
            "block_placed": self.env._("Block"),
            "block_lifted": self.env._("Block Lifted"),
            "promise_kept": self.env._("Promise Kept"),
            "promise_broken": self.env._("Promise Broken"),
        }

    @api.depends_context("company")
    def _compute_dunning_timeline_html(self):
        kinds = self._dunning_timeline_kind_names()
        for partner in self:
            if not partner._origin.id:
                partner.dunning_timeline_html = False
                continue
            events = partner._origin._dunning_timeline()
            if not events:
                partner.dunning_timeline_html = Markup("<p>%s</p>") % self.env._("Nothing happened yet.")
                continue
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>")
                % (
                    format_date(self.env, event["date"]) if event["date"] > datetime.min else "",
                    kinds.get(event["kind"], event["kind"]),
                    event["description"],
                )
                for event in events
            )
            partner.dunning_timeline_html = Markup(
                '<table class="table table-sm o_dunning_timeline"><thead><tr><th>%s</th><th>%s</th><th>%s</th>'
                "</tr></thead><tbody>%s</tbody></table>"
            ) % (self.env._("Date"), self.env._("Kind"), self.env._("Description"), rows)

    # -- payments and credits -------------------------------------------------------------------

    @api.depends_context("company")
    def _compute_dunning_payments(self):
        Line = self.env["account.move.line"]
        for partner in self:
            debtor = partner._origin.commercial_partner_id
            if not debtor:
                partner.dunning_recent_payment_ids = partner.dunning_unmatched_credit_ids = Line
                continue
            credits = Domain(
                [
                    ("partner_id", "child_of", debtor.id),
                    ("company_id", "=", self.env.company.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("balance", "<", 0),
                ]
            )
            partner.dunning_recent_payment_ids = Line.search(
                credits & Domain("move_id.move_type", "=", "entry"), order="date desc, id desc", limit=10
            )
            partner.dunning_unmatched_credit_ids = Line.search(
                credits & Domain("reconciled", "=", False) & Domain("amount_residual", "!=", 0),
                order="date desc, id desc",
            )

    # -- tasks ----------------------------------------------------------------------------------

    @api.depends_context("company")
    def _compute_dunning_tasks(self):
        Activity = self.env["mail.activity"]
        for partner in self:
            debtor = partner._origin.commercial_partner_id
            if not debtor:
                partner.dunning_task_ids = Activity
                continue
            company = self.env.company
            moves = self.env["account.move"].search(
                [("commercial_partner_id", "=", debtor.id), ("company_id", "=", company.id)]
            )
            letters = self.env["debtor.dunning.communication"].search(
                [("partner_id", "=", debtor.id), ("company_id", "=", company.id)]
            )
            partner.dunning_task_ids = Activity.search(
                Domain.OR(
                    [
                        [("res_model", "=", "res.partner"), ("res_id", "in", (debtor | debtor.child_ids).ids)],
                        [("res_model", "=", "account.move"), ("res_id", "in", moves.ids)],
                        [("res_model", "=", letters._name), ("res_id", "in", letters.ids)],
                    ]
                ),
                order="date_deadline, id",
            )

    # -- the debtor form and its actions ---------------------------------------------------------

    def action_open_debtor_screen(self):
        """The Debtor form of the (commercial partner of the) first partner of `self`."""
        debtor = self[:1].commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": debtor.display_name or self.env._("Debtor"),
            "res_model": "res.partner",
            "res_id": debtor.id,
            "view_mode": "form",
            "views": [(self.env.ref("debtor_dunning.res_partner_view_form_debtor").id, "form")],
            "target": "current",
        }

    def action_place_dunning_block(self):
        """The block form, prefilled with the debtor."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Place Block"),
            "res_model": "debtor.dunning.block",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id, "default_company_id": self.env.company.id},
        }

    def action_log_dunning_call(self):
        """Log a call: on the debtor's latest letter with a call planned, or else a call activity on him."""
        self.ensure_one()
        debtor = self.commercial_partner_id
        letter = self.env["debtor.dunning.communication"].search(
            [
                ("partner_id", "=", debtor.id),
                ("company_id", "=", self.env.company.id),
                ("call_state", "=", "planned"),
            ],
            order="date desc, id desc",
            limit=1,
        )
        if letter:
            return letter.action_log_call()
        activity_type = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Call"),
            "res_model": "mail.activity",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_res_model": "res.partner",
                "default_res_id": debtor.id,
                "default_activity_type_id": activity_type.id if activity_type else False,
                "default_summary": self.env._("Call %s", debtor.display_name),
            },
        }
