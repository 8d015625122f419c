# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Realistic Dutch demo data for the demo database of ``setup/run``.

Step ``company`` runs on a database with only ``base``: it makes the main company Dutch and
activates Dutch, so that installing ``account`` picks the Dutch chart (``l10n_nl``) and the
add-ons load their Dutch texts. Step ``invoices`` runs once the add-ons are installed: 24
debtors, business and consumer, with invoices due from 60 days ahead to 200 days late. Step
``history`` then plays the past five months week by week (see ``HISTORY_STEPS``): the dunning
run of that day, the letters approved, sent and printed, payments, credit notes, calls, a
bankruptcy, and what debtors wrote in the portal. Every date counts back from today, so the
demo looks current whenever it is built.
"""

import argparse
import random
from contextlib import contextmanager
from datetime import datetime, time, timedelta

import demo_arrangement
import demo_collection
import demo_matching
import demo_sale
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

DEMO_TZ = "Europe/Amsterdam"
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
    env.ref("base.user_admin").partner_id.write({"tz": DEMO_TZ, "lang": "en_US"})


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
    # Business debtors get an accounts-payable contact, as an Odoo user would enter it: at the
    # company's address (an invoice address keeps its own), where the printed letters go.
    env["res.partner"].create(
        [
            {
                "name": "Crediteurenadministratie",
                "type": "invoice",
                "parent_id": partner.id,
                "email": partner.email,
                **{field: partner[field] for field in ("street", "zip", "city")},
                "country_id": partner.country_id.id,
            }
            for partner in partners.filtered(lambda p: p.is_company and p.email)
        ]
    )
    return partners


def demo_today(env):
    """Today as the add-ons see it in the company's time zone: the demo's dates count back from it."""
    return fields.Date.context_today(env["res.users"].with_context(tz=DEMO_TZ))


def create_invoices(env):
    """Post the invoices; what happens to them afterwards (payments, credit notes) is the history's."""
    company = env.ref("base.main_company")
    if company.chart_template != "nl":
        env["account.chart.template"].try_loading("nl", company)
    rng = random.Random(20261122)
    today = demo_today(env)
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
    print(f"Demo data: {len(partners)} debtors, {len(invoices)} invoices.")


def _register_payment(env, invoice, amount, payment_date):
    env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
        {"amount": amount, "payment_date": payment_date}
    )._create_payments()


# --------------------------------------------------------------------------- the history
# The demo shows the dunning at work: weekly runs over the past five months up to today, with what
# happens between them. Each run date goes through HISTORY_STEPS in order; a step is a function
# (history, run_date). Later demo objects (arrangements, collection cases) come as steps of their own.
HISTORY_WEEKS = 21
# Days after the due date on which the paying debtors pay: on time, after a reminder, after several.
PAYMENT_DELAYS = (0, 4, 11, 25, 40)
BANKRUPT_DEBTOR = "Transportbedrijf Visser B.V."


class DemoHistory:
    """The simulated past: who pays when, what the debtors write, and a clock for the chatter.

    The run takes its date as an argument; what the add-ons date "now" instead (chatter messages,
    activities, blocks, approvals, sending) is moved back to the simulated day by `day`, so that the
    demo reads as five months of work rather than one afternoon.
    """

    def __init__(self, env):
        # The admin is the demo's credit manager: he runs, approves, calls. E-mails wait in the queue
        # (see _record_mail_as_delivered) instead of being sent one by one.
        admin = env.ref("base.user_admin")
        self.env = env(user=admin, context=dict(env.context, tz=DEMO_TZ, mail_notify_force_send=False))
        self.today = demo_today(env)
        self.run_dates = [self.today - timedelta(weeks=weeks) for weeks in range(HISTORY_WEEKS, -1, -1)]
        self.runs = self.env["debtor.dunning.run"]
        self.invoices = self.env["account.move"].search(
            [("move_type", "=", "out_invoice"), ("state", "=", "posted")], order="invoice_date_due, id"
        )
        self.journal = self.invoices[:1].journal_id
        self.done = set()  # events of the plan that already happened
        self.promises_made = 0
        self.plan = self._plan()

    def _plan(self):
        """[(date, kind, invoice, value)]: what the debtors will do, decided up front."""
        ordered = self.invoices
        paid, partly_paid = ordered[5::6], ordered[3::9] - ordered[5::6]
        plan = []
        for index, invoice in enumerate(paid):
            plan.append((invoice.invoice_date_due + timedelta(days=PAYMENT_DELAYS[index % 5]), "pay", invoice, 1.0))
        for index, invoice in enumerate(partly_paid):
            plan.append((invoice.invoice_date_due + timedelta(days=PAYMENT_DELAYS[index % 3]), "pay", invoice, 0.4))
        # Credit notes: two full reversals (goods returned), two partial ones left open against the account.
        credited = (ordered - paid - partly_paid)[::7]
        plan += [(self.today - timedelta(days=45), "reverse", invoice, None) for invoice in credited[:2]]
        plan += [(self.today - timedelta(days=10), "credit", invoice, 50.0) for invoice in credited[2:4]]
        return sorted((event for event in plan if event[0] <= self.today), key=lambda event: (event[0], event[2].id))

    # ------------------------------------------------------------------ the clock
    def _max_id(self, table):
        return self.env.execute_query(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))[0][0]

    @contextmanager
    def day(self, on_date, hour=9):
        """Date what the block's actions leave in the chatter, activities, blocks and messages on `on_date`."""
        env = self.env
        env.flush_all()
        marks = {table: self._max_id(table) for table in ("mail_message", "mail_activity", "debtor_dunning_block")}
        yield
        env.flush_all()
        if on_date == self.today:
            return
        # sudo: the demo moves its own records back in time; no user action does this.
        root = env(su=True)
        when = datetime.combine(on_date, time(hour))
        root["mail.message"].search([("id", ">", marks["mail_message"])]).write({"date": when})
        shift = on_date - self.today
        activities = root["mail.activity"].with_context(active_test=False)
        for activity in activities.search([("id", ">", marks["mail_activity"])]):
            # (One the run planned for its own date, a broken promise's call, is dated already.)
            if activity.date_deadline >= self.today:
                activity.date_deadline += shift
        activities.search([("active", "=", False), ("date_done", "=", self.today)]).date_done = on_date
        root["debtor.dunning.block"].search(
            [("id", ">", marks["debtor_dunning_block"]), ("date_start", "=", self.today)]
        ).date_start = on_date
        env.flush_all()

    def _backdate_creation(self, records, on_date, hour=9):
        """The ORM keeps create_date to itself; the demo's "Received" dates need the simulated day."""
        records.flush_recordset()
        self.env.execute_query(
            SQL(
                "UPDATE %s SET create_date = %s WHERE id IN %s",
                SQL.identifier(records._table),
                datetime.combine(on_date, time(hour)),
                tuple(records.ids),
            )
        )
        records.invalidate_recordset(["create_date"])

    def due_events(self, on_date, kinds):
        """The planned events of these kinds up to `on_date` that did not happen yet, in date order."""
        events = [
            event
            for event in self.plan
            if event[0] <= on_date and event[1] in kinds and (event[0], event[1], event[2].id) not in self.done
        ]
        for event in events:
            self.done.add((event[0], event[1], event[2].id))
        return events

    # ------------------------------------------------------------------ helpers for the steps
    def is_last_run(self, on_date):
        return on_date == self.run_dates[-1]

    def weeks_ago(self, on_date):
        return (self.today - on_date).days // 7

    def open_invoices(self):
        return self.invoices.filtered(lambda move: move.payment_state in ("not_paid", "partial"))

    def pay(self, invoice, amount, on_date):
        if invoice.payment_state not in ("not_paid", "partial") or on_date > self.today:
            return False
        with self.day(on_date):
            _register_payment(self.env, invoice, min(amount, invoice.amount_residual), on_date)
        return True

    def most_dunned_invoice(self, partners):
        """The open, unblocked invoice of these debtors that has had the most letters: what they write about."""
        Block = self.env["debtor.dunning.block"]
        blocked = Block.search([("state", "=", "active"), ("move_id", "!=", False)]).move_id
        candidates = self.open_invoices().filtered(
            lambda move: move.commercial_partner_id in partners and move.dunning_level_id and move not in blocked
        )
        return candidates.sorted(lambda move: (-move.dunning_level_id.sequence, move.invoice_date_due, move.id))[:1]


def register_payments(history, on_date):
    """Debtors pay, in full or in part, on the days planned (some on time, some after reminders)."""
    for pay_date, _kind, invoice, share in history.due_events(on_date, {"pay"}):
        history.pay(invoice, round(invoice.amount_total * share, 2), pay_date)


def issue_credit_notes(history, on_date):
    """Goods returned (the invoice reversed) and discounts for complaints (a credit note left open)."""
    for credit_date, kind, invoice, amount in history.due_events(on_date, {"reverse", "credit"}):
        if invoice.payment_state not in ("not_paid", "partial"):
            continue
        with history.day(credit_date):
            if kind == "reverse":
                history.env["account.move.reversal"].with_context(
                    active_model="account.move", active_ids=invoice.ids
                ).create(
                    {"reason": "Retour geleverde goederen", "journal_id": history.journal.id, "date": credit_date}
                ).modify_moves()
                continue
            credit = history.env["account.move"].create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "journal_id": history.journal.id,
                    "invoice_date": credit_date,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Korting wegens klacht",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [(6, 0, invoice.invoice_line_ids.tax_ids[:1].ids)],
                            },
                        )
                    ],
                }
            )
            credit.action_post()


def debtors_write(history, on_date):
    """What debtors write in the portal, and what the controller does with it.

    Eight weeks ago a business debtor asked for a copy of the delivery note (answered two days
    later); seven weeks ago a consumer disputed the quality of the work (resolved three weeks later,
    when dunning resumed); this week a consumer disputes an amount: open, for the user to answer.
    """
    Message = history.env["debtor.dunning.debtor.message"]
    # Debtors who follow the link in a reminder e-mail.
    writers = history.invoices.commercial_partner_id.filtered("email")
    businesses = writers.filtered("is_company")
    consumers = writers - businesses
    week = history.weeks_ago(on_date)
    if week == 8:
        invoice = history.most_dunned_invoice(businesses)
        if invoice:
            asked = _from_portal(
                history,
                invoice,
                on_date - timedelta(days=3),
                "question",
                "Wij kunnen deze factuur niet matchen met een levering. Kunt u een kopie van de pakbon sturen?",
            )
            with history.day(on_date - timedelta(days=1), hour=11):
                invoice.message_post(
                    body="Goedemiddag, in de bijlage vindt u de pakbon van deze levering. Met vriendelijke groet.",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=asked.author_id.ids,
                )
                asked.date_answered = datetime.combine(on_date - timedelta(days=1), time(11))
    if week == 7:
        invoice = history.most_dunned_invoice(consumers)
        if invoice:
            _from_portal(
                history,
                invoice,
                on_date - timedelta(days=2),
                "dispute",
                "De reparatie is niet goed uitgevoerd: het lekt nog steeds. Ik betaal pas als het is opgelost.",
                reason="quality",
            )
    if week == 4:
        disputes = Message.search([("kind", "=", "dispute"), ("state", "=", "open")])
        with history.day(on_date - timedelta(days=1), hour=14):
            disputes.action_resolve()
            disputes.date_resolved = datetime.combine(on_date - timedelta(days=1), time(14))
            disputes.block_id.date_lifted = disputes.date_resolved
    if week == 0:
        invoice = history.most_dunned_invoice(consumers)
        if invoice:
            _from_portal(
                history,
                invoice,
                on_date - timedelta(days=2),
                "dispute",
                "Op de factuur staan vier uur advies, maar de adviseur is maar twee uur geweest.",
                reason="amount",
            )


def _from_portal(history, invoice, on_date, kind, body, reason=False):
    """As the portal's form does it for a visitor with the invoice's link (see controllers/portal.py)."""
    visitor = history.env.ref("base.public_user")
    with history.day(on_date, hour=20):
        message = (
            history.env["debtor.dunning.debtor.message"]
            .with_user(visitor)
            .sudo()
            ._post_from_debtor(invoice.with_user(visitor).sudo(), invoice.partner_id, kind, body, dispute_reason=reason)
        )
    history._backdate_creation(message, on_date, hour=20)
    return message.with_env(history.env)


def place_blocks(history, on_date):
    """Eight weeks ago a debtor went bankrupt: his claims go to the trustee, the dunning stops."""
    if history.weeks_ago(on_date) != 8:
        return
    debtor = history.invoices.commercial_partner_id.filtered(lambda partner: partner.name == BANKRUPT_DEBTOR)
    with history.day(on_date):
        history.env["debtor.dunning.block"].create(
            {
                "template_id": history.env.ref("debtor_dunning.block_template_bankruptcy").id,
                "partner_id": debtor.id,
                "date_start": on_date,
                "reason": "Faillissement uitgesproken door de rechtbank Rotterdam; vordering ingediend bij de curator.",
            }
        )


def make_calls(history, on_date):
    """The controller's calls since the last run: the call tasks, then (this week) reminders followed up.

    A call task is made on the day it is due. A debtor without a phone number cannot be called. The
    others are not reached at first (a new call two days later); on the second call they are
    reached: they promise to pay when that promise can still run today, else they pay the letter's
    invoices within the week.
    """
    _work_call_tasks(history, on_date)
    if history.is_last_run(on_date):
        _promise_broken_this_week(history, on_date - timedelta(days=8))
        _follow_up_reminders_by_phone(history, on_date - timedelta(days=2))


def _promise_broken_this_week(history, call_date):
    """Eight days ago a debtor promised by phone to pay within six days and did not: today's run finds
    the promise broken, resumes his dunning and puts him on today's call list."""
    blocked = history.env["debtor.dunning.block"].search([("state", "=", "active")])
    letters = history.env["debtor.dunning.communication"].search(
        [("state", "=", "sent"), ("date", "<=", call_date), ("call_state", "=", "none")], order="date desc, id"
    )
    letter = letters.filtered(
        lambda c: (
            c.level_id.letter_layout not in ("default_notice", "handover")
            and c.partner_id.phone
            and c.partner_id not in blocked.partner_id
            and c._open_amount_in_company_currency() > 0
        )
    )[:1]
    if letter:
        with history.day(call_date, hour=11), freeze_time(call_date):
            letter._log_call_outcome(
                "promise", note="Betaalt volgende week.", promise_date=call_date + timedelta(days=6)
            )


def _follow_up_reminders_by_phone(history, call_date):
    """Two days ago the controller phoned the two most dunned debtors of the last two weeks: one
    promised to pay within ten days (a block until then), the other was not reached (a new call two
    days later: today, on the overview's work queue)."""
    blocked = history.env["debtor.dunning.block"].search([("state", "=", "active")])
    open_invoices = history.open_invoices() - blocked.move_id
    letters = history.env["debtor.dunning.communication"].search(
        [("state", "=", "sent"), ("date", ">=", call_date - timedelta(days=14)), ("call_state", "=", "none")]
    )
    letters = letters.filtered(
        lambda c: (
            c.level_id.letter_layout != "handover"
            and c.partner_id.phone
            and c.partner_id not in blocked.partner_id
            and c.move_ids & open_invoices
        )
    )
    called = {}
    for letter in letters.sorted(lambda c: (-c.level_id.sequence, c.id)):
        called.setdefault(letter.partner_id, letter)
    promised, not_reached = [*called.values(), None, None][:2]
    with history.day(call_date, hour=15):
        if promised:
            promised._log_call_outcome(
                "promise",
                note="Betaalt zodra zijn eigen klant heeft betaald.",
                promise_date=call_date + timedelta(days=10),
            )
        if not_reached:
            not_reached._log_call_outcome("not_reached", note="Telefoon niet opgenomen.")


def _work_call_tasks(history, on_date):
    Communication = history.env["debtor.dunning.communication"]
    while True:
        # (A done call task is archived: searched through the letter, it would still match.)
        open_calls = history.env["mail.activity"].search([("date_deadline", "<", on_date)])
        due = Communication.search([("call_activity_id", "in", open_calls.ids)])
        if not due:
            return
        letter = due.sorted(lambda c: (c.call_activity_id.date_deadline, c.id))[0]
        call_date = letter.call_activity_id.date_deadline
        debtor = letter.recipient_id if letter.recipient_id.phone else letter.partner_id
        pays = False
        with history.day(call_date, hour=10):
            if not debtor.phone:
                letter._log_call_outcome("wrong_number", note="Geen telefoonnummer bekend; de brief gaat per post.")
            elif letter.call_outcome != "not_reached":
                letter._log_call_outcome("not_reached", note="Voicemail ingesproken.")
            elif call_date + timedelta(days=14) >= history.today:
                letter._log_call_outcome("promise", promise_date=call_date + timedelta(days=14))
            else:
                # Reached: he promises to pay within five days, logged on the day of the call. Most keep
                # their word; the first does not, and the next run finds his promise broken, resumes his
                # dunning and plans a new call.
                if not letter._open_amount_in_company_currency():
                    letter.call_activity_id.action_feedback(feedback="Bereikt: de facturen zijn inmiddels betaald.")
                else:
                    pays = history.promises_made > 0
                    history.promises_made += 1
                    with freeze_time(call_date):
                        letter._log_call_outcome(
                            "promise", note="Betaalt deze week.", promise_date=call_date + timedelta(days=5)
                        )
        for invoice in letter.move_ids if pays else ():
            history.pay(invoice, invoice.amount_residual, call_date + timedelta(days=3))


def run_dunning(history, on_date):
    with history.day(on_date, hour=5):
        history.runs = history.env["debtor.dunning.run"].execute(date=on_date)


def approve_letters(history, on_date):
    """The credit manager approves the notices of default and hand-overs the run decided, except today's."""
    if history.is_last_run(on_date):
        return
    letters = history.runs.communication_ids.filtered(lambda c: c.state == "to_approve")
    if not letters:
        return
    with history.day(on_date, hour=8):
        letters.action_approve()
    # Approving dates a letter on the day it is approved: the simulated day, not the real one.
    letters.write({"date": on_date, "date_approved": datetime.combine(on_date, time(8))})
    letters.line_ids.write({"date": on_date})


def send_letters(history, on_date):
    """What the sending step does every hour: render, archive and send the queued letters."""
    letters = history.env["debtor.dunning.communication"].search([("state", "=", "queued")])
    with history.day(on_date, hour=7):
        # Level by level: letters of one layout share wkhtmltopdf calls (a two-page notice of
        # default would send the others of a mixed batch back to one call each).
        for same_level in letters.grouped("level_id").values():
            same_level.action_send_now()
    if on_date != history.today:
        letters.filtered(lambda c: c.state == "sent").date_sent = datetime.combine(on_date, time(7))


def print_letters(history, on_date):
    """The week's letters for the post are printed; today's wait in Letters to Print."""
    if history.is_last_run(on_date):
        return
    letters = history.env["debtor.dunning.communication"].search(
        [("state", "=", "sent"), ("letter_state", "=", "to_print")]
    )
    if letters:
        with history.day(on_date, hour=11):
            letters.action_print_letters()
        letters.date_printed = datetime.combine(on_date, time(11))


HISTORY_STEPS = [
    ("payments", register_payments),
    ("payment arrangements", demo_arrangement.arrange),
    ("credit notes", issue_credit_notes),
    ("debtor messages", debtors_write),
    ("blocks", place_blocks),
    ("calls", make_calls),
    ("dunning run", run_dunning),
    ("approvals", approve_letters),
    ("sending", send_letters),
    ("printing", print_letters),
]


def simulate_history(env, base_url=None):
    """Weekly runs from HISTORY_WEEKS weeks ago up to today, each run date through HISTORY_STEPS.

    Letters are rendered by wkhtmltopdf, which fetches the report's style sheets from the Odoo
    server at `base_url`: one must serve this database meanwhile.
    """
    if base_url:
        # Also where the letters' payment links and QR codes point to.
        env["ir.config_parameter"].set_param("web.base.url", base_url)
    history = DemoHistory(env)
    demo_collection.set_up_collection(history.env)
    for run_date in history.run_dates:
        for _name, step in HISTORY_STEPS:
            step(history, run_date)
    demo_collection.show_collection(history.env, BANKRUPT_DEBTOR)
    demo_matching.leave_unmatched_payments(history.env, history.today)
    demo_sale.quote_a_high_risk_debtor(history.env)
    _record_mail_as_delivered(history.env)
    summarize(history.env)


def _record_mail_as_delivered(env):
    """The demo's debtors are fictitious: what the history e-mailed them counts as delivered back then,
    instead of leaving this machine when the demo server starts."""
    # sudo: the outgoing queue is the mail system's, not a credit controller's.
    mails = env["mail.mail"].sudo().search([("state", "in", ("outgoing", "exception"))])
    mails.write({"state": "sent"})
    mails._postprocess_sent_message(success_pids=mails.recipient_ids, success_emails=[])


def summarize(env):
    Communication = env["debtor.dunning.communication"]
    per_level = Communication._read_group([("state", "!=", "preview")], ["level_id"], ["__count"])
    levels = ", ".join(f"{level.sequence}: {count}" for level, count in sorted(per_level, key=lambda r: r[0].sequence))
    print(
        f"Demo history: {env['debtor.dunning.run'].search_count([])} runs, letters per level {levels}; "
        f"{Communication.search_count([('state', '=', 'to_approve')])} awaiting approval, "
        f"{env['debtor.dunning.block'].search_count([('state', '=', 'active')])} active blocks, "
        f"{env['debtor.dunning.debtor.message'].search_count([('state', '=', 'open')])} open debtor messages."
    )
    classes = dict(env["debtor.dunning.risk"]._read_group([], ["risk_class"], ["__count"]))
    promises = dict(
        env["debtor.dunning.block"]._read_group([("promise_state", "!=", False)], ["promise_state"], ["__count"])
    )
    calls = env["debtor.dunning.call"].search_count([("date_deadline", "<=", demo_today(env))])
    print(
        f"Risk classes: {classes.get('low', 0)} low, {classes.get('medium', 0)} medium, {classes.get('high', 0)} high; "
        f"promises to pay: {promises.get('kept', 0)} kept, {promises.get('broken', 0)} broken, "
        f"{promises.get('open', 0)} open; {calls} calls due today."
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--step", choices=["company", "invoices", "history"], required=True)
    parser.add_argument("--base-url", help="step history: the address of the Odoo server serving the database")
    args = parser.parse_args()
    config.parse_config(["-c", args.config])
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.step == "company":
            setup_company(env)
        elif args.step == "invoices":
            create_invoices(env)
        else:
            simulate_history(env, args.base_url)


if __name__ == "__main__":
    main()
