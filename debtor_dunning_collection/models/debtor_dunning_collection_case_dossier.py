# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import csv
import io
import json
import zipfile

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.tools import html2plaintext


class DebtorDunningCollectionCase(models.Model):
    """The dossier of a case: everything the agency needs, in one ZIP attached to the case."""

    _inherit = "debtor.dunning.collection.case"

    def action_export_dossier(self):
        """Build the dossier of each case anew and attach it: the letters of its invoices with their
        date and channel, the invoices' PDFs, the debtor's messages and our answers, call outcomes,
        blocks, a statement of account and `case.json`. Nothing of the debtor's other invoices."""
        for case in self:
            content = case._dossier_zip()
            name = f"{case.name.replace('/', '-')} - {case.partner_id.name}.zip"
            old = case.dossier_attachment_id
            case.dossier_attachment_id = self.env["ir.attachment"].create(
                {
                    "name": name,
                    "raw": content,
                    "res_model": case._name,
                    "res_id": case.id,
                    "mimetype": "application/zip",
                }
            )
            old.unlink()
        return True

    def _dossier_letters(self):
        """The letters sent about this case's invoices, oldest first."""
        self.ensure_one()
        return self.move_ids.dunning_line_ids.filtered(
            lambda line: not line.is_cancelled and line.communication_id.state == "sent"
        ).communication_id.sorted(lambda letter: (letter.date, letter.id))

    @staticmethod
    def _letter_channels(letter):
        channels = []
        if letter.email_state == "sent":
            channels.append("email")
        if letter.letter_state in ("to_print", "printed"):
            channels.append("post")
        if letter.sms_number:
            channels.append("sms")
        if letter.call_state != "none":
            channels.append("call")
        return channels

    def _dossier_zip(self):
        self.ensure_one()
        buffer = io.BytesIO()
        letters = self._dossier_letters()
        moves = self.move_ids.sorted(lambda move: (move.invoice_date_due or fields.Date.today(), move.name))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dossier:
            letter_files = {}
            for letter in letters:
                if not letter.letter_attachment_id:
                    continue
                filename = (
                    f"letters/{letter.date}_level-{letter.level_sequence}_{'-'.join(self._letter_channels(letter))}"
                    f"_{letter.id}.pdf"
                )
                dossier.writestr(filename, letter.letter_attachment_id.raw)
                letter_files[letter.id] = filename
            invoice_files = {}
            for move in moves:
                content, _type = self.env["ir.actions.report"]._render_qweb_pdf("account.account_invoices", move.ids)
                filename = f"invoices/{(move.name or str(move.id)).replace('/', '-')}.pdf"
                dossier.writestr(filename, content)
                invoice_files[move.id] = filename
            dossier.writestr("messages.json", json.dumps(self._dossier_messages(moves), indent=2, ensure_ascii=False))
            dossier.writestr("calls.json", json.dumps(self._dossier_calls(letters), indent=2, ensure_ascii=False))
            dossier.writestr("blocks.json", json.dumps(self._dossier_blocks(moves), indent=2, ensure_ascii=False))
            dossier.writestr("events.json", json.dumps(self._dossier_events(moves), indent=2, ensure_ascii=False))
            dossier.writestr("statement_of_account.csv", self._dossier_statement(moves))
            dossier.writestr(
                "case.json",
                json.dumps(
                    self._dossier_case(moves, letters, letter_files, invoice_files), indent=2, ensure_ascii=False
                ),
            )
        return buffer.getvalue()

    def _dossier_messages(self, moves):
        """The debtor's questions and disputes, and the messages in the invoices' chatter (no internal notes)."""
        messages = [
            {
                "invoice": message.move_id.name,
                "date": str(message.create_date),
                "kind": message.kind,
                "state": message.state,
                "text": html2plaintext(message.body or ""),
            }
            for message in self.env["debtor.dunning.debtor.message"].search([("move_id", "in", moves.ids)])
        ]
        chatter = self.env["mail.message"].search(
            [
                ("model", "=", "account.move"),
                ("res_id", "in", moves.ids),
                ("message_type", "=", "comment"),
                ("subtype_id.internal", "=", False),
            ],
            order="date, id",
        )
        names = dict(zip(moves.ids, moves.mapped("name"), strict=True))
        messages += [
            {
                "invoice": names.get(message.res_id),
                "date": str(message.date),
                "kind": "message",
                "author": message.author_id.display_name or message.email_from,
                "text": html2plaintext(message.body or ""),
            }
            for message in chatter
        ]
        return messages

    def _dossier_calls(self, letters):
        outcomes = dict(letters._fields["call_outcome"]._description_selection(self.env))
        return [
            {
                "letter": letter.name,
                "date": str(letter.date),
                "outcome": outcomes.get(letter.call_outcome),
                "note": letter.call_note or "",
            }
            for letter in letters.filtered("call_outcome")
        ]

    def _dossier_blocks(self, moves):
        blocks = self.env["debtor.dunning.block"].search(
            ["|", ("move_id", "in", moves.ids), ("partner_id", "=", self.partner_id.id)], order="date_start, id"
        )
        return [
            {
                "invoice": block.move_id.name or None,
                "kind": block.template_id.name,
                "date_start": str(block.date_start),
                "date_end": str(block.date_end) if block.date_end else None,
                "state": block.state,
                "reason": block.reason or "",
            }
            for block in blocks
        ]

    def _dossier_events(self, moves):
        """What other add-ons recorded on the invoices (broken payment arrangements, …), oldest first."""
        names = dict(zip(moves.ids, moves.mapped("name"), strict=True))
        events = sorted(moves._dunning_dossier_events(), key=lambda event: (event["date"], event["move_id"]))
        return [
            {
                "invoice": names.get(event["move_id"]),
                "date": str(event["date"]),
                "kind": event["kind"],
                "text": event["description"],
            }
            for event in events
        ]

    def _dossier_statement(self, moves):
        """The statement of account of the case's invoices: each invoice and each payment on it."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["date", "document", "description", "debit", "credit", "open"])
        for move in moves:
            writer.writerow([move.invoice_date, move.name, move.ref or "", move.amount_total, "", move.amount_residual])
            for _partial, amount, counterpart in move._get_reconciled_invoices_partials()[0]:
                writer.writerow(
                    [counterpart.date, counterpart.move_id.name, counterpart.move_id.ref or "", "", amount, ""]
                )
        return out.getvalue()

    def _dossier_case(self, moves, letters, letter_files, invoice_files):
        partner = self.partner_id
        return {
            "case": self.name,
            "state": self.state,
            "date_handover": str(self.date_handover) if self.date_handover else None,
            "currency": self.currency_id.name,
            "creditor": {"name": self.company_id.name, "vat": self.company_id.vat or None},
            "agency": {
                "name": self.agency_id.name,
                "kind": self.agency_id.kind,
                "wki_registration": self.agency_id.wki_registration or None,
            },
            "debtor": {
                "name": partner.name,
                "ref": partner.ref or None,
                "is_company": partner.is_company,
                "vat": partner.vat or None,
                "company_registry": partner.company_registry or None,
                "street": partner.street or None,
                "zip": partner.zip or None,
                "city": partner.city or None,
                "country": partner.country_id.code or None,
                "email": partner.email or None,
                "phone": partner.phone or None,
                "lang": partner.lang or None,
            },
            "amounts": {
                "principal": self.principal_amount,
                "costs": self.costs_amount,
                "interest": self.interest_amount,
                "interest_until": str(self.interest_date) if self.interest_date else None,
                "paid": self.amount_paid,
                "due": self.amount_due,
            },
            "invoices": [
                {
                    "number": move.name,
                    "ref": move.ref or None,
                    "invoice_date": str(move.invoice_date),
                    "date_due": str(move.invoice_date_due),
                    "amount_total": move.amount_total,
                    "amount_open": move.amount_residual,
                    "limitation_date": str(move.dunning_limitation_date) if move.dunning_limitation_date else None,
                    "pdf": invoice_files.get(move.id),
                }
                for move in moves
            ],
            "letters": [
                {
                    "date": str(letter.date),
                    "level": letter.level_sequence,
                    "name": letter.level_id.name,
                    "channels": self._letter_channels(letter),
                    "pay_by": str(letter.pay_by_date) if letter.pay_by_date else None,
                    "invoices": letter.line_ids.filtered(lambda line: line.move_id in moves).move_id.mapped("name"),
                    "costs_stated": letter.statutory_costs_amount or 0.0,
                    "pdf": letter_files.get(letter.id),
                }
                for letter in letters
            ],
        }

    def _send_dossier_to_agency(self):
        """E-mail each case's dossier to its agency's hand-off address."""
        for case in self:
            body = Markup(
                self.env._(
                    "<p>Dear %(agency)s,</p><p>We hand you the claim %(case)s on %(debtor)s for collection: "
                    "%(amount)s, of which principal %(principal)s. The dossier is attached.</p><p>%(company)s</p>",
                    agency=escape(case.agency_id.name),
                    case=escape(case.name),
                    debtor=escape(case.partner_id.display_name),
                    amount=escape(f"{case.currency_id.symbol} {case.amount_due:,.2f}"),
                    principal=escape(f"{case.currency_id.symbol} {case.principal_amount:,.2f}"),
                    company=escape(case.company_id.name),
                )
            )
            # sudo: the outgoing-mail queue is the system's; the manager decided this hand-off and the
            # e-mail carries only this case's dossier to the address configured on the agency. The
            # mail queue sends it like any other e-mail.
            mail = (
                self.env["mail.mail"]
                .sudo()
                .create(
                    {
                        "subject": self.env._(
                            "Claim handed over: %(case)s - %(debtor)s", case=case.name, debtor=case.partner_id.name
                        ),
                        "body_html": body,
                        "email_from": case.company_id.email_formatted or self.env.user.email_formatted,
                        "email_to": case.agency_id.handoff_email,
                        "attachment_ids": [fields.Command.link(case.dossier_attachment_id.id)],
                        "model": case._name,
                        "res_id": case.id,
                        "auto_delete": False,
                    }
                )
            )
            case.handoff_mail_id = mail
            case.message_post(
                body=self.env._(
                    "Dossier sent to %(agency)s (%(email)s).",
                    agency=case.agency_id.name,
                    email=case.agency_id.handoff_email,
                ),
                attachment_ids=case.dossier_attachment_id.ids,
            )
