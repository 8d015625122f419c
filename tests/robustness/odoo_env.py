# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Open an Odoo environment on a database from a plain script, as `setup/demo_data.py` does."""

from contextlib import contextmanager


@contextmanager
def odoo_env(config_path, database):
    """Yield (registry, env) with a superuser environment on a fresh cursor; the caller commits."""
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["-c", config_path])
    registry = Registry(database)
    with registry.cursor() as cr:
        yield registry, api.Environment(cr, SUPERUSER_ID, {})


def say(*words):
    """One line on stdout, flushed at once: the test reads it while the process runs."""
    print(*words, flush=True)
