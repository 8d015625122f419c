# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_question_pauses = fields.Boolean(related="company_id.dunning_question_pauses", readonly=False)
    dunning_delivery_days_email = fields.Integer(related="company_id.dunning_delivery_days_email", readonly=False)
    dunning_delivery_days_post = fields.Integer(related="company_id.dunning_delivery_days_post", readonly=False)
