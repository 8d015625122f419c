# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Seed a database for the robustness tests: a few hundred debtors with a dunning history.

Debtors with and without e-mail, invoice addresses, invoices due from four months ago to ten days
ahead, in two currencies, partial and full payments, open credit notes, blocks (some ended but not
yet expired, so that every run has blocks to expire), and two earlier runs whose letters went out,
so that the run under test escalates invoices to several levels. Deterministic for a given seed.

    python seed.py --config odoo.conf --database robust_x --date 2026-06-01 [--debtors 300]
"""

import argparse
import random
from datetime import timedelta

from odoo_env import odoo_env, say


def seed(env, on_date, debtors=300, rng_seed=20260601):
    rng = random.Random(rng_seed)
    company = env.company
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    eur = env.ref("base.EUR")
    eur.active = True
    chf = env.ref("base.CHF")
    chf.active = True
    if company.currency_id != chf:
        env["res.currency.rate"].create({"name": on_date - timedelta(days=400), "rate": 1.1, "currency_id": chf.id})
    foreign = chf if company.currency_id != chf else eur
    partners = env["res.partner"].create(
        [
            {
                "name": f"Debiteur {index:03d}",
                "is_company": index % 3 == 0,
                "email": f"debiteur{index}@example.nl" if index % 7 else False,
                "phone": "06 12345678" if index % 5 == 0 else False,
                "country_id": env.ref("base.nl").id if index % 4 else False,
            }
            for index in range(debtors)
        ]
    )
    env["res.partner"].create(
        [
            {"name": "Crediteuren", "type": "invoice", "parent_id": partner.id, "email": f"ap{partner.id}@example.nl"}
            for partner in partners.filtered("is_company")[::2]
        ]
    )
    invoice_vals = []
    for partner in partners:
        for _number in range(rng.randint(1, 3)):
            due = on_date + timedelta(days=rng.randint(-120, 10))
            invoice_vals.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "journal_id": journal.id,
                    "currency_id": (foreign if rng.random() < 0.1 else company.currency_id).id,
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        (0, 0, {"name": "Levering", "quantity": 1, "price_unit": rng.randint(20, 2000), "tax_ids": []})
                    ],
                }
            )
    invoices = env["account.move"].create(invoice_vals)
    invoices.action_post()
    for invoice in invoices.filtered(lambda move: rng.random() < 0.08):
        amount = invoice.amount_residual if rng.random() < 0.5 else round(invoice.amount_residual * 0.5, 2)
        env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": amount, "payment_date": on_date - timedelta(days=40)}
        )._create_payments()
    credit_vals = [
        {
            "move_type": "out_refund",
            "partner_id": partner.id,
            "journal_id": journal.id,
            "invoice_date": on_date - timedelta(days=50),
            "invoice_line_ids": [(0, 0, {"name": "Creditering", "quantity": 1, "price_unit": 3000, "tax_ids": []})],
        }
        for partner in partners[5::40]
    ]
    env["account.move"].create(credit_vals).action_post()
    dispute = env.ref("debtor_dunning.block_template_dispute")
    promise = env.ref("debtor_dunning.block_template_promise_to_pay")
    env["debtor.dunning.block"].create(
        [
            {"template_id": promise.id, "partner_id": partner.id, "date_start": on_date - timedelta(days=60)}
            for partner in partners[1::25]
        ]
        + [
            {
                "template_id": promise.id,
                "partner_id": partner.id,
                "date_start": on_date - timedelta(days=40),
                "date_end": on_date - timedelta(days=2),
            }
            for partner in partners[2::25]
        ]
        + [{"template_id": dispute.id, "move_id": invoice.id} for invoice in invoices[3::50]]
    )
    # Two earlier runs whose letters all went out (the approvals included), as weeks of history.
    for days_ago in (30, 15):
        env["debtor.dunning.run"].execute(date=on_date - timedelta(days=days_ago))
        env.flush_all()
        env.cr.execute("UPDATE debtor_dunning_communication SET state = 'sent' WHERE state IN ('queued', 'to_approve')")
        env.invalidate_all()
    # The earlier runs triggered the sending step; the tests leave sending alone.
    env.cr.execute("DELETE FROM ir_cron_trigger")
    say(f"SEEDED {len(partners)} debtors, {len(invoices)} invoices")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--date", required=True)
    parser.add_argument("--debtors", type=int, default=300)
    args = parser.parse_args()
    from odoo import fields

    with odoo_env(args.config, args.database) as (_registry, env):
        seed(env, fields.Date.to_date(args.date), args.debtors)
        env.cr.commit()


if __name__ == "__main__":
    main()
