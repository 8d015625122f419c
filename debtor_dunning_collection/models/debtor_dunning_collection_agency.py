# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

AGENCY_KINDS = [
    ("agency", "Collection Agency"),
    ("bailiff", "Bailiff"),
    ("lawyer", "Lawyer"),
]


class DebtorDunningCollectionAgency(models.Model):
    """Who collects a claim once we hand it over: a collection agency, a bailiff or a lawyer."""

    _name = "debtor.dunning.collection.agency"
    _description = "Collection Agency"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        required=True,
        check_company=True,
        help="Its address, phone and e-mail: the letter to the debtor names them.",
    )
    kind = fields.Selection(AGENCY_KINDS, required=True, default="agency")
    handoff_email = fields.Char(
        string="Hand-off E-mail",
        required=True,
        help="Where the dossier of a claim handed over is sent.",
    )
    wki_registration = fields.Char(
        string="Justis Registration (Wki)",
        help="Its registration number with Justis. An agency without one cannot receive claims on consumers.",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    case_ids = fields.One2many("debtor.dunning.collection.case", "agency_id", string="Cases")

    def _may_collect_from_consumers(self):
        self.ensure_one()
        return bool(self.wki_registration)
