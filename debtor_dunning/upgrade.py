# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Helpers for the migration scripts of debtor_dunning and the add-ons built on it."""

from odoo import SUPERUSER_ID, api


def delete_views(cr, module, names):
    """Delete `module`'s views `names` (xml ids without the module) and their xml ids.

    Run before an update loads the views that replace them: a view left pointing at a place that
    is gone would fail the check of the new views.
    """
    env = api.Environment(cr, SUPERUSER_ID, {})
    data = env["ir.model.data"].search([("module", "=", module), ("model", "=", "ir.ui.view"), ("name", "in", names)])
    env["ir.ui.view"].browse(data.mapped("res_id")).exists().unlink()
    data.unlink()
