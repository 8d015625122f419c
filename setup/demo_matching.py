# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo of payment matching: this morning's bank statement brought money that Odoo could not match.

Called from `demo_data.simulate_history` after the weeks of dunning, on the demo's today. Each line
is one a credit controller meets every week, and *Credit Control ▸ Dunning ▸ Unmatched Payments*
suggests the invoices for it (Suggestions on the line; Match Payments on the debtor).
"""


def leave_unmatched_payments(env, today):
    """Four incoming bank statement lines, not reconciled, each of another debtor found another way."""
    company = env.company
    # Small differences (bank costs) go to the Dutch chart's payment differences account.
    company.dunning_matching_writeoff_account_id = env["account.account"].search(
        [*env["account.account"]._check_company_domain(company), ("code", "=", "493000")], limit=1
    )
    bank = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
    chased = env["account.move"].search(
        [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("dunning_state", "=", "in_progress"),
        ],
        order="invoice_date_due, id",
    )
    by_debtor = chased.grouped("commercial_partner_id")
    pays_two = next(debtor for debtor, invoices in by_debtor.items() if len(invoices) >= 2)
    letter_line = env["debtor.dunning.communication.line"].search(
        [
            ("move_id", "in", chased.ids),
            ("move_id.commercial_partner_id", "!=", pays_two.id),
            ("is_preview", "=", False),
        ],
        order="id desc",
        limit=1,
    )
    quotes_letter = letter_line.move_id.commercial_partner_id
    by_number, by_name = [by_debtor[debtor][:1] for debtor in by_debtor if debtor not in (pays_two, quotes_letter)][:2]
    lines = [
        # No debtor on the line, but the invoice number in the description.
        {
            "payment_ref": f"{by_number.name} {by_number.commercial_partner_id.name.upper()}",
            "amount": by_number.amount_residual,
        },
        # The debtor pays two invoices in one amount.
        {
            "payment_ref": "Betaling openstaande facturen",
            "partner_id": pays_two.id,
            "amount": sum(by_debtor[pays_two][:2].mapped("amount_residual")),
        },
        # Our letter's reference quoted, 0.50 short (bank costs): within the policy's tolerance.
        {
            "payment_ref": f"Kenmerk {letter_line.communication_id._reference()}",
            "amount": letter_line.move_id.amount_residual - 0.50,
        },
        # Only the debtor's name, a part payment.
        {
            "payment_ref": f"{by_name.commercial_partner_id.name} deelbetaling",
            "amount": round(by_name.amount_residual / 2, 2),
        },
    ]
    # sudo: the statement comes in from the bank (its import or synchronisation), not from the credit
    # controller, who in Invoicing alone may read statement lines but not create them.
    env["account.bank.statement.line"].sudo().create([{"journal_id": bank.id, "date": today, **line} for line in lines])
    print(f"Demo matching: {len(lines)} bank statement lines of today left unmatched, each with suggestions.")
