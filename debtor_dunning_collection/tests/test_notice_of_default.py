# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

from freezegun import freeze_time

from odoo.addons.debtor_dunning.tests.common import TODAY
from odoo.tests import tagged

from .common import CollectionCommon

# The level's own closing text (editable by the company) may name the term too; the legal box
# states both the amount and the term whatever that text says.
COSTS_SENTENCE = "you will also owe extrajudicial collection costs of"
TERM_SENTENCE = "If you have not paid the full amount within 14 days after the day on which you received this letter"


def plain(html):
    """The letter's text without tags, its spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ").replace("\xa0", " ").split())


@tagged("post_install", "-at_install")
class TestNoticeOfDefault(CollectionCommon):
    """The notice of default and the hand-over letter say what Dutch law lets them say."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"].search(
            [("name", "in", ("debtor_dunning", "debtor_dunning_collection"))]
        )._update_translations()
        cls.dutch_consumer = cls.env["res.partner"].create(
            {
                "name": "Jan de Vries",
                "email": "jan@example.nl",
                "lang": "nl_NL",
                "street": "Oudegracht 1",
                "zip": "3511 AA",
                "city": "Utrecht",
            }
        )

    def _notice_of_default(self, partner, amount, currency):
        invoice = self._invoice(TODAY - timedelta(days=200), amount=amount, partner=partner, currency=currency)
        return self._climb_to(invoice, 5)

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
        words = plain(text)
        self.assertEqual(words.count("375.00"), 1, "the cost amount is stated once")
        self.assertIn("you are in default", words)
        self.assertNotIn("without any further notice", words, "default does not begin only after the term")

    def test_a_business_reads_forty_euros_per_late_invoice_and_commercial_interest(self):
        business = self._notice_of_default(self.debtor, 2500.0, self.euro)
        self.assertEqual(business.statutory_costs_amount, 40.0)
        words = plain(self._letter_text(business))
        self.assertNotIn(COSTS_SENTENCE, words)
        self.assertIn(
            "Since the day after the due date of each invoice you owe the statutory commercial interest", words
        )
        self.assertIn("40.00", words)
        earlier = self.Communication.search([("partner_id", "=", self.debtor.id), ("level_id.sequence", "=", 4)])
        self.assertEqual(earlier.statutory_costs_amount, 0.0)
        self.assertIn("you will then receive a notice of default", plain(self._letter_text(earlier)))
        self.assertNotIn("costs", plain(self._letter_text(earlier)).split("Last reminder", 1)[-1].split("Yours")[0])

    def test_no_amount_in_a_currency_other_than_the_euro(self):
        notice = self._notice_of_default(self.consumer, 2500.0, self.other_currency)
        self.assertEqual(notice.statutory_costs_amount, 0.0, "the staffel is in euros")
        self.assertNotIn(COSTS_SENTENCE, self._letter_text(notice))

    def test_the_dutch_14_day_letter(self):
        notice = self._notice_of_default(self.dutch_consumer, 2500.0, self.euro)
        words = plain(self._letter_text(notice))
        self.assertIn("Deze brief geldt als formele ingebrekestelling.", words)
        self.assertIn("u bent in verzuim", words)
        self.assertIn("binnen 14 dagen na de dag waarop u deze brief heeft ontvangen", words)
        self.assertIn("buitengerechtelijke incassokosten verschuldigd van", words)
        self.assertEqual(words.count("375,00"), 1, words)
        self.assertNotIn("zonder nadere ingebrekestelling in verzuim", words)

    def test_the_dutch_hand_over_letter_names_the_agency_and_offers_no_payment_of_ours(self):
        invoice = self._invoice(
            TODAY - timedelta(days=200), amount=2500.0, partner=self.dutch_consumer, currency=self.euro
        )
        letter = self._climb_to(invoice, 6)
        with freeze_time(letter.date):
            letter.action_approve()
        self.assertEqual(letter.state, "sent")
        html = self._letter_text(letter)
        words = plain(html)
        self.assertIn("Wij hebben deze vordering uit handen gegeven aan Incasso Noord.", words)
        self.assertNotIn("overgedragen", words)
        for detail in (
            "Incasso Noord B.V.",
            "Vismarkt 12",
            "Groningen",
            "+31 50 123 4567",
            "info@incassonoord.example.nl",
        ):
            self.assertIn(detail, words)
        self.assertNotIn("/debtor_dunning/pay/", html)
        self.assertNotIn('alt="QR code"', html)
        # The 14-day letter's term had run: the consumer owes the costs it stated, and the letter says so.
        self.assertEqual(invoice.dunning_case_id.costs_amount, 375.0)
        self.assertIn("incassokosten", words)
