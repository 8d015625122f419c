# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class DebtorDunningBlockTemplate(models.Model):
    _name = "debtor.dunning.block.template"
    _description = "Dunning Block Template"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to share the template between companies.")
    applies_to = fields.Selection(
        [("partner", "Debtor"), ("move", "Invoice")],
        required=True,
        default="partner",
        help="Whether the block usually covers a whole debtor or a single invoice.",
    )
    blocked_processes = fields.Selection(
        [
            ("reminders", "Reminders only"),
            ("all", "Everything: reminders, collection hand-off and direct debit"),
        ],
        required=True,
        default="reminders",
    )
    duration_days = fields.Integer(
        string="Default Duration (Days)",
        default=0,
        help="0 keeps the block until someone lifts it.",
    )
    default_reason = fields.Char(translate=True)

    _check_duration = models.Constraint("CHECK(duration_days >= 0)", "A block cannot last a negative number of days.")
