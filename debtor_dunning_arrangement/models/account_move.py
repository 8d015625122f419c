# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    arrangement_ids = fields.Many2many(
        "debtor.dunning.arrangement",
        "debtor_dunning_arrangement_move_rel",
        "move_id",
        "arrangement_id",
        string="Payment Arrangements",
        readonly=True,
        copy=False,
    )
    arrangement_id = fields.Many2one(
        "debtor.dunning.arrangement",
        string="Active Arrangement",
        compute="_compute_arrangement_id",
        help="The active payment arrangement covering this invoice: the dunning leaves it alone meanwhile.",
    )

    def _compute_arrangement_id(self):
        # sudo: only ids are read, to name the arrangement the user may then open (or not).
        holding = self.env["debtor.dunning.arrangement"].sudo()._holding_moves(set(self._origin.ids))
        for move in self:
            move.arrangement_id = holding.get(move._origin.id, False)

    def _dunning_portal_statuses(self):
        statuses = super()._dunning_portal_statuses()
        open_ids = {move_id for move_id, status in statuses.items() if status in ("due", "overdue")}
        if open_ids:
            # sudo: a portal debtor cannot read arrangements yet; only whether his invoice is in one is used.
            arranged = self.env["debtor.dunning.arrangement"].sudo()._holding_moves(open_ids)
            statuses.update(dict.fromkeys(arranged, "in_arrangement"))
        return statuses

    def _dunning_dossier_events(self):
        """The arrangements agreed on these invoices, and how each ended (a claim's dossier shows them)."""
        events = super()._dunning_dossier_events()
        arrangements = self.env["debtor.dunning.arrangement"].search(
            [("move_ids", "in", self.ids), ("date_confirmed", "!=", False)], order="date_confirmed, id"
        )
        for arrangement in arrangements:
            count = len(arrangement.instalment_ids)
            agreed = self.env._(
                "Payment arrangement %(name)s agreed: %(amount)s in %(count)s instalments.",
                name=arrangement.name,
                amount=arrangement.currency_id.format(arrangement.amount_total),
                count=count,
            )
            ended = {
                "broken": self.env._("Payment arrangement %s broken.", arrangement.name),
                "cancelled": self.env._("Payment arrangement %s cancelled.", arrangement.name),
                "completed": self.env._("Payment arrangement %s completed.", arrangement.name),
            }.get(arrangement.state)
            for move in arrangement.move_ids & self:
                events.append(
                    {
                        "move_id": move.id,
                        "date": arrangement.date_confirmed,
                        "kind": "arrangement_agreed",
                        "description": agreed,
                    }
                )
                if ended and arrangement.date_end:
                    reason = arrangement.break_reason or ""
                    events.append(
                        {
                            "move_id": move.id,
                            "date": arrangement.date_end,
                            "kind": f"arrangement_{arrangement.state}",
                            "description": f"{ended} {reason}".strip(),
                        }
                    )
        return events

    def action_open_arrangement_wizard(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "debtor_dunning_arrangement.debtor_dunning_arrangement_wizard_action"
        )
        action["context"] = {"active_model": "account.move", "active_ids": self.ids}
        return action
