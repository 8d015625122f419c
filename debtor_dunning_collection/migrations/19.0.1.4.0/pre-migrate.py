# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api

# Views of the debtor screen that 19.0.1.6.0 of debtor_dunning folds into the Credit Control tab,
# which the Debtor form is now made of.
OBSOLETE_VIEWS = ("res_partner_view_form_debtor",)


def migrate(cr, version):
    """Delete the obsolete views before the new ones load: they point at places of the tab (or of
    the old Debtor form) that are gone, so checking the new views with them applied would fail."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    data = env["ir.model.data"].search(
        [("module", "=", "debtor_dunning_collection"), ("model", "=", "ir.ui.view"), ("name", "in", OBSOLETE_VIEWS)]
    )
    env["ir.ui.view"].browse(data.mapped("res_id")).exists().unlink()
    data.unlink()
