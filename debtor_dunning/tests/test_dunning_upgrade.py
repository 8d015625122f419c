# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import timedelta

from odoo.modules.module import load_script
from odoo.tests import tagged
from odoo.tools import SQL, file_path, mute_logger

from .common import TODAY, DunningCommon


@tagged("post_install", "-at_install")
class TestDunningUpgrade(DunningCommon):
    """What the upgrade scripts leave behind still works, in every language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.module = cls.env["ir.module.module"].search([("name", "=", "debtor_dunning")])
        cls.module._update_translations()
        cls.template = cls.env.ref("debtor_dunning.mail_template_debtor_dunning_communication")
        cls.dutch_debtor = cls.env["res.partner"].create(
            {"name": "Slagerij de Vries", "is_company": True, "email": "info@devries.example.nl", "lang": "nl_NL"}
        )

    def _upgrade_to_one_pay_online_address(self):
        """Run 19.0.1.2.0's post-migration script, then load the translations as an update does next."""
        script = load_script(
            file_path("debtor_dunning/migrations/19.0.1.2.0/post-migrate.py"), "debtor_dunning_test_post_migrate"
        )
        self.env.flush_all()
        script.migrate(self.env.cr, "19.0.1.1.0")
        self.module._update_translations()
        self.env.invalidate_all()

    def _bodies(self):
        self.env.flush_all()
        return self.env.execute_query(SQL("SELECT body_html FROM mail_template WHERE id = %s", self.template.id))[0][0]

    def _set_bodies(self, bodies):
        self.env.flush_all()
        self.env.execute_query(
            SQL("UPDATE mail_template SET body_html = %s::jsonb WHERE id = %s", json.dumps(bodies), self.template.id)
        )
        self.env.invalidate_all()

    def _as_before_the_upgrade(self, body):
        """The template as 19.0.1.1.0 shipped it calls the list of each invoice's own payment link."""
        return body.replace("object._dunning_pay_online_url()", "object._payment_links()")

    def _letters(self):
        """(English letter, Dutch letter) of today's run."""
        self._invoice(TODAY - timedelta(days=10))
        self._invoice(TODAY - timedelta(days=10), partner=self.dutch_debtor)
        letters = self._run(TODAY).communication_ids
        english = letters.filtered(lambda letter: letter.partner_id == self.debtor)
        return english, letters - english

    def test_after_the_upgrade_reminders_are_emailed_in_english_and_in_dutch(self):
        shipped = self._bodies()
        self.assertIn("Geachte", shipped["nl_NL"], "the module's Dutch text is loaded")
        self._set_bodies({lang: self._as_before_the_upgrade(body) for lang, body in shipped.items()})
        stale = [lang for lang, body in self._bodies().items() if "_payment_links()" in body]
        self.assertEqual(sorted(stale), ["en_US", "nl_NL"])
        english, dutch = self._letters()
        with mute_logger(
            "odoo.addons.debtor_dunning.models.debtor_dunning_communication",
            "odoo.addons.mail.models.mail_render_mixin",
        ):
            dutch._send()
        self.assertEqual(dutch.state, "queued", "the template that calls _payment_links cannot be rendered")
        self.assertIn("_payment_links", dutch.error_message)

        self._upgrade_to_one_pay_online_address()

        self.assertEqual(self._bodies(), shipped)
        (english | dutch)._send()
        self.assertEqual((english.state, dutch.state), ("sent", "sent"), english.error_message or dutch.error_message)
        self.assertIn("Dear", english.mail_message_id.body)
        self.assertIn("Geachte", dutch.mail_message_id.body)
        self.assertIn(dutch._dunning_pay_online_path().split("?")[0], dutch.mail_message_id.body)

    def test_the_upgrade_keeps_a_language_the_company_rewrote(self):
        shipped = self._bodies()
        rewritten = '<div><t t-out="object.partner_id.name"/>, please pay.</div>'
        self._set_bodies({"en_US": rewritten, "nl_NL": self._as_before_the_upgrade(shipped["nl_NL"])})

        self._upgrade_to_one_pay_online_address()

        bodies = self._bodies()
        self.assertEqual(bodies["en_US"], rewritten)
        self.assertEqual(bodies["nl_NL"], shipped["nl_NL"], "the stale Dutch text is replaced by the shipped one")
        _english, dutch = self._letters()
        dutch._send()
        self.assertEqual(dutch.state, "sent", dutch.error_message)
        self.assertIn("Geachte", dutch.mail_message_id.body)

    def test_the_upgrade_to_19_0_1_4_0_greets_a_company_as_sir_or_madam(self):
        shipped = self._bodies()
        condition = "recipient.is_company or not recipient.name"
        self.assertIn(condition, shipped["en_US"])
        self.assertIn("Geachte heer, mevrouw,", shipped["nl_NL"])
        self._set_bodies({lang: body.replace(condition, "False") for lang, body in shipped.items()})
        script = load_script(
            file_path("debtor_dunning/migrations/19.0.1.4.0/post-migrate.py"), "debtor_dunning_test_greeting"
        )
        self.env.flush_all()
        script.migrate(self.env.cr, "19.0.1.3.0")
        self.module._update_translations()
        self.env.invalidate_all()
        self.assertEqual(self._bodies(), shipped)
        _english, dutch = self._letters()
        dutch._send()
        self.assertEqual(dutch.state, "sent", dutch.error_message)
        self.assertIn("Geachte heer, mevrouw,", dutch.mail_message_id.body)
