# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    """Drop the columns that 19.0.1.1.0 no longer writes.

    The invoice's dunning level, last letter date and state are read from the dossier now, not
    stored on account_move; a dossier line takes its company and currency from its letter and keeps
    no log columns. Left in place, the old columns would only hold stale values, and the lines'
    foreign keys would still be checked on every insert of a run.
    """
    cr.execute(
        """
        ALTER TABLE account_move
            DROP COLUMN IF EXISTS dunning_level_id,
            DROP COLUMN IF EXISTS dunning_last_date,
            DROP COLUMN IF EXISTS dunning_state
        """
    )
    cr.execute(
        """
        ALTER TABLE debtor_dunning_communication_line
            DROP COLUMN IF EXISTS company_id,
            DROP COLUMN IF EXISTS currency_id,
            DROP COLUMN IF EXISTS create_uid,
            DROP COLUMN IF EXISTS create_date,
            DROP COLUMN IF EXISTS write_uid,
            DROP COLUMN IF EXISTS write_date
        """
    )
    _logger.info("debtor_dunning %s: dropped the stored dunning status of invoices and the lines' own columns", version)
