# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.convert import convert_file

_logger = logging.getLogger(__name__)

STALE_CALL = "_payment_links("


def migrate(cr, version):
    """Reload the shipped reminder e-mail, in every language, where it still calls `_payment_links()`.

    19.0.1.2.0 gives every letter one address to pay online (`_dunning_pay_online_url`) and drops
    the list of each invoice's own link, which the e-mail template (loaded once, noupdate) called:
    left as it was, no reminder could be e-mailed in that language. The body is translated as a
    whole, one value per language: reloading the English one leaves the others as they were, so
    each stale translation is dropped, and the module's translations, loaded right after this
    script, fill it in anew (a language without one shows the English text). A language whose
    text the company rewrote so that it no longer calls it is left alone.
    """
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("debtor_dunning.mail_template_debtor_dunning_communication", raise_if_not_found=False)
    if not template:
        return
    env.flush_all()
    [bodies] = env.execute_query(SQL("SELECT body_html FROM mail_template WHERE id = %s", template.id))[0]
    stale_langs = sorted(lang for lang, body in (bodies or {}).items() if STALE_CALL in (body or ""))
    if not stale_langs:
        return
    if "en_US" in stale_langs:
        # Loaded as on installation: an update skips records of a noupdate block that already exist.
        convert_file(env, "debtor_dunning", "data/mail_template_data.xml", {}, mode="init", noupdate=True)
        env.flush_all()
    translations = [lang for lang in stale_langs if lang != "en_US"]
    if translations:
        env.execute_query(
            SQL(
                "UPDATE mail_template SET body_html = body_html - %s::text[] WHERE id = %s",
                translations,
                template.id,
            )
        )
        template.invalidate_recordset(["body_html"])
    _logger.info(
        "debtor_dunning %s: the reminder e-mail template is reloaded (one pay-online link) in %s",
        version,
        ", ".join(stale_langs),
    )
