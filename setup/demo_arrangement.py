# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo of debtor_dunning_arrangement: one arrangement kept, one broken, in the simulated history.

Called by `demo_data.py` as one step of each weekly run date (`arrange`), before the run:

- 16 weeks ago two debtors agree to pay their overdue invoices in three monthly instalments;
- the first pays every instalment on its due date: his arrangement completes and his invoices
  were never chased meanwhile;
- the second pays the first instalment only: the run breaks his arrangement after the grace
  days, he receives the "arrangement lapsed" letter, and his invoices resume at the next level.

- today a third debtor's arrangement by SEPA direct debit is drafted (six monthly instalments,
  the pre-notification 14 days ahead): it waits in draft, because confirming it creates the
  debtor's Mollie customer and first iDEAL payment, which needs Odoo's Mollie provider with a
  (test) API key; the tests run the whole flow against a fake Mollie.
"""

from datetime import timedelta

from freezegun import freeze_time

ARRANGED_WEEKS_AGO = 16
TEMPLATE_XMLID = "debtor_dunning_arrangement.arrangement_template_3_monthly"


def arrange(history, on_date):
    """One weekly step: agree on the arrangements on their day, and pay the instalments kept."""
    if "debtor.dunning.arrangement" not in history.env:
        return
    if history.weeks_ago(on_date) == ARRANGED_WEEKS_AGO:
        history.demo_arrangements = _agree(history, on_date)
    if history.is_last_run(on_date):
        _draft_direct_debit(history, on_date)
    for arrangement, kept in getattr(history, "demo_arrangements", []):
        arrangement = arrangement.with_env(history.env)
        for instalment in arrangement.instalment_ids.sorted("sequence"):
            pays = kept or instalment.sequence == 1
            if pays and on_date - timedelta(days=7) < instalment.date_due <= on_date:
                _pay_instalment(history, arrangement, instalment.amount, instalment.date_due)


def _agree(history, on_date):
    """Two debtors with overdue invoices the history leaves alone; an arrangement each, confirmed on `on_date`."""
    env = history.env
    template = env.ref(TEMPLATE_XMLID, raise_if_not_found=False)
    if not template:
        return []
    candidates = _arrangeable_invoices(history, on_date, template.company_id)
    by_debtor = candidates.grouped("commercial_partner_id")
    debtors = sorted(by_debtor, key=lambda partner: (-len(by_debtor[partner]), partner.name))[:2]
    arrangements = []
    for debtor, kept in zip(debtors, (True, False), strict=False):
        invoices = by_debtor[debtor].sorted(lambda move: (move.dunning_date_due, move.id))[:3]
        with freeze_time(on_date), history.day(on_date, hour=10):
            wizard = (
                env["debtor.dunning.arrangement.wizard"]
                .with_context(active_model="account.move", active_ids=invoices.ids)
                .create({"template_id": template.id})
            )
            arrangement = env["debtor.dunning.arrangement"].browse(wizard.action_create_arrangement()["res_id"])
            arrangement.action_confirm()
        arrangements.append((arrangement, kept))
    return arrangements


def _arrangeable_invoices(history, on_date, company):
    """Overdue invoices of debtors with an e-mail that the history's plan, blocks and arrangements leave alone."""
    env = history.env
    planned = {event[2] for event in history.plan}
    blocked = env["debtor.dunning.block"].search([("state", "=", "active")])
    arranged = env["debtor.dunning.arrangement"].search([("state", "in", ("draft", "proposed", "active"))])
    return history.open_invoices().filtered(
        lambda move: (
            move not in planned
            and move not in arranged.move_ids
            and move.dunning_date_due < on_date
            and move.commercial_partner_id not in blocked.partner_id
            and move not in blocked.move_id
            and move.company_id == company
            and move.commercial_partner_id.email
        )
    )


def _draft_direct_debit(history, on_date):
    """A direct-debit arrangement for a third debtor, drafted today, ready to confirm once Mollie is set up."""
    env = history.env
    company = env.company
    template = env["debtor.dunning.arrangement.template"].create(
        {
            "name": "6 maanden, automatische incasso",
            "company_id": company.id,
            "number_of_instalments": 6,
            "interval": "month",
            "interval_length": 1,
            "first_instalment_delay_days": 21,
            "direct_debit": True,
            "reminder_days_before": 14,
            "note": "Het openstaande bedrag wordt in 6 maandelijkse termijnen automatisch afgeschreven. "
            "De eerste termijn betaalt u met iDEAL; daarmee machtigt u ons voor de volgende termijnen.",
        }
    )
    by_debtor = _arrangeable_invoices(history, on_date, company).grouped("commercial_partner_id")
    Arrangement = env["debtor.dunning.arrangement"]
    # The add-on's own refusals decide (an invoice handed to an agency, say), not a second list here.
    debtors = [
        partner
        for partner in sorted(by_debtor, key=lambda p: (-sum(by_debtor[p].mapped("amount_residual")), p.id))
        if not Arrangement._arrangeable_problems(by_debtor[partner], partner, company)
    ]
    if not debtors:
        return
    debtor = debtors[0]
    with freeze_time(on_date), history.day(on_date, hour=15):
        wizard = (
            env["debtor.dunning.arrangement.wizard"]
            .with_context(active_model="account.move", active_ids=by_debtor[debtor].ids)
            .create({"template_id": template.id})
        )
        arrangement = env["debtor.dunning.arrangement"].browse(wizard.action_create_arrangement()["res_id"])
        arrangement.message_post(
            body="Afgesproken aan de telefoon: automatische incasso. Bevestigen zodra de Mollie-koppeling "
            "(Facturatie ▸ Configuratie ▸ Betaalproviders) een API-sleutel heeft."
        )


def _pay_instalment(history, arrangement, amount, pay_date):
    """The debtor transfers the instalment; it is booked on his covered invoices, oldest first."""
    left = amount
    for invoice in arrangement.move_ids.sorted(lambda move: (move.dunning_date_due, move.id)):
        if left <= 0:
            break
        share = min(left, invoice.amount_residual)
        if share > 0 and history.pay(invoice, share, pay_date):
            left -= share
    if left > 0.005:
        print(f"Demo arrangement {arrangement.name}: {left:.2f} of an instalment found nothing open.")
    history.env.flush_all()
