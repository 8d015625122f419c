# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.convert import convert_file

_logger = logging.getLogger(__name__)

# The greeting of 19.0.1.4.0: a company is greeted "Dear Sir or Madam," ("Geachte heer, mevrouw,").
NEW_GREETING = "recipient.is_company or not recipient.name"


def migrate(cr, version):
    """Reload the shipped reminder e-mail where it still greets a company by its name.

    The template is loaded once (noupdate), so an update alone keeps the old greeting. As in
    19.0.1.2.0: the English body is reloaded as on installation, and each other language still
    without the new greeting is dropped, so that the module's translations, loaded after this
    script, fill it in anew. A text the company rewrote keeps its own greeting only if it already
    has the new condition; otherwise it is replaced, like the shipped one.
    """
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("debtor_dunning.mail_template_debtor_dunning_communication", raise_if_not_found=False)
    if not template:
        return
    env.flush_all()
    [bodies] = env.execute_query(SQL("SELECT body_html FROM mail_template WHERE id = %s", template.id))[0]
    stale_langs = sorted(lang for lang, body in (bodies or {}).items() if NEW_GREETING not in (body or ""))
    if not stale_langs:
        return
    if "en_US" in stale_langs:
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
    _logger.info("debtor_dunning %s: the reminder e-mail greets companies as Sir or Madam in %s", version, stale_langs)
