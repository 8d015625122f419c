# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import SQL

from .debtor_dunning_arrangement import REASON_ARRANGEMENT


class DebtorDunningRun(models.Model):
    """The run as the arrangements' clock, and the invoices it leaves to them."""

    _inherit = "debtor.dunning.run"

    def _dunning_daily_steps(self):
        counts = super()._dunning_daily_steps()
        return counts | self.env["debtor.dunning.arrangement"]._dunning_daily_step(self.company_id, self.date)

    def _dunning_step_labels(self):
        return super()._dunning_step_labels() | {
            "instalment_reminders": self.env._("Instalment reminders queued"),
            "instalments_late": self.env._("Instalments late"),
            "arrangements_broken": self.env._("Payment arrangements broken"),
            "arrangements_completed": self.env._("Payment arrangements completed"),
            "direct_debits_charged": self.env._("Instalments charged by direct debit"),
        }

    def _dunning_excluded_moves(self, move_ids):
        """The invoices of the company's active arrangements: one query for the batch."""
        excluded = super()._dunning_excluded_moves(move_ids)
        if not move_ids:
            return excluded
        self.env["debtor.dunning.arrangement"].flush_model(["state", "company_id", "move_ids"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT rel.move_id
                  FROM debtor_dunning_arrangement_move_rel rel
                  JOIN debtor_dunning_arrangement a ON a.id = rel.arrangement_id
                 WHERE rel.move_id IN %(moves)s AND a.state = 'active' AND a.company_id = %(company)s
                """,
                moves=tuple(move_ids),
                company=self.company_id.id,
            )
        )
        for (move_id,) in rows:
            excluded.setdefault(move_id, REASON_ARRANGEMENT)
        return excluded

    def _dunning_reason_labels(self):
        return super()._dunning_reason_labels() | {REASON_ARRANGEMENT: self.env._("In a payment arrangement")}

    def _dunning_resume_dates(self, move_ids):
        """The day the last arrangement of each invoice lapsed (broken or cancelled while active)."""
        resume = super()._dunning_resume_dates(move_ids)
        if not move_ids:
            return resume
        self.env["debtor.dunning.arrangement"].flush_model(["state", "date_end", "move_ids"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT rel.move_id, MAX(a.date_end)
                  FROM debtor_dunning_arrangement_move_rel rel
                  JOIN debtor_dunning_arrangement a ON a.id = rel.arrangement_id
                 WHERE rel.move_id IN %(moves)s AND a.state IN ('broken', 'cancelled') AND a.date_end IS NOT NULL
                 GROUP BY rel.move_id
                """,
                moves=tuple(move_ids),
            )
        )
        for move_id, date_end in rows:
            resume[move_id] = max(resume[move_id], date_end) if resume.get(move_id) else date_end
        return resume
