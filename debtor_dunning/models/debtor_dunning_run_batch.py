# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from odoo import models
from odoo.tools import SQL

from .dunning_rules import (
    REASON_LOCKED,
    DebtorPolicy,
    InvoiceHistory,
    OpenInvoice,
    chased_due_date_sql,
    chased_move_sql,
    decide_for_debtor,
    open_instalment_sql,
    open_receivable_sql,
    overdue_instalment_sql,
)

PENDING_STATES = ("to_approve", "failed")


class DebtorDunningRun(models.Model):
    """One batch of debtors: read their open invoices, decide (`dunning_rules.decide_for_debtor`),
    record the letters. Reads and writes are set-based SQL: a run covers a hundred thousand invoices."""

    _inherit = "debtor.dunning.run"

    def _debtors_with_open_invoices(self):
        """Commercial partners with at least one open chased document in the run's company."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT m.commercial_partner_id
                  FROM account_move m
                 WHERE m.company_id = %(company)s
                   AND %(chased)s
                   AND m.commercial_partner_id IS NOT NULL
                 ORDER BY m.commercial_partner_id
                """,
                company=self.company_id.id,
                chased=chased_move_sql("m"),
            )
        )
        return [row[0] for row in rows]

    def _open_invoices(self, partner_ids):
        """Open chased documents of these debtors, with their open instalments' residual.

        Amounts in invoice currency (`residual*`) and company currency (`residual_company*`); the
        overdue amounts count only the instalments whose own due date has passed. The due date is
        `dunning_rules.chased_due_date`'s.
        """
        return self.env.execute_query_dict(
            SQL(
                """
                SELECT m.id, m.commercial_partner_id AS partner_id, m.currency_id, m.invoice_date,
                       %(date_due)s AS invoice_date_due,
                       m.amount_total, m.payment_state,
                       SUM(l.amount_residual_currency) AS residual,
                       SUM(l.amount_residual) AS residual_company,
                       COALESCE(SUM(l.amount_residual_currency) FILTER (WHERE %(overdue)s), 0) AS residual_overdue,
                       COALESCE(SUM(l.amount_residual) FILTER (WHERE %(overdue)s), 0) AS residual_company_overdue
                  FROM account_move m
                  JOIN account_move_line l ON l.move_id = m.id
                  JOIN account_account a ON a.id = l.account_id
                 WHERE m.company_id = %(company)s
                   AND %(chased)s
                   AND m.commercial_partner_id IN %(partners)s
                   AND %(open_instalment)s
                 GROUP BY m.id
                 ORDER BY 5, m.id
                """,
                company=self.company_id.id,
                partners=tuple(partner_ids),
                chased=chased_move_sql("m"),
                open_instalment=open_instalment_sql("l", "a"),
                date_due=chased_due_date_sql("m", SQL("MIN(l.date_maturity)")),
                overdue=overdue_instalment_sql("m", "l", self.date),
            )
        )

    def _open_credits(self, partner_ids):
        """{(partner, currency): amount}: credit notes and payments not yet matched with an invoice."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, l.currency_id, SUM(l.amount_residual_currency)
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.company_id = %(company)s
                   AND l.parent_state = 'posted'
                   AND %(open_receivable)s
                   AND l.amount_residual_currency < 0
                   AND p.commercial_partner_id IN %(partners)s
                 GROUP BY 1, 2
                """,
                company=self.company_id.id,
                partners=tuple(partner_ids),
                open_receivable=open_receivable_sql("l", "a"),
            )
        )
        return {(partner, currency): -amount for partner, currency, amount in rows}

    def _histories(self, move_ids):
        """{move_id: (level_id, letter date, pending)} for the highest level each invoice received."""
        if not move_ids:
            return {}
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (cl.move_id) cl.move_id, cl.level_id, c.date, c.state
                  FROM debtor_dunning_communication_line cl
                  JOIN debtor_dunning_communication c ON c.id = cl.communication_id
                  JOIN debtor_dunning_level lv ON lv.id = cl.level_id
                 WHERE cl.move_id IN %(moves)s AND NOT cl.is_preview AND NOT cl.is_cancelled
                 ORDER BY cl.move_id, lv.sequence DESC, cl.id DESC
                """,
                moves=tuple(move_ids),
            )
        )
        return {move_id: (level, letter_date, state in PENDING_STATES) for move_id, level, letter_date, state in rows}

    def _policies_of(self, partner_ids):
        """{partner_id: policy}: `res.partner._dunning_policies` (his own, his risk class's, the company's)."""
        return self.env["res.partner"].browse(partner_ids)._dunning_policies(self.company_id)

    def _process_batch(self, partner_ids, blocked_partners, blocked_moves, counts, reasons):
        invoices = self._open_invoices(partner_ids)
        if not invoices:
            return
        if not self.is_preview:
            # Invoices locked by another transaction (a payment being registered, an edit, a run of
            # another process) are left alone: whoever holds them may change them; the next run decides.
            moves = self.env["account.move"].browse([invoice["id"] for invoice in invoices])
            locked_ids = set(moves.try_lock_for_update(allow_referencing=True).ids)
            if len(locked_ids) < len(invoices):
                reasons[REASON_LOCKED] += len(invoices) - len(locked_ids)
            invoices = [invoice for invoice in invoices if invoice["id"] in locked_ids]
        invoice_by_id = {invoice["id"]: invoice for invoice in invoices}
        credits = self._open_credits(partner_ids)
        histories = self._histories(list(invoice_by_id))
        excluded = self._dunning_excluded_moves(list(invoice_by_id))
        resume_dates = self._dunning_resume_dates(list(invoice_by_id))
        policies = self._policies_of(partner_ids)
        debtor_policies = {}
        levels_by_id = {}
        by_partner = defaultdict(list)
        for invoice in invoices:
            level_id, letter_date, pending = histories.get(invoice["id"], (None, None, False))
            by_partner[invoice["partner_id"]].append(
                OpenInvoice(
                    move_id=invoice["id"],
                    currency_id=invoice["currency_id"],
                    residual=invoice["residual"],
                    residual_company_overdue=invoice["residual_company_overdue"],
                    history=InvoiceHistory(
                        date_due=invoice["invoice_date_due"],
                        last_level_id=level_id,
                        last_letter_date=letter_date,
                        last_letter_pending=pending,
                        resumed_on=resume_dates.get(invoice["id"]),
                    ),
                )
            )
        decisions = defaultdict(list)  # (partner, level, currency) -> invoices
        for partner_id, partner_invoices in by_partner.items():
            counts["evaluated"] += len(partner_invoices)
            policy = policies.get(partner_id)
            if policy and policy.id not in debtor_policies:
                debtor_policies[policy.id] = DebtorPolicy(
                    rules=tuple(policy._level_rules()),
                    residual_tolerance=policy.residual_tolerance,
                    minimum_overdue_amount=policy.minimum_overdue_amount,
                )
                levels_by_id.update({level.id: level for level in policy.level_ids})
            decision = decide_for_debtor(
                partner_invoices,
                debtor_policies[policy.id] if policy else None,
                self.date,
                credits={currency: amount for (partner, currency), amount in credits.items() if partner == partner_id},
                debtor_blocked=partner_id in blocked_partners,
                blocked_moves=blocked_moves,
                excluded_moves=excluded,
            )
            for code in decision.skipped.values():
                reasons[code] += 1
            for (level_id, currency_id), move_ids in decision.letters.items():
                decisions[(partner_id, level_id, currency_id)] = [invoice_by_id[move_id] for move_id in move_ids]
        self._create_communications(decisions, levels_by_id, counts)

    def _create_communications(self, decisions, levels_by_id, counts):
        """Record the batch's letters and their dossier lines, then let add-ons complete them.

        Written in a few set-based INSERT statements rather than through the ORM's create: over a
        hundred thousand invoices the ORM's per-record work (defaults, rounding, stored computes)
        costs most of the run. The values are those the ORM would have stored, the unique index on
        the lines still guards "exactly once", and the caches are invalidated.
        """
        if not decisions:
            return
        communication_ids = self._insert_communications(self._communication_rows(decisions, levels_by_id, counts))
        self._insert_communication_lines(self._communication_line_rows(decisions, communication_ids))
        communications = self.env["debtor.dunning.communication"].browse(communication_ids)
        communications.invalidate_recordset(["line_ids", "move_ids"])
        if not self.is_preview:
            # The invoices' status is read from the lines just written (see account.move._dunning_status_sql).
            self.env["account.move"].invalidate_model(
                ["dunning_level_id", "dunning_last_date", "dunning_state", "dunning_line_ids"]
            )
        communications._dunning_after_create()

    def _communication_rows(self, decisions, levels_by_id, counts):
        """{column: [value per letter]} for the letters decided, in the order of `decisions`."""
        partner_ids = list({partner_id for partner_id, _level, _currency in decisions})
        partners = self.env["res.partner"].browse(partner_ids)
        partners.fetch(["name"])
        recipients = partners._dunning_recipients()
        # One array per column and a single INSERT … SELECT FROM unnest(): far less for Python to
        # format and for PostgreSQL to parse than a VALUES row per letter or per invoice.
        letters = defaultdict(list)
        for (partner_id, level_id, currency_id), invoices in decisions.items():
            level = levels_by_id[level_id]
            if self.is_preview:
                state = "preview"
            elif level.requires_approval:
                state = "to_approve"
            else:
                state = "queued"
            counts[state] += 1
            letters["name"].append(
                f"{level.name or ''} - {self.env['res.partner'].browse(partner_id).name or ''} ({self.date})"
            )
            letters["partner_id"].append(partner_id)
            letters["recipient_id"].append(recipients.get(partner_id, partner_id))
            letters["level_id"].append(level_id)
            letters["currency_id"].append(currency_id)
            letters["pay_by_date"].append(
                self.date + timedelta(days=level.payment_term_days) if level.payment_term_days else None
            )
            letters["state"].append(state)
            letters["amount_residual"].append(sum(invoice["residual"] for invoice in invoices))
            letters["amount_overdue"].append(sum(invoice["residual_overdue"] for invoice in invoices))
        return letters

    def _insert_communications(self, letters):
        """Insert the letters (`_communication_rows`); return their ids in the order of the rows."""
        Communication = self.env["debtor.dunning.communication"]
        Communication.flush_model()
        self.env["debtor.dunning.level"].flush_model()  # its channels and policy are read below
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO debtor_dunning_communication
                    (name, run_id, company_id, partner_id, recipient_id, level_id, policy_id, currency_id,
                     date, pay_by_date, state, amount_residual, amount_overdue, channel_email, channel_sms,
                     channel_letter, channel_call, email_state, letter_state, call_state, send_attempts,
                     create_uid, create_date, write_uid, write_date)
                SELECT v.name, %(run)s, %(company)s, v.partner_id, v.recipient_id, v.level_id, lv.policy_id,
                       v.currency_id, %(date)s, v.pay_by_date, v.state, v.amount_residual, v.amount_overdue,
                       lv.channel_email, lv.channel_sms, lv.channel_letter, lv.channel_call,
                       'none', 'none', 'none', 0, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(name)s::varchar[], %(partner_id)s::int[], %(recipient_id)s::int[],
                              %(level_id)s::int[], %(currency_id)s::int[], %(pay_by_date)s::date[],
                              %(state)s::varchar[], %(amount_residual)s::numeric[], %(amount_overdue)s::numeric[])
                       AS v(name, partner_id, recipient_id, level_id, currency_id, pay_by_date, state,
                            amount_residual, amount_overdue)
                  JOIN debtor_dunning_level lv ON lv.id = v.level_id
                RETURNING id, partner_id, level_id, currency_id
                """,
                run=self.id,
                company=self.company_id.id,
                date=self.date,
                uid=self.env.uid,
                now=self.env.cr.now(),
                **letters,
            )
        )
        Communication.invalidate_model()
        # (partner, level, currency) is unique within a batch: it maps the new ids back to the rows.
        id_by_key = {(partner, level, currency): comm_id for comm_id, partner, level, currency in rows}
        keys = zip(letters["partner_id"], letters["level_id"], letters["currency_id"], strict=True)
        return [id_by_key[key] for key in keys]

    def _communication_line_rows(self, decisions, communication_ids):
        """{column: [value per dossier line]}: each decided invoice in its letter, with the run's snapshot."""
        columns = defaultdict(list)
        for communication_id, invoices in zip(communication_ids, decisions.values(), strict=True):
            for invoice in invoices:
                columns["communication_id"].append(communication_id)
                columns["move_id"].append(invoice["id"])
                columns["invoice_date"].append(invoice["invoice_date"])
                columns["invoice_date_due"].append(invoice["invoice_date_due"])
                columns["amount_total"].append(invoice["amount_total"])
                columns["amount_residual"].append(invoice["residual"])
                columns["days_overdue"].append(max((self.date - invoice["invoice_date_due"]).days, 0))
        return columns

    def _insert_communication_lines(self, columns):
        """Insert the dossier lines (`_communication_line_rows`); the unique index refuses a level twice."""
        Line = self.env["debtor.dunning.communication.line"]
        Line.flush_model()
        self.env.execute_query(
            SQL(
                """
                INSERT INTO debtor_dunning_communication_line
                    (communication_id, move_id, level_id, date, is_preview, is_cancelled,
                     invoice_date, invoice_date_due, amount_total, amount_residual, days_overdue)
                SELECT v.communication_id, v.move_id, c.level_id, c.date, %(is_preview)s, FALSE,
                       v.invoice_date, v.invoice_date_due, v.amount_total, v.amount_residual, v.days_overdue
                  FROM unnest(%(communication_id)s::int[], %(move_id)s::int[], %(invoice_date)s::date[],
                              %(invoice_date_due)s::date[], %(amount_total)s::numeric[],
                              %(amount_residual)s::numeric[], %(days_overdue)s::int[])
                       AS v(communication_id, move_id, invoice_date, invoice_date_due, amount_total,
                            amount_residual, days_overdue)
                  JOIN debtor_dunning_communication c ON c.id = v.communication_id
                """,
                is_preview=self.is_preview,
                **columns,
            )
        )
        Line.invalidate_model()
