# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_question_pauses = fields.Boolean(
        string="A Question Pauses Dunning",
        help="When a debtor asks a question about an invoice in the portal, the reminders for that invoice "
        "pause until the question is resolved. A dispute always pauses them.",
    )
