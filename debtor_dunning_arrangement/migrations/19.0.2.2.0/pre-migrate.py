# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.debtor_dunning.upgrade import delete_views

# Views of the debtor screen that 19.0.1.6.0 of debtor_dunning folds into the Credit Control tab,
# which the Debtor form is now made of: they point at places that are gone.
OBSOLETE_VIEWS = ("res_partner_view_form_mandates", "res_partner_view_form_debtor")


def migrate(cr, version):
    delete_views(cr, "debtor_dunning_arrangement", OBSOLETE_VIEWS)
