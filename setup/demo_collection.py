# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo of debtor_dunning_collection: an agency with a handed-over case, and a written-off invoice.

Called from `demo_data.simulate_history`: `set_up_collection` before the weeks of dunning (the
hand-overs they approve open cases), `show_collection` after them, on the demo's today.
"""

from datetime import date

from odoo.fields import Command

# The half-years after the shipped rate table, as the demo needs them to compute interest up to
# today. Demo values: enter the published rates from the Staatscourant before relying on them.
DEMO_RATES = {
    "commercial": 10.15,
    "non_commercial": 6.0,
}


def set_up_collection(env):
    """Before the weeks of dunning: Incassobureau Noord is the company's agency, so that every
    hand-over the history approves opens a case and its letter names the agency."""
    company = env.company
    _enter_missing_rates(env)
    agency = env["debtor.dunning.collection.agency"].create(
        {
            "name": "Incassobureau Noord",
            "partner_id": env["res.partner"]
            .create(
                {
                    "name": "Incassobureau Noord B.V.",
                    "is_company": True,
                    "street": "Vismarkt 12",
                    "zip": "9712 CB",
                    "city": "Groningen",
                    "country_id": env.ref("base.nl").id,
                    "phone": "+31 50 555 0199",
                    "email": "info@incassonoord.example.nl",
                }
            )
            .id,
            "kind": "agency",
            "handoff_email": "dossiers@incassonoord.example.nl",
            "wki_registration": "WKI-2025-001234",
        }
    )
    expense = env["account.account"].search(
        [("account_type", "=", "expense"), ("company_ids", "in", company.id)], limit=1
    )
    income = env["account.account"].search(
        [("account_type", "=", "income_other"), ("company_ids", "in", company.id)], limit=1
    ) or env["account.account"].search([("account_type", "=", "income"), ("company_ids", "in", company.id)], limit=1)
    company.write(
        {
            "dunning_collection_agency_id": agency.id,
            "dunning_write_off_account_id": expense.id,
            "dunning_collection_fee_account_id": expense.id,
            "dunning_collection_income_account_id": income.id,
        }
    )


def show_collection(env, bankrupt_debtor):
    """On the demo's today: a debtor who ignored the notice of default is handed over by hand (a
    reason given); the bankrupt debtor's oldest invoice is written off with VAT relief."""
    _hand_over_a_claim(env, bankrupt_debtor)
    _write_off_the_bankrupt_debtors_invoice(env, bankrupt_debtor)


def _enter_missing_rates(env):
    Rate = env["debtor.dunning.interest.rate"]
    today = date.today()
    start = date(2025, 7, 1)
    while start <= today:
        for kind, rate in DEMO_RATES.items():
            if not Rate.search_count([("kind", "=", kind), ("date_start", "=", start)]):
                Rate.create(
                    {"kind": kind, "date_start": start, "rate": rate, "note": "Demo value: check the Staatscourant"}
                )
        start = date(start.year + (start.month == 7), 1 if start.month == 7 else 7, 1)


def _hand_over_a_claim(env, bankrupt_debtor):
    """The business debtor with the most overdue that the run already brought to the hand-over
    level (or else to the notice of default) is handed to the agency."""
    moves = env["account.move"].search(
        [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("partner_id.is_company", "=", True),
            ("partner_id.name", "!=", bankrupt_debtor),
            ("dunning_level_id.sequence", ">=", 5),
            ("dunning_case_id", "=", False),
        ],
        order="invoice_date_due",
    )
    if not moves:
        return
    debtor = moves[:1].commercial_partner_id
    env["debtor.dunning.collection.handover"].create(
        {
            "move_ids": [Command.set(moves.filtered(lambda m: m.commercial_partner_id == debtor).ids)],
            "reason": "Geen reactie op de ingebrekestelling en twee telefoongesprekken.",
        }
    ).action_confirm()


def _write_off_the_bankrupt_debtors_invoice(env, bankrupt_debtor):
    invoice = env["account.move"].search(
        [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("partner_id.name", "=", bankrupt_debtor),
        ],
        order="invoice_date_due",
        limit=1,
    )
    if invoice:
        env["debtor.dunning.write.off"].with_context(default_move_ids=invoice.ids).create(
            {"reason": "bankruptcy", "vat_relief": True, "note": "Faillissement: geen uitkering te verwachten."}
        ).action_confirm()
