# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class DebtorDunningPolicy(models.Model):
    _inherit = "debtor.dunning.policy"

    collection_agency_id = fields.Many2one(
        "debtor.dunning.collection.agency",
        string="Collection Agency",
        domain="[('company_id', '=', company_id)]",
        help="Who receives this policy's claims when handed over; empty: the company's default agency.",
    )
    collection_staffel_agreed = fields.Boolean(
        string="Staffel Agreed with Businesses",
        help="The terms agreed with business debtors the statutory staffel: they owe it, at least EUR 40 per "
        "late invoice. Without it a business owes EUR 40 per late invoice.",
    )
    collection_recurring_small_claims = fields.Boolean(
        string="Recurring Small Claims",
        help="Subscription-type invoices: claims below EUR 266.67 bear at most EUR 140 of collection costs "
        "per debtor per six months.",
    )
    collection_consumer_purchase = fields.Boolean(
        string="Consumer Purchases (2-year limitation)",
        help="The claims on consumers are the price of a consumer purchase: they are time-barred two years "
        "after the due date (art. 7:28 BW) instead of five.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "collection_consumer_purchase" in vals:
            moves = self.env["account.move"].search(
                [("company_id", "in", self.company_id.ids), ("move_type", "in", ("out_invoice", "out_receipt"))]
            )
            self.env.add_to_compute(moves._fields["dunning_limitation_date"], moves)
        return result
