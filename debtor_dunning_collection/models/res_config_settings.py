# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_collection_agency_id = fields.Many2one(related="company_id.dunning_collection_agency_id", readonly=False)
    dunning_write_off_account_id = fields.Many2one(related="company_id.dunning_write_off_account_id", readonly=False)
    dunning_collection_income_account_id = fields.Many2one(
        related="company_id.dunning_collection_income_account_id", readonly=False
    )
    dunning_collection_fee_account_id = fields.Many2one(
        related="company_id.dunning_collection_fee_account_id", readonly=False
    )
    dunning_collection_journal_id = fields.Many2one(related="company_id.dunning_collection_journal_id", readonly=False)
    dunning_vat_deductible = fields.Boolean(related="company_id.dunning_vat_deductible", readonly=False)
    dunning_interest_rate_warning = fields.Char(compute="_compute_dunning_interest_rate_warning")

    @api.depends("company_id")
    def _compute_dunning_interest_rate_warning(self):
        missing = self.env["debtor.dunning.interest.rate"]._missing_current_rate_kinds()
        warning = (
            self.env._(
                "No statutory interest rate is entered for the current half-year (%s): interest over it "
                "cannot be computed until you enter it.",
                ", ".join(missing),
            )
            if missing
            else False
        )
        for settings in self:
            settings.dunning_interest_rate_warning = warning
