# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .risk import RISK_CLASSES


class DebtorDunningRisk(models.Model):
    """A debtor's risk profile in one company, as the daily run last computed it.

    A row per debtor and company rather than company-dependent fields on the partner: the run
    rewrites thousands of profiles in one upsert (`res.partner._dunning_recompute_risk`) without
    touching the wide `res_partner` rows or their JSON columns, "changed since the last computation"
    is a join on this table, and the facts behind the score are kept beside it for the explanation.
    Only the run writes here (in SQL); users read it through the partner's fields.
    """

    _name = "debtor.dunning.risk"
    _description = "Debtor Risk Profile"
    _order = "score desc, id"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Debtor", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    score = fields.Integer(readonly=True)
    risk_class = fields.Selection(
        [(RISK_CLASSES[0], "Low"), (RISK_CLASSES[1], "Medium"), (RISK_CLASSES[2], "High")],
        required=True,
        readonly=True,
    )
    date = fields.Date(string="Computed For", readonly=True, help="The run date the profile was computed for.")
    facts = fields.Json(readonly=True, help="The figures behind the score (risk.RiskFacts).")
    # A fingerprint of the debtor's receivable journal items when computed (their count, open total
    # and last change): the run recomputes a profile when it differs. Not a timestamp, so that a
    # payment booked in the same transaction as the computation still counts as a change.
    ledger_key = fields.Char(readonly=True)

    _partner_company_unique = models.UniqueIndex("(partner_id, company_id)")
