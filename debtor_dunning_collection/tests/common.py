# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.addons.debtor_dunning.tests.common import TODAY, DunningCommon


class CollectionCommon(DunningCommon):
    """A company with a registered collection agency, accounts for remittances and write-offs, and
    statutory interest rates for the test period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.euro = cls.env.ref("base.EUR")
        cls.euro.active = True
        Rate = cls.env["debtor.dunning.interest.rate"]
        # Test values for the half-years after the shipped table (not the published rates).
        for start in (date(2025, 7, 1), date(2026, 1, 1), date(2026, 7, 1)):
            Rate.create({"kind": "commercial", "date_start": start, "rate": 10.0})
            Rate.create({"kind": "non_commercial", "date_start": start, "rate": 6.0})
        cls.agency = cls.env["debtor.dunning.collection.agency"].create(
            {
                "name": "Incasso Noord",
                "partner_id": cls.env["res.partner"]
                .create(
                    {
                        "name": "Incasso Noord B.V.",
                        "is_company": True,
                        "street": "Vismarkt 12",
                        "zip": "9712 CB",
                        "city": "Groningen",
                        "phone": "+31 50 123 4567",
                        "email": "info@incassonoord.example.nl",
                    }
                )
                .id,
                "kind": "agency",
                "handoff_email": "dossiers@incassonoord.example.nl",
                "wki_registration": "WKI-12345",
            }
        )
        cls.company.write(
            {
                "dunning_collection_agency_id": cls.agency.id,
                "dunning_write_off_account_id": cls.company_data["default_account_expense"]
                .copy({"code": "480100", "name": "Bad Debts"})
                .id,
                "dunning_collection_income_account_id": cls.company_data["default_account_revenue"]
                .copy({"code": "840100", "name": "Collection Costs and Interest Received"})
                .id,
                "dunning_collection_fee_account_id": cls.company_data["default_account_expense"]
                .copy({"code": "440100", "name": "Collection Agency Fees"})
                .id,
                "dunning_collection_journal_id": cls.company_data["default_journal_misc"].id,
            }
        )
        cls.consumer = cls.env["res.partner"].create(
            {
                "name": "Marieke de Boer",
                "email": "marieke@example.nl",
                "lang": "en_US",
                "street": "Lange Nieuwstraat 3",
                "zip": "3512 PA",
                "city": "Utrecht",
            }
        )
        cls.Case = cls.env["debtor.dunning.collection.case"]

    def _send_queued(self):
        self.Communication.search([("state", "=", "queued")]).action_send_now()

    def _climb_to(self, invoice, sequence, approve_last=False):
        """Run, approve and send until `invoice` has a letter of level `sequence` (the last one left
        awaiting approval unless `approve_last`); returns that letter."""
        day = TODAY
        for _step in range(12):
            with freeze_time(day):
                self._run(day)
                letter = invoice.dunning_line_ids.communication_id.filtered(lambda c: c.level_sequence == sequence)
                if letter:
                    if approve_last and letter.state == "to_approve":
                        letter.action_approve()
                    self._send_queued()
                    return letter
                invoice.dunning_line_ids.communication_id.filtered(lambda c: c.state == "to_approve").action_approve()
                self._send_queued()
                day = max(invoice.dunning_next_date or day, day + timedelta(days=1))
        raise AssertionError(f"{invoice.name} did not reach level {sequence}")
