# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ResPartner(models.Model):
    """The debtor screen's collection: his cases (handed over, paid, closed) and write-offs on the
    timeline, and the Hand Over and Write Off buttons of the Debtor form."""

    _inherit = "res.partner"

    def _dunning_timeline(self, limit=50):
        events = super()._dunning_timeline(limit=0)
        debtor = self.commercial_partner_id
        company = self.env.company
        Case = self.env["debtor.dunning.collection.case"]
        cases = Case.search([("partner_id", "=", debtor.id), ("company_id", "=", company.id)])
        # When a case became paid or closed: its last change of state in its chatter (one query).
        ended = {}
        if cases.filtered(lambda case: case.state in ("paid", "closed")):
            # sudo: tracking values are readable by administrators only; read here is just when the
            # state of cases the user may already read last changed.
            changes = (
                self.env["mail.tracking.value"]
                .sudo()
                .search_fetch(
                    [
                        ("field_id.model", "=", Case._name),
                        ("field_id.name", "=", "state"),
                        ("mail_message_id.model", "=", Case._name),
                        ("mail_message_id.res_id", "in", cases.ids),
                    ],
                    ["mail_message_id"],
                    order="id",
                )
            )
            for change in changes:
                ended[change.mail_message_id.res_id] = change.mail_message_id.date
        for case in cases:
            amount = case.currency_id.format(case.principal_amount)
            if case.date_handover:
                events.append(
                    {
                        "date": case.date_handover,
                        "kind": "case_handed_over",
                        "description": self.env._(
                            "Case %(case)s handed over to %(agency)s: %(amount)s.",
                            case=case.name,
                            agency=case.agency_id.name or "-",
                            amount=amount,
                        ),
                        "res_model": case._name,
                        "res_id": case.id,
                    }
                )
            if case.state in ("paid", "closed"):
                events.append(
                    {
                        "date": ended.get(case.id) or case.write_date,
                        "kind": f"case_{case.state}",
                        "description": (
                            self.env._("Case %s paid.", case.name)
                            if case.state == "paid"
                            else self.env._("Case %s closed.", case.name)
                        ),
                        "res_model": case._name,
                        "res_id": case.id,
                    }
                )
        written_off = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", debtor.id),
                ("company_id", "=", company.id),
                ("dunning_written_off", "=", True),
            ]
        )
        for move in written_off:
            events.append(
                {
                    "date": move.dunning_write_off_move_id.date or move.write_date,
                    "kind": "write_off",
                    "description": self.env._(
                        "%(invoice)s written off: %(amount)s.",
                        invoice=move.name,
                        amount=move.currency_id.format(move.dunning_write_off_amount),
                    ),
                    "res_model": move._name,
                    "res_id": move.id,
                }
            )
        return self._dunning_timeline_sorted(events, limit)

    @api.model
    def _dunning_timeline_kind_names(self):
        return super()._dunning_timeline_kind_names() | {
            "case_handed_over": self.env._("Handed Over"),
            "case_paid": self.env._("Case Paid"),
            "case_closed": self.env._("Case Closed"),
            "write_off": self.env._("Write-off"),
        }

    def action_dunning_write_off_open_items(self):
        """The write-off wizard with the debtor's open invoices in the current company."""
        self.ensure_one()
        return self.commercial_partner_id.dunning_open_move_ids.action_dunning_write_off()
