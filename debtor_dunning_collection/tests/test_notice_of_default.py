# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo.addons.debtor_dunning.tests.common import TODAY, DunningCommon
from odoo.tests import tagged

# The level's own closing text (editable by the company) may name the term too; the legal box
# states both the amount and the term whatever that text says.
COSTS_SENTENCE = "you will also owe extrajudicial collection costs of"
TERM_SENTENCE = "If you have not paid the full amount within 14 days after the day on which you received this letter"


@tagged("post_install", "-at_install")
class TestNoticeOfDefault(DunningCommon):
    """The notice of default to a consumer states the collection costs (art. 6:96 lid 6 BW)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.euro = cls.env.ref("base.EUR")
        cls.euro.active = True
        cls.consumer = cls.env["res.partner"].create(
            {"name": "Marieke de Boer", "email": "marieke@example.nl", "lang": "en_US"}
        )

    def _notice_of_default(self, partner, amount, currency):
        invoice = self._invoice(TODAY - timedelta(days=200), amount=amount, partner=partner, currency=currency)
        day = TODAY
        while invoice.dunning_level_id.sequence != 5:
            self._run(day)
            day += timedelta(days=1)
        return invoice.dunning_line_ids.communication_id.filtered(lambda c: c.level_id.sequence == 5)

    def _letter_text(self, communication):
        html = self.env["ir.actions.report"]._render_qweb_html(
            "debtor_dunning.action_report_debtor_dunning_letter", communication.ids
        )[0]
        return " ".join(html.decode().split())

    def test_a_consumer_reads_the_amount_of_the_collection_costs_and_the_term(self):
        notice = self._notice_of_default(self.consumer, 2500.0, self.euro)
        self.assertEqual(notice.statutory_costs_amount, 375.0, "WIK staffel: 15% of the first 2,500")
        text = self._letter_text(notice)
        self.assertIn(TERM_SENTENCE, text)
        self.assertRegex(text, COSTS_SENTENCE + r" <span>(<span[^>]*>|€|&nbsp;|\s)*375\.00")

    def test_a_business_and_earlier_letters_state_no_amount(self):
        business = self._notice_of_default(self.debtor, 2500.0, self.euro)
        self.assertEqual(business.statutory_costs_amount, 0.0)
        self.assertNotIn(COSTS_SENTENCE, self._letter_text(business))
        earlier = self.Communication.search([("partner_id", "=", self.debtor.id), ("level_id.sequence", "=", 4)])
        self.assertEqual(earlier.statutory_costs_amount, 0.0)

    def test_no_amount_in_a_currency_other_than_the_euro(self):
        notice = self._notice_of_default(self.consumer, 2500.0, self.other_currency)
        self.assertEqual(notice.statutory_costs_amount, 0.0, "the staffel is in euros")
        self.assertNotIn(COSTS_SENTENCE, self._letter_text(notice))
