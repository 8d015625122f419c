# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.addons.debtor_dunning.models.matching import (
    COMBINATION_POOL,
    NAME_PREFIX_LENGTH,
    WEIGHTS,
    Credit,
    OpenInvoice,
    letter_reference,
    letter_references_in,
    name_prefixes_in,
    rank_suggestions,
)
from odoo.tests import BaseCase, tagged

JANSEN, PIETERS = 7, 8


def _invoice(invoice_id, residual, partner_id=JANSEN, number=None, due=None, **values):
    return OpenInvoice(
        invoice_id=invoice_id,
        number=number or f"INV/2026/{invoice_id:05d}",
        partner_id=partner_id,
        residual=residual,
        date_due=due or date(2026, 1, invoice_id % 28 + 1),
        **values,
    )


@tagged("post_install", "-at_install")
class TestMatchingRules(BaseCase):
    def test_letter_reference_is_the_printed_one(self):
        self.assertEqual(letter_reference(42), "DUN0000042")
        self.assertEqual(letter_references_in("betaling dun0000042 en DUN0000043"), {"DUN0000042", "DUN0000043"})

    def test_every_name_in_a_text_starts_with_one_of_its_prefixes(self):
        text = "SEPA OVERBOEKING WONINGSTICHTING DE LANGE AKKERS AMSTERDAM FACTUUR 12"
        prefixes = name_prefixes_in(text)
        for name in ("WONINGSTICHTING DE LANGE AKKERS AMSTERDAM", "LANGE AKKERS", "AKKE", "12"):
            found = name in text and len(name) >= 4
            self.assertEqual(name[:NAME_PREFIX_LENGTH] in prefixes, found, name)
        self.assertNotIn("SEPA OVERBOEKING WONINGSTICHTING", prefixes)  # longer than a prefix
        self.assertEqual(name_prefixes_in("ABC"), set())

    def test_invoice_number_in_the_label_beats_an_equal_amount(self):
        invoices = [_invoice(1, 100.0), _invoice(2, 250.0)]
        credit = Credit(amount=100.0, label="Payment INV/2026/00002 partly", partner_id=JANSEN)
        ranked = rank_suggestions(credit, invoices)
        self.assertEqual(ranked[0].invoice_ids, (2,))
        self.assertEqual(ranked[0].reasons, ("invoice_number", "partner"))
        self.assertEqual(ranked[0].difference, 150.0)
        self.assertEqual(ranked[1].invoice_ids, (1,))
        self.assertEqual(ranked[1].reasons, ("exact_amount", "partner"))
        self.assertEqual(ranked[1].score, WEIGHTS["exact_amount"] + WEIGHTS["partner"])

    def test_number_must_be_a_whole_word(self):
        # INV/2026/00001 is not quoted by a label that quotes INV/2026/000011.
        invoices = [_invoice(1, 100.0)]
        credit = Credit(amount=55.0, label="INV/2026/000011")
        self.assertEqual(rank_suggestions(credit, invoices), [])

    def test_letter_reference_in_the_payment_reference(self):
        invoices = [_invoice(1, 80.0, letter_references=("DUN0000005",)), _invoice(2, 80.0)]
        credit = Credit(amount=80.0, reference="dun0000005", partner_id=JANSEN)
        best = rank_suggestions(credit, invoices)[0]
        self.assertEqual(best.invoice_ids, (1,))
        self.assertIn("letter_reference", best.reasons)

    def test_amount_within_tolerance_scores_below_exact(self):
        invoices = [_invoice(1, 100.50), _invoice(2, 100.0, partner_id=JANSEN)]
        credit = Credit(amount=100.0, partner_id=JANSEN)
        ranked = rank_suggestions(credit, invoices, tolerance=1.0)
        self.assertEqual([s.invoice_ids for s in ranked[:2]], [(2,), (1,)])
        self.assertEqual(ranked[1].reasons, ("within_tolerance", "partner"))
        self.assertEqual(ranked[1].difference, 0.5)
        self.assertEqual(rank_suggestions(credit, invoices[:1], tolerance=0.25)[0].reasons, ("partner",))

    def test_amount_alone_does_not_suggest_another_debtors_invoice(self):
        invoices = [_invoice(1, 100.0, partner_id=PIETERS)]
        self.assertEqual(rank_suggestions(Credit(amount=100.0, partner_id=JANSEN), invoices), [])

    def test_combination_of_two_invoices(self):
        invoices = [_invoice(1, 300.0), _invoice(2, 200.0), _invoice(3, 45.0)]
        ranked = rank_suggestions(Credit(amount=500.0, partner_id=JANSEN), invoices)
        self.assertEqual(ranked[0].invoice_ids, (1, 2))
        self.assertEqual(ranked[0].reasons, ("combination_amount", "partner"))
        self.assertEqual(ranked[0].difference, 0.0)

    def test_a_combination_is_settled_in_one_currency(self):
        chf = 41
        invoices = [_invoice(1, 300.0, settlement_currency_id=chf), _invoice(2, 200.0), _invoice(3, 200.0)]
        ranked = rank_suggestions(Credit(amount=500.0, partner_id=JANSEN), invoices, limit=100)
        self.assertFalse([s for s in ranked if len(s.invoice_ids) > 1], "a franc and a euro invoice are not combined")
        invoices.append(_invoice(4, 200.0, settlement_currency_id=chf))
        ranked = rank_suggestions(Credit(amount=500.0, partner_id=JANSEN), invoices)
        self.assertEqual(ranked[0].invoice_ids, (1, 4))

    def test_combination_of_three_within_tolerance_not_of_four(self):
        invoices = [_invoice(i, 100.0) for i in range(1, 5)]
        credit = Credit(amount=299.60, partner_id=JANSEN)
        ranked = rank_suggestions(credit, invoices, tolerance=0.5, limit=100)
        sizes = {len(s.invoice_ids) for s in ranked if "combination_within_tolerance" in s.reasons}
        self.assertEqual(sizes, {3})
        all_four = rank_suggestions(Credit(amount=400.0, partner_id=JANSEN), invoices, limit=100)
        self.assertFalse([s for s in all_four if len(s.invoice_ids) > 1])

    def test_combination_only_among_the_oldest_invoices(self):
        # The pool is the debtor's oldest invoices: a pair beyond it is not searched.
        invoices = [_invoice(i, 10.0, due=date(2026, 1, 1)) for i in range(1, COMBINATION_POOL + 1)]
        invoices += [_invoice(100, 1000.0, due=date(2026, 6, 1)), _invoice(101, 2000.0, due=date(2026, 6, 2))]
        ranked = rank_suggestions(Credit(amount=3000.0, partner_id=JANSEN), invoices, limit=100)
        self.assertFalse([s for s in ranked if len(s.invoice_ids) > 1])

    def test_without_partner_by_name_or_bank_account(self):
        invoices = [
            _invoice(1, 60.0, partner_name="Bakkerij Jansen", bank_accounts=("NL91 ABNA 0417 1643 00",)),
            _invoice(2, 60.0, partner_id=PIETERS, partner_name="Pieters"),
        ]
        by_name = rank_suggestions(Credit(amount=60.0, label="BAKKERIJ JANSEN UTRECHT"), invoices)
        self.assertEqual([s.invoice_ids for s in by_name], [(1,)])
        self.assertEqual(by_name[0].reasons, ("exact_amount", "partner_name"))
        by_account = rank_suggestions(Credit(amount=60.0, bank_account="nl91abna0417164300"), invoices)
        self.assertEqual(by_account[0].reasons, ("exact_amount", "bank_account"))

    def test_ties_go_to_the_smaller_difference_then_the_oldest(self):
        invoices = [_invoice(1, 100.0, due=date(2026, 3, 1)), _invoice(2, 100.0, due=date(2026, 2, 1))]
        ranked = rank_suggestions(Credit(amount=100.0, partner_id=JANSEN), invoices)
        self.assertEqual([s.invoice_ids for s in ranked], [(2,), (1,)])
