# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Realistic Dutch demo data for the demo database of ``setup/run``.

Step ``company`` runs on a database with only ``base``: it makes the main company Dutch and
activates Dutch, so that installing ``account`` picks the Dutch chart (``l10n_nl``) and the
add-ons load their Dutch texts. Step ``invoices`` runs once the add-ons are installed: 24
debtors, business and consumer, with invoices due from 60 days ahead to 200 days late,
some paid, some partly paid, some credited.
"""

import argparse
import random
from datetime import date, timedelta

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

COMPANY = {
    "name": "Groothandel Van Dijk B.V.",
    "street": "Stationsplein 12",
    "zip": "3511 ED",
    "city": "Utrecht",
    "email": "debiteuren@vandijk-groothandel.example.nl",
    "phone": "+31 30 123 4567",
    "vat": "NL123456782B01",
    "company_registry": "30123456",
}

BUSINESSES = [
    (
        "Bakkerij De Gouden Korenschoof B.V.",
        "Dorpsstraat 4",
        "1234 AB",
        "Amstelveen",
        "administratie@korenschoof.example.nl",
        "+31 20 555 0101",
    ),
    (
        "Installatiebedrijf Jansen & Zn.",
        "Industrieweg 18",
        "5621 BK",
        "Eindhoven",
        "facturen@jansen-installatie.example.nl",
        "+31 40 555 0102",
    ),
    (
        "Hotel Het Zuiderduin",
        "Boulevard 77",
        "4381 AA",
        "Vlissingen",
        "crediteuren@zuiderduin.example.nl",
        "+31 118 555 010",
    ),
    (
        "Transportbedrijf Visser B.V.",
        "Havenweg 3",
        "3089 JD",
        "Rotterdam",
        "finance@visser-transport.example.nl",
        "+31 10 555 0104",
    ),
    (
        "Architectenbureau Kuiper",
        "Keizersgracht 210",
        "1016 DZ",
        "Amsterdam",
        "info@kuiper-architecten.example.nl",
        "+31 20 555 0105",
    ),
    (
        "Tuincentrum De Groene Vingers",
        "Provincialeweg 55",
        "2231 PM",
        "Rijnsburg",
        "boekhouding@groenevingers.example.nl",
        "+31 71 555 0106",
    ),
    ("Autobedrijf Mulder", "Kanaalweg 9", "8011 AP", "Zwolle", "", "+31 38 555 0107"),
    (
        "Drukkerij Smit & Partners",
        "Laan van Nieuw Oost-Indië 120",
        "2593 BT",
        "Den Haag",
        "ap@smitdruk.example.nl",
        "+31 70 555 0108",
    ),
    ("Schildersbedrijf Bos", "Molenweg 31", "9711 KL", "Groningen", "info@schildersbos.example.nl", "+31 50 555 0109"),
    ("Restaurant De Waag", "Markt 1", "6211 CK", "Maastricht", "administratie@dewaag.example.nl", "+31 43 555 0110"),
    (
        "ICT Diensten Meijer B.V.",
        "Science Park 400",
        "1098 XH",
        "Amsterdam",
        "invoices@meijer-ict.example.nl",
        "+31 20 555 0111",
    ),
    (
        "Kinderopvang Het Speelhuis",
        "Schoolstraat 8",
        "7511 HN",
        "Enschede",
        "penningmeester@speelhuis.example.nl",
        "+31 53 555 0112",
    ),
]

CONSUMERS = [
    ("Sanne de Vries", "Lindenlaan 14", "3581 BE", "Utrecht", "sanne.devries@example.nl", "06 12345678"),
    ("Daan Bakker", "Julianastraat 22", "2012 ES", "Haarlem", "daan.bakker@example.nl", "06 23456789"),
    ("Emma Visser", "Beukenhof 3", "6822 AB", "Arnhem", "emma.visser@example.nl", "06 34567890"),
    ("Lucas van den Berg", "Kerkstraat 90", "5211 KJ", "'s-Hertogenbosch", "", "06 45678901"),
    ("Julia Smit", "Prinsengracht 500", "1017 KH", "Amsterdam", "julia.smit@example.nl", "06 5678901"),
    ("Thijs Mulder", "Parkweg 7", "9401 LM", "Assen", "thijs.mulder@example.nl", ""),
    ("Fleur Dekker", "Vondelstraat 41", "2313 RE", "Leiden", "fleur.dekker@example.nl", "06 78901234"),
    ("Noah Jansen", "Zeeweg 66", "1971 HA", "IJmuiden", "", ""),
    ("Lotte Hendriks", "Wilhelminapark 2", "5041 EA", "Tilburg", "lotte.hendriks@example.nl", "06 90123456"),
    ("Sem de Boer", "Oranjelaan 19", "3843 AB", "Harderwijk", "sem.deboer@example.nl", "06 11223344"),
    ("Anna Peters", "Singel 250", "3311 KR", "Dordrecht", "anna.peters@example.nl", "06 22334455"),
    ("Finn van Leeuwen", "Dijkstraat 5", "4101 AK", "Culemborg", "finn.vanleeuwen@example.nl", "06 33445566"),
]

PRODUCTS = [
    ("Kantoorartikelen pakket", 145.00),
    ("Onderhoudscontract (maand)", 395.00),
    ("Installatie op locatie", 860.00),
    ("Advies (uur)", 95.00),
    ("Reparatie en onderdelen", 278.50),
    ("Levering bouwmaterialen", 1840.00),
]


def setup_company(env):
    """Make the main company Dutch before `account` is installed, and activate Dutch."""
    netherlands = env.ref("base.nl")
    company = env.ref("base.main_company")
    company.write({**COMPANY, "country_id": netherlands.id, "currency_id": env.ref("base.EUR").id})
    company.partner_id.lang = "nl_NL"
    env["res.lang"]._activate_lang("nl_NL")
    env.ref("base.user_admin").partner_id.write({"tz": "Europe/Amsterdam", "lang": "en_US"})


def _partners(env):
    country = env.ref("base.nl")
    vals = []
    for name, street, zip_code, city, email, phone in BUSINESSES:
        vals.append(
            {
                "name": name,
                "is_company": True,
                "street": street,
                "zip": zip_code,
                "city": city,
                "email": email or False,
                "phone": phone or False,
                "country_id": country.id,
                "lang": "nl_NL",
            }
        )
    for name, street, zip_code, city, email, phone in CONSUMERS:
        vals.append(
            {
                "name": name,
                "is_company": False,
                "street": street,
                "zip": zip_code,
                "city": city,
                "email": email or False,
                "phone": phone or False,
                "country_id": country.id,
                "lang": "nl_NL",
            }
        )
    partners = env["res.partner"].create(vals)
    # Business debtors get an accounts-payable contact, as an Odoo user would enter it.
    env["res.partner"].create(
        [
            {"name": "Crediteurenadministratie", "type": "invoice", "parent_id": partner.id, "email": partner.email}
            for partner in partners.filtered(lambda p: p.is_company and p.email)
        ]
    )
    return partners


def create_invoices(env):
    company = env.ref("base.main_company")
    if company.chart_template != "nl":
        env["account.chart.template"].try_loading("nl", company)
    rng = random.Random(20261122)
    today = date.today()
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    tax = env["account.tax"].search(
        [("type_tax_use", "=", "sale"), ("amount", "=", 21), ("company_id", "=", company.id)], limit=1
    )
    products = env["product.product"].create(
        [
            {"name": name, "list_price": price, "type": "service", "taxes_id": [(6, 0, tax.ids)]}
            for name, price in PRODUCTS
        ]
    )
    partners = _partners(env)
    invoice_vals = []
    for index, partner in enumerate(partners):
        for _number in range(rng.randint(2, 4)):
            # Due dates from 60 days ahead to 200 days late, spread over every debtor.
            due = today + timedelta(days=rng.randint(-200, 60))
            invoice_date = due - timedelta(days=30 if partner.is_company else 14)
            lines = [
                {
                    "product_id": product.id,
                    "quantity": rng.randint(1, 4),
                    "price_unit": product.list_price,
                    "tax_ids": [(6, 0, tax.ids)],
                }
                for product in rng.sample(list(products), rng.randint(1, 3))
            ]
            invoice_vals.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "journal_id": journal.id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "ref": f"PO-{2026000 + index * 10 + _number}" if partner.is_company else False,
                    "invoice_line_ids": [(0, 0, line) for line in lines],
                }
            )
    invoices = env["account.move"].create(invoice_vals)
    invoices.action_post()

    ordered = invoices.sorted(lambda m: (m.invoice_date_due, m.id))
    paid, partly_paid = ordered[5::6], ordered[3::9] - ordered[5::6]
    for invoice in paid:
        _register_payment(env, invoice, invoice.amount_residual, invoice.invoice_date_due)
    for invoice in partly_paid:
        _register_payment(env, invoice, round(invoice.amount_residual * 0.4, 2), invoice.invoice_date_due)
    # Credit notes: two full reversals, two partial ones left open against the debtor's account.
    open_invoices = (ordered - paid - partly_paid)[::7]
    reversal = (
        env["account.move.reversal"]
        .with_context(active_model="account.move", active_ids=open_invoices[:2].ids)
        .create({"reason": "Retour geleverde goederen", "journal_id": journal.id, "date": today})
    )
    reversal.modify_moves()
    for invoice in open_invoices[2:4]:
        credit = env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": invoice.partner_id.id,
                "journal_id": journal.id,
                "invoice_date": today - timedelta(days=10),
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Korting wegens klacht",
                            "quantity": 1,
                            "price_unit": 50.0,
                            "tax_ids": [(6, 0, tax.ids)],
                        },
                    )
                ],
            }
        )
        credit.action_post()
    print(
        f"Demo data: {len(partners)} debtors, {len(invoices)} invoices "
        f"({len(paid)} paid, {len(partly_paid)} partly paid), credit notes for {len(open_invoices[:4])}."
    )


def _register_payment(env, invoice, amount, payment_date):
    env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
        {"amount": amount, "payment_date": payment_date}
    )._create_payments()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--step", choices=["company", "invoices"], required=True)
    args = parser.parse_args()
    config.parse_config(["-c", args.config])
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.step == "company":
            setup_company(env)
        else:
            create_invoices(env)


if __name__ == "__main__":
    main()
