# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import api, fields, models, sql_db
from odoo.modules import module as odoo_module
from odoo.tools import SQL, split_every

from .dunning_rules import InvoiceHistory, is_chased, next_level_due

_logger = logging.getLogger(__name__)

PARTNER_BATCH_SIZE = 1000
PENDING_STATES = ("to_approve", "failed")
# Class id of the PostgreSQL advisory lock (class, company id) held by the deciding run ("dunn").
RUN_LOCK_CLASS = 0x64756E6E


class DebtorDunningRun(models.Model):
    """One execution of the dunning for one company on one date.

    The run decides: it reads the open invoices in batches of debtors, applies the escalation
    rule of `dunning_rules` and records the communications. Rendering and sending follow in the
    scheduled step of `debtor.dunning.communication`, so deciding never waits on PDFs.
    """

    _name = "debtor.dunning.run"
    _description = "Dunning Run"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )
    is_preview = fields.Boolean(string="Preview", readonly=True)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        required=True,
        default="running",
        readonly=True,
    )
    user_id = fields.Many2one("res.users", string="Started By", default=lambda self: self.env.user, readonly=True)
    communication_ids = fields.One2many("debtor.dunning.communication", "run_id", string="Communications")
    evaluated_count = fields.Integer(string="Invoices Evaluated", readonly=True)
    sent_count = fields.Integer(string="Letters Decided", readonly=True, help="Communications queued for sending.")
    to_approve_count = fields.Integer(string="Awaiting Approval", readonly=True)
    blocked_count = fields.Integer(string="Skipped by Block", readonly=True)
    skipped_count = fields.Integer(string="Skipped (Other Reasons)", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    skip_reasons = fields.Json(readonly=True)
    skip_summary = fields.Html(compute="_compute_skip_summary", sanitize=True)
    error_message = fields.Text(readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 2))

    @api.depends("date", "company_id", "is_preview")
    def _compute_name(self):
        for run in self:
            label = self.env._("Preview") if run.is_preview else self.env._("Run")
            run.name = f"{label} {run.date} {run.company_id.name or ''}"

    @api.depends("skip_reasons")
    def _compute_skip_summary(self):
        for run in self:
            reasons = run.skip_reasons or {}
            items = "".join(
                f"<li>{count} × {reason}</li>" for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1])
            )
            run.skip_summary = f"<ul>{items}</ul>" if items else False

    # ------------------------------------------------------------------ public API
    @api.model
    def execute(self, date=None, preview=False):
        """Run the dunning for every company the user may access; return the run records.

        With `preview=True` nothing is sent or changed: the runs hold the communications that
        would go out on `date`, in state "preview".
        """
        on_date = fields.Date.to_date(date) if date else fields.Date.context_today(self)
        companies = self.env.user.company_ids
        runs = self.browse()
        for company in companies:
            run = self.with_company(company).create({"date": on_date, "company_id": company.id, "is_preview": preview})
            run.with_company(company)._process()
            runs |= run
        if not preview and runs.communication_ids:
            self.env["debtor.dunning.communication"]._trigger_sending()
        return runs

    @api.model
    def _cron_execute(self):
        """The scheduled run: today, every company of the cron's user."""
        return self.execute()

    def action_run_now(self):
        runs = self.execute()
        return runs._action_view()

    def action_preview(self):
        runs = self.execute(preview=True)
        return runs._action_view_communications()

    def action_view_communications(self):
        return self._action_view_communications()

    def _action_view(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("debtor_dunning.action_debtor_dunning_run")
        action["domain"] = [("id", "in", self.ids)]
        return action

    def _action_view_communications(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("debtor_dunning.action_debtor_dunning_communication")
        action["domain"] = [("run_id", "in", self.ids)]
        action["context"] = {"search_default_group_by_level": 1}
        return action

    @api.autovacuum
    def _gc_previews(self):
        """Previews are for looking, not for keeping."""
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=2)
        self.search([("is_preview", "=", True), ("create_date", "<", limit)]).unlink()

    # ------------------------------------------------------------------ the run
    def _process(self):
        self.ensure_one()
        started = time.monotonic()
        counts = Counter()
        reasons = Counter()
        Block = self.env["debtor.dunning.block"]
        partner_ids = self._debtors_with_open_invoices()
        in_cron = bool(self.env.context.get("cron_id"))
        with self._company_lock(in_cron) as alone:
            if not alone:
                # Another run of this company decides today's letters; two at once would only fight
                # over the same invoices (and one's rolled-back batch could hide debtors from the other).
                counts["skipped"] += len(partner_ids)
                reasons[self.env._("Debtors left to a concurrent run of this company")] += len(partner_ids)
                self._store_counts(counts, reasons, started, state="done")
                return True
            if not self.is_preview:
                self._fail_interrupted_runs()
                self._expire_blocks()
            blocked_partners, blocked_moves = Block._blocked_targets(self.company_id, self.date)
            for batch in split_every(PARTNER_BATCH_SIZE, partner_ids):
                # A batch that fails is rolled back: only what was committed may count.
                batch_counts, batch_reasons = Counter(), Counter()
                try:
                    with self.env.cr.savepoint():
                        self._process_batch(list(batch), blocked_partners, blocked_moves, batch_counts, batch_reasons)
                except (pg_errors.UniqueViolation, pg_errors.SerializationFailure, pg_errors.LockNotAvailable):
                    # A concurrent run decided these debtors first: the database refused the duplicate.
                    counts["skipped"] += len(batch)
                    reasons[self.env._("Debtors handled by a concurrent run")] += len(batch)
                except Exception as error:
                    # One bad batch must not stop the others; the run shows it and the next run retries.
                    _logger.exception("Dunning run %s: batch of %s debtors failed", self.id, len(batch))
                    counts["errors"] += len(batch)
                    reasons[self.env._("Error: %s", str(error))] += len(batch)
                else:
                    counts.update(batch_counts)
                    reasons.update(batch_reasons)
                self._store_counts(counts, reasons, started)
                if in_cron:
                    self.env["ir.cron"]._commit_progress(len(batch))
                # Keep memory bounded over a hundred thousand invoices.
                self.env.invalidate_all()
            self._store_counts(counts, reasons, started, state="done")
        return True

    @contextmanager
    def _company_lock(self, in_cron):
        """Yield whether this run may decide: at most one deciding run per company at a time.

        A PostgreSQL advisory lock on the company. A run in one transaction holds it until that
        transaction ends (commit or rollback), so that the next run sees all its letters. A run
        inside a cron commits batch by batch, so it holds the lock on a connection of its own for as
        long as it works; if its process dies, PostgreSQL closes the connection and frees the lock.
        Previews decide nothing and never wait for anyone.
        """
        if self.is_preview:
            yield True
            return
        key = (RUN_LOCK_CLASS, self.company_id.id)
        if not in_cron or odoo_module.current_test:
            # (In tests, commits are savepoints: the transaction lock lasts as long as the test.)
            [[acquired]] = self.env.execute_query(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", *key))
            yield acquired
            return
        with sql_db.db_connect(self.env.cr.dbname).cursor() as lock_cr:
            lock_cr.execute(SQL("SELECT pg_try_advisory_lock(%s, %s)", *key))
            [[acquired]] = lock_cr.fetchall()
            lock_cr.commit()  # the session lock stays; no transaction stays open beside the run
            try:
                yield acquired
            finally:
                if acquired:
                    lock_cr.execute(SQL("SELECT pg_advisory_unlock(%s, %s)", *key))
                    lock_cr.commit()

    def _fail_interrupted_runs(self):
        """Mark the runs of this company left "running" by a process that died; this run completes them.

        Only a run inside a cron is seen "running" by others (it commits batch by batch), and a live
        one holds the company lock, which this run holds now: the others left are dead. Their letters
        stay, every batch they committed is complete, and this run decides the debtors they left.
        """
        stale = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "running"),
                ("is_preview", "=", False),
                ("id", "!=", self.id),
            ]
        )
        if not stale:
            return
        try:
            with self.env.cr.savepoint():
                stale.write(
                    {
                        "state": "failed",
                        "error_message": self.env._(
                            "Interrupted before the end (its process stopped). "
                            "The run of %(date)s completed the debtors it had not reached.",
                            date=self.date,
                        ),
                    }
                )
        except pg_errors.SerializationFailure:
            # It committed its last batch after this run began: the next run marks it.
            _logger.info("Dunning run %s: interrupted runs %s left for the next run", self.id, stale.ids)

    def _expire_blocks(self):
        """Lift the blocks whose last day has passed, unless a concurrent run is doing just that.

        Two runs started together would otherwise both update the same blocks, and the second one
        would wait for the first and then fail on the concurrent update. Expiring is bookkeeping:
        `_blocked_targets` ignores ended blocks anyway, so the run that cannot lock them leaves them.
        """
        Block = self.env["debtor.dunning.block"]
        ended = Block.search([("state", "=", "active"), ("date_end", "!=", False), ("date_end", "<", self.date)])
        if not ended:
            return
        try:
            with self.env.cr.savepoint():
                if ended.try_lock_for_update() == ended:
                    Block._expire_blocks(self.date)
        except (pg_errors.SerializationFailure, pg_errors.LockNotAvailable):
            _logger.info("Dunning run %s: blocks expired by a concurrent run", self.id)

    def _store_counts(self, counts, reasons, started, state=None):
        values = {
            "evaluated_count": counts["evaluated"],
            "sent_count": counts["queued"] + counts["preview"],
            "to_approve_count": counts["to_approve"],
            "blocked_count": counts["blocked"],
            "skipped_count": counts["skipped"],
            "error_count": counts["errors"],
            "skip_reasons": dict(reasons),
            "duration": time.monotonic() - started,
        }
        if state:
            values["state"] = state
        self.write(values)

    def _debtors_with_open_invoices(self):
        """Commercial partners with at least one open posted customer invoice in the run's company."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT m.commercial_partner_id
                  FROM account_move m
                 WHERE m.company_id = %(company)s
                   AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_receipt')
                   AND m.payment_state IN ('not_paid', 'partial')
                   AND m.commercial_partner_id IS NOT NULL
                 ORDER BY m.commercial_partner_id
                """,
                company=self.company_id.id,
            )
        )
        return [row[0] for row in rows]

    def _open_invoices(self, partner_ids):
        """Open customer invoices of these debtors, with their receivable residual in invoice currency.

        Only receivable lines count, and lines excluded from follow-up (`no_followup`) do not.
        The due date is that of the earliest open instalment: Odoo's `invoice_date_due` is the last
        instalment's, which would leave an overdue first instalment unchased for months. An invoice
        without any due date (data imported or repaired by hand) falls back on its invoice date.
        The overdue amounts count only the instalments whose own due date has passed.
        """
        return self.env.execute_query_dict(
            SQL(
                """
                SELECT m.id, m.commercial_partner_id AS partner_id, m.currency_id, m.invoice_date,
                       COALESCE(MIN(l.date_maturity), m.invoice_date_due, m.invoice_date, m.date)
                           AS invoice_date_due,
                       m.amount_total, m.payment_state,
                       SUM(l.amount_residual_currency) AS residual,
                       SUM(l.amount_residual) AS residual_company,
                       COALESCE(SUM(l.amount_residual_currency) FILTER (WHERE %(overdue)s), 0) AS residual_overdue,
                       COALESCE(SUM(l.amount_residual) FILTER (WHERE %(overdue)s), 0) AS residual_company_overdue
                  FROM account_move m
                  JOIN account_move_line l ON l.move_id = m.id
                  JOIN account_account a ON a.id = l.account_id
                 WHERE m.company_id = %(company)s
                   AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_receipt')
                   AND m.payment_state IN ('not_paid', 'partial')
                   AND m.commercial_partner_id IN %(partners)s
                   AND a.account_type = 'asset_receivable'
                   AND NOT l.reconciled
                   AND NOT COALESCE(l.no_followup, FALSE)
                 GROUP BY m.id
                 ORDER BY 5, m.id
                """,
                company=self.company_id.id,
                partners=tuple(partner_ids),
                overdue=SQL("COALESCE(l.date_maturity, m.invoice_date_due, m.invoice_date, m.date) < %s", self.date),
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
                   AND a.account_type = 'asset_receivable'
                   AND NOT l.reconciled
                   AND l.amount_residual_currency < 0
                   AND p.commercial_partner_id IN %(partners)s
                 GROUP BY 1, 2
                """,
                company=self.company_id.id,
                partners=tuple(partner_ids),
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
        """{partner_id: policy} from the debtor's own policy in this company, else the company's.

        One narrow read of the company-dependent column: the ORM would fetch whole partners.
        """
        default = self.company_id.dunning_policy_id
        self.env["res.partner"].flush_model(["dunning_policy_id"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id, (dunning_policy_id->>%s)::int FROM res_partner WHERE id IN %s",
                str(self.company_id.id),
                tuple(partner_ids),
            )
        )
        Policy = self.env["debtor.dunning.policy"]
        own = {partner_id: Policy.browse(policy_id) for partner_id, policy_id in rows if policy_id}
        return {partner_id: own.get(partner_id) or default for partner_id in partner_ids}

    def _process_batch(self, partner_ids, blocked_partners, blocked_moves, counts, reasons):
        invoices = self._open_invoices(partner_ids)
        if not invoices:
            return
        locked_ids = set()
        if not self.is_preview:
            # Invoices locked by another transaction (a payment being registered, an edit, a run of
            # another process) are left alone: whoever holds them may change them; the next run decides.
            moves = self.env["account.move"].browse([invoice["id"] for invoice in invoices])
            locked_ids = set(moves.try_lock_for_update(allow_referencing=True).ids)
            if len(locked_ids) < len(invoices):
                skipped = len(invoices) - len(locked_ids)
                counts["skipped"] += skipped
                reasons[self.env._("Invoice locked by another transaction: the next run decides it")] += skipped
            invoices = [invoice for invoice in invoices if invoice["id"] in locked_ids]
        credits = self._open_credits(partner_ids)
        histories = self._histories([invoice["id"] for invoice in invoices])
        policies = self._policies_of(partner_ids)
        rules_by_policy = {}
        levels_by_id = {}
        by_partner = defaultdict(list)
        for invoice in invoices:
            by_partner[invoice["partner_id"]].append(invoice)
        decisions = defaultdict(list)  # (partner, level, currency) -> invoices
        for partner_id, partner_invoices in by_partner.items():
            counts["evaluated"] += len(partner_invoices)
            policy = policies.get(partner_id)
            if not policy or not policy.level_ids:
                counts["skipped"] += len(partner_invoices)
                reasons[self.env._("No dunning policy for the debtor or the company")] += len(partner_invoices)
                continue
            if partner_id in blocked_partners:
                counts["blocked"] += len(partner_invoices)
                reasons[self.env._("Debtor blocked: %s", blocked_partners[partner_id])] += len(partner_invoices)
                continue
            if policy.id not in rules_by_policy:
                rules_by_policy[policy.id] = policy._level_rules()
                levels_by_id.update({level.id: level for level in policy.level_ids})
            rules = rules_by_policy[policy.id]
            self._decide_for_partner(
                partner_id,
                partner_invoices,
                policy,
                rules,
                credits,
                histories,
                blocked_moves,
                decisions,
                counts,
                reasons,
            )
        self._create_communications(decisions, levels_by_id, counts)

    def _decide_for_partner(
        self, partner_id, invoices, policy, rules, credits, histories, blocked_moves, decisions, counts, reasons
    ):
        tolerance = policy.residual_tolerance
        open_invoices = []
        for invoice in invoices:
            if not is_chased(invoice["residual"], tolerance):
                counts["skipped"] += 1
                reasons[self.env._("Open amount within the policy's tolerance")] += 1
            elif invoice["id"] in blocked_moves:
                counts["blocked"] += 1
                reasons[self.env._("Invoice blocked: %s", blocked_moves[invoice["id"]])] += 1
            else:
                open_invoices.append(invoice)
        # Net of credit notes and unmatched payments, per currency: a debtor whose credit covers
        # his open invoices owes nothing and is not chased.
        per_currency = defaultdict(float)
        for invoice in open_invoices:
            per_currency[invoice["currency_id"]] += invoice["residual"]
        covered = {
            currency
            for currency, total in per_currency.items()
            if not is_chased(total - credits.get((partner_id, currency), 0.0), tolerance)
        }
        overdue_company = sum(invoice["residual_company_overdue"] for invoice in open_invoices)
        below_minimum = overdue_company < policy.minimum_overdue_amount
        level_ids = {rule.level_id for rule in rules}
        for invoice in open_invoices:
            if invoice["currency_id"] in covered:
                counts["skipped"] += 1
                reasons[self.env._("Covered by credit notes or payments not yet matched")] += 1
                continue
            level_id, letter_date, pending = histories.get(invoice["id"], (None, None, False))
            if level_id is not None and level_id not in level_ids:
                # The debtor moved to another policy (or the level to another ladder) after the last
                # letter: where to go on is the controller's decision, never a silent stop.
                counts["skipped"] += 1
                reasons[self.env._("Last letter not in the debtor's current policy: a controller decides")] += 1
                continue
            history = InvoiceHistory(
                date_due=invoice["invoice_date_due"],
                last_level_id=level_id,
                last_letter_date=letter_date,
                last_letter_pending=pending,
            )
            rule = next_level_due(rules, history, self.date)
            if rule is None:
                continue
            if below_minimum and rule.day_offset >= 0:
                counts["skipped"] += 1
                reasons[self.env._("Overdue total below the policy's minimum")] += 1
                continue
            decisions[(partner_id, rule.level_id, invoice["currency_id"])].append(invoice)

    def _create_communications(self, decisions, levels_by_id, counts):
        """Record the batch's letters, their dossier lines and the invoices' new level.

        Written in a few set-based INSERT and UPDATE statements rather than through the ORM's
        create: over a hundred thousand invoices the ORM's per-record work (defaults, rounding,
        stored computes) costs most of the run. The values are those the ORM would have stored,
        the unique index on the lines still guards "exactly once", and the caches are invalidated.
        """
        if not decisions:
            return
        keys = list(decisions)
        partner_ids = list({partner_id for partner_id, _level, _currency in keys})
        partners = self.env["res.partner"].browse(partner_ids)
        partners.fetch(["name"])
        recipients = partners._dunning_recipients()
        uid, now = self.env.uid, self.env.cr.now()
        # One array per column and a single INSERT … SELECT FROM unnest(): far less for Python to
        # format and for PostgreSQL to parse than a VALUES row per letter or per invoice.
        letters = defaultdict(list)
        for partner_id, level_id, currency_id in keys:
            level = levels_by_id[level_id]
            invoices = decisions[(partner_id, level_id, currency_id)]
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
                uid=uid,
                now=now,
                **letters,
            )
        )
        communication_by_key = {(partner, level, currency): comm_id for comm_id, partner, level, currency in rows}
        communication_ids = [communication_by_key[key] for key in keys]
        Communication.invalidate_model()
        columns = defaultdict(list)
        for communication_id, key in zip(communication_ids, keys, strict=True):
            for invoice in decisions[key]:
                columns["communication_id"].append(communication_id)
                columns["move_id"].append(invoice["id"])
                columns["invoice_date"].append(invoice["invoice_date"])
                columns["invoice_date_due"].append(invoice["invoice_date_due"])
                columns["amount_total"].append(invoice["amount_total"])
                columns["amount_residual"].append(invoice["residual"])
                columns["days_overdue"].append(max((self.date - invoice["invoice_date_due"]).days, 0))
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
        Communication.invalidate_model(["line_ids", "move_ids"])
        if not self.is_preview:
            # The invoices' status is read from the lines just written (see account.move._dunning_status_sql).
            self.env["account.move"].invalidate_model(
                ["dunning_level_id", "dunning_last_date", "dunning_state", "dunning_line_ids"]
            )
