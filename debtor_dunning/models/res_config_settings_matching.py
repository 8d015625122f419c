# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_matching_writeoff_account_id = fields.Many2one(
        related="company_id.dunning_matching_writeoff_account_id", readonly=False
    )
    dunning_matching_writeoff_journal_id = fields.Many2one(
        related="company_id.dunning_matching_writeoff_journal_id", readonly=False
    )
