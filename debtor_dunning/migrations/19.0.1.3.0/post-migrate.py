# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    """Delete the scheduled action that lifted expired blocks on the real today.

    The daily run lifts them for its own company and date (its step `blocks_expired`), so that the
    run is the one clock of credit control and `execute(date=D)` simulates day D. The action was
    shipped in a noupdate block, which an update never deletes by itself; its server action goes
    with it.
    """
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("debtor_dunning.ir_cron_debtor_dunning_expire_blocks", raise_if_not_found=False)
    if not cron:
        return
    action = cron.ir_actions_server_id
    cron.unlink()
    action.unlink()
    _logger.info("debtor_dunning %s: the scheduled action lifting expired blocks is deleted (the run does it)", version)
