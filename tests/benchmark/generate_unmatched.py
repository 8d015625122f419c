# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark data: unmatched incoming payments of the kinds a credit controller meets, with the
suggestion each one should get first.

Run on a ledger built by ``generate_invoices.py``, the run of the letter date and
``generate_history.py`` (``bench_matching.py`` does all three). Through the ORM, in a few batched
calls (1,000 credits take about a minute; there is no need for SQL copies at this size):

- bank entries in the bank journal whose credit line is on the debtors' receivable account, not
  reconciled: the invoice number in the line's label or in the entry's reference (half of them
  without debtor); a letter's ``DUN…`` reference and the amount of one of its open invoices; the
  amount of one open invoice of the debtor named; the sum of 2 or 3 open invoices of the debtor;
- bank statement lines without debtor, not reconciled (their line on the suspense account): the
  debtor's name in the label, or his bank account number (a ``res.partner.bank`` made for him), and
  the amount of one of his open invoices;
- credits that match nothing: no debtor, no number, an amount no invoice has (entries and
  statement lines).

Writes ``{journal item id: {"kind": ..., "expected": [invoice ids] or []}}`` to ``--expected``: the
first suggestion must be exactly those invoices (none at all for ``nothing``).

    python generate_unmatched.py -c CONFIG -d DB --date YYYY-MM-DD --expected FILE [--count 1000]
"""

import argparse
import json
import sys
import time
from collections import defaultdict

import generate_invoices as gi

from odoo.fields import Command

# Shares of the credits by kind (they add up to 1).
KINDS = {
    "invoice_number": 0.25,
    "letter_reference": 0.15,
    "exact_amount": 0.20,
    "combination": 0.15,
    "statement_name": 0.10,
    "statement_bank_account": 0.05,
    "nothing": 0.10,
}
STATEMENT_KINDS = ("statement_name", "statement_bank_account")


def _log(message):
    print(f"[unmatched] {message}", file=sys.stderr, flush=True)


def open_invoices(env):
    """[(invoice id, number, debtor id, open amount, due date)] of the company, by id."""
    env.cr.execute(
        """
        SELECT m.id, m.name, m.commercial_partner_id, l.amount_residual, m.invoice_date_due
          FROM account_move m
          JOIN account_move_line l ON l.move_id = m.id
          JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
         WHERE m.company_id = %s AND m.state = 'posted' AND m.move_type = 'out_invoice'
           AND m.payment_state IN ('not_paid', 'partial') AND NOT l.reconciled
         ORDER BY m.id
        """,
        (env.company.id,),
    )
    return env.cr.fetchall()


def letters_with_open_invoices(env, open_ids):
    """[(letter id, [its open invoice ids])] of the letters sent, by id."""
    env.cr.execute(
        """
        SELECT c.id, array_agg(cl.move_id ORDER BY cl.move_id)
          FROM debtor_dunning_communication c
          JOIN debtor_dunning_communication_line cl ON cl.communication_id = c.id
         WHERE c.company_id = %s AND c.state = 'sent' AND NOT cl.is_preview
         GROUP BY c.id
         ORDER BY c.id
        """,
        (env.company.id,),
    )
    return [(letter, [i for i in moves if i in open_ids]) for letter, moves in env.cr.fetchall()]


def plan(env, count):
    """[(kind, values)]: what each credit says, chosen from the open invoices, spread over the debtors."""
    from odoo.addons.debtor_dunning.models.matching import letter_reference

    invoices = open_invoices(env)
    by_id = {row[0]: row for row in invoices}
    by_debtor = defaultdict(list)
    for row in invoices:
        by_debtor[row[2]].append(row)
    # A debtor whose open amounts are all different, so that an amount names one invoice of his.
    distinct = [d for d, rows in by_debtor.items() if len({round(r[3], 2) for r in rows}) == len(rows)]
    names = {p.id: p.name for p in env["res.partner"].browse(list(by_debtor))}
    wanted = {kind: round(count * share) for kind, share in KINDS.items()}
    wanted["nothing"] += count - sum(wanted.values())
    used_debtors = set()
    stride_debtors = iter(distinct[:: max(1, len(distinct) // count)])

    def next_debtor(minimum=1):
        for debtor in stride_debtors:
            if debtor not in used_debtors and len(by_debtor[debtor]) >= minimum:
                used_debtors.add(debtor)
                return debtor
        raise RuntimeError("Not enough debtors with open invoices for the unmatched credits.")

    planned = []
    for index in range(wanted["invoice_number"]):
        debtor = next_debtor()
        number_id, number, _debtor, residual, _due = by_debtor[debtor][0]
        in_label = index % 2 == 0
        planned.append(
            (
                "invoice_number",
                {
                    "label": f"Payment {number}" if in_label else "Incoming transfer",
                    "reference": "" if in_label else f"inv {number.lower()}",
                    "partner_id": debtor if index % 4 < 2 else None,
                    "amount": residual,
                    "expected": [number_id],
                },
            )
        )
    letters = letters_with_open_invoices(env, by_id)
    letters = [(letter, moves) for letter, moves in letters if moves and by_id[moves[0]][2] not in used_debtors]
    for letter, moves in letters[:: max(1, len(letters) // wanted["letter_reference"])][: wanted["letter_reference"]]:
        invoice = by_id[moves[-1]]
        used_debtors.add(invoice[2])
        planned.append(
            (
                "letter_reference",
                {
                    "label": "Transfer",
                    "reference": letter_reference(letter),
                    "partner_id": invoice[2],
                    "amount": invoice[3],
                    "expected": [invoice[0]],
                },
            )
        )
    for _index in range(wanted["exact_amount"]):
        debtor = next_debtor()
        invoice = by_debtor[debtor][-1]
        planned.append(
            (
                "exact_amount",
                {
                    "label": "Bank transfer",
                    "reference": "",
                    "partner_id": debtor,
                    "amount": invoice[3],
                    "expected": [invoice[0]],
                },
            )
        )
    for index in range(wanted["combination"]):
        size = 2 + index % 2
        debtor = next_debtor(minimum=size + 1)
        chosen = by_debtor[debtor][:size]
        planned.append(
            (
                "combination",
                {
                    "label": "Bank transfer",
                    "reference": "",
                    "partner_id": debtor,
                    "amount": round(sum(row[3] for row in chosen), 2),
                    "expected": [row[0] for row in chosen],
                },
            )
        )
    for kind in STATEMENT_KINDS:
        for index in range(wanted[kind]):
            debtor = next_debtor()
            invoice = by_debtor[debtor][0]
            values = {"partner_id": None, "amount": invoice[3], "expected": [invoice[0]], "statement": True}
            if kind == "statement_name":
                values |= {"label": f"{names[debtor]} payment", "reference": ""}
            else:
                values |= {
                    "label": "SEPA credit transfer",
                    "reference": "",
                    "bank_account": f"NL{index % 90 + 10:02d} BNCH {debtor:010d}",
                    "bank_owner": debtor,
                }
            planned.append((kind, values))
    amounts = {round(row[3], 2) for row in invoices}
    for index in range(wanted["nothing"]):
        amount = 7.13 + index
        while round(amount, 2) in amounts:
            amount += 0.01
        planned.append(
            (
                "nothing",
                {
                    "label": f"Unknown sender {index}",
                    "reference": "",
                    "partner_id": None,
                    "amount": round(amount, 2),
                    "expected": [],
                    "statement": index % 2 == 0,
                },
            )
        )
    return planned


def create_credits(env, planned, on_date):
    """The planned credits through the ORM: bank entries (posted) and bank statement lines."""
    company = env.company
    journal = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], order="sequence, id", limit=1
    )
    # The invoices' receivable account, on which the credits are booked.
    env.cr.execute(
        """
        SELECT l.account_id
          FROM account_move_line l
          JOIN account_move m ON m.id = l.move_id
          JOIN account_account a ON a.id = l.account_id
         WHERE m.company_id = %s AND m.move_type = 'out_invoice' AND a.account_type = 'asset_receivable'
         LIMIT 1
        """,
        (company.id,),
    )
    receivable = env["account.account"].browse(env.cr.fetchone()[0])
    banks = [values for _kind, values in planned if values.get("bank_account")]
    env["res.partner.bank"].create(
        [{"partner_id": values["bank_owner"], "acc_number": values["bank_account"]} for values in banks]
    )
    entries = [(kind, values) for kind, values in planned if not values.get("statement")]
    Move = env["account.move"].with_context(tracking_disable=True, mail_create_nolog=True)
    moves = Move.create(
        [
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": on_date,
                "ref": values["reference"] or False,
                "line_ids": [
                    Command.create(
                        {
                            "name": values["label"],
                            "account_id": journal.default_account_id.id,
                            "partner_id": values["partner_id"],
                            "balance": values["amount"],
                        }
                    ),
                    Command.create(
                        {
                            "name": values["label"],
                            "account_id": receivable.id,
                            "partner_id": values["partner_id"],
                            "balance": -values["amount"],
                        }
                    ),
                ],
            }
            for _kind, values in entries
        ]
    )
    moves.action_post()
    expected = {}
    for (kind, values), move in zip(entries, moves, strict=True):
        line = move.line_ids.filtered(lambda line: line.account_id == receivable)
        expected[line.id] = {"kind": kind, "expected": values["expected"]}
    statements = [(kind, values) for kind, values in planned if values.get("statement")]
    lines = (
        env["account.bank.statement.line"]
        .with_context(tracking_disable=True)
        .create(
            [
                {
                    "journal_id": journal.id,
                    "date": on_date,
                    "payment_ref": values["label"],
                    "account_number": values.get("bank_account") or False,
                    "amount": values["amount"],
                }
                for _kind, values in statements
            ]
        )
    )
    for (kind, values), statement_line in zip(statements, lines, strict=True):
        suspense = statement_line.move_id.line_ids.filtered(lambda line: line.account_id == journal.suspense_account_id)
        expected[suspense.id] = {"kind": kind, "expected": values["expected"]}
    env.flush_all()
    return expected


def generate(env, count, on_date):
    started = time.perf_counter()
    planned = plan(env, count)
    expected = create_credits(env, planned, on_date)
    unmatched = env["debtor.dunning.unmatched"].search([("company_id", "=", env.company.id)])
    missing = set(expected) - set(unmatched.ids)
    if missing:
        raise RuntimeError(
            f"{len(missing)} generated credits are not in the Unmatched Payments, e.g. {sorted(missing)[:5]}"
        )
    kinds = defaultdict(int)
    for entry in expected.values():
        kinds[entry["kind"]] += 1
    return expected, {
        "credits": len(expected),
        "unmatched_in_company": len(unmatched),
        "kinds": dict(kinds),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, default=1000, help="number of unmatched credits")
    parser.add_argument("--date", help="the credits' date (default: today)")
    parser.add_argument("--expected", required=True, help="JSON file for the expected first suggestions")
    args = parser.parse_args(argv)

    on_date = gi.day_or_today(args.date)
    with gi.superuser_env(args.config, args.database) as env:
        expected, summary = generate(env, args.count, on_date)
    with open(args.expected, "w") as handle:
        json.dump(expected, handle)
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
