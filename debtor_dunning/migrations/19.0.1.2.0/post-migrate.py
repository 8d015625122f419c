# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import SUPERUSER_ID, api
from odoo.tools.convert import convert_file

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    """Reload the shipped reminder e-mail when it still calls `_payment_links()`.

    19.0.1.2.0 gives every letter one address to pay online (`_dunning_pay_online_url`) and drops
    the list of each invoice's own link, which the e-mail template (loaded once, noupdate) called:
    left as it was, no reminder could be e-mailed. A template the company changed so that it no
    longer calls it is left alone.
    """
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("debtor_dunning.mail_template_debtor_dunning_communication", raise_if_not_found=False)
    if not template or "_payment_links(" not in (template.body_html or ""):
        return
    # Loaded as on installation: an update skips records of a noupdate block that already exist.
    convert_file(env, "debtor_dunning", "data/mail_template_data.xml", {}, mode="init", noupdate=True)
    _logger.info("debtor_dunning %s: the reminder e-mail template is reloaded (one pay-online link)", version)
