# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import time
from collections import Counter
from contextlib import contextmanager

from psycopg2 import errors as pg_errors

from odoo import api, fields, models, sql_db
from odoo.exceptions import AccessError
from odoo.modules import module as odoo_module
from odoo.tools import SQL, html_escape, split_every

from . import dunning_rules as rules
from .dunning_rules import BLOCK_REASONS, REASON_CONCURRENT_RUN, REASON_ERROR

_logger = logging.getLogger(__name__)

PARTNER_BATCH_SIZE = 1000
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
    skip_reasons = fields.Json(readonly=True, help="Reason code -> number of invoices (or debtors) left alone.")
    skip_summary = fields.Html(compute="_compute_skip_summary", sanitize=True)
    step_counts = fields.Json(readonly=True, help="What the daily steps did: step code -> count.")
    step_summary = fields.Html(string="Daily Steps", compute="_compute_step_summary", sanitize=True)
    error_message = fields.Text(readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 2))

    @api.depends("date", "company_id", "is_preview")
    def _compute_name(self):
        for run in self:
            label = self.env._("Preview") if run.is_preview else self.env._("Run")
            run.name = f"{label} {run.date} {run.company_id.name or ''}"

    @api.depends("skip_reasons")
    def _compute_skip_summary(self):
        labels = self._dunning_reason_labels()
        for run in self:
            run.skip_summary = self._counts_as_html(run.skip_reasons, labels)

    @api.depends("step_counts")
    def _compute_step_summary(self):
        labels = self._dunning_step_labels()
        for run in self:
            run.step_summary = self._counts_as_html(run.step_counts, labels)

    @api.model
    def _counts_as_html(self, counts, labels):
        items = "".join(
            f"<li>{html_escape(labels.get(code, code))}: {count}</li>"
            for code, count in sorted((counts or {}).items(), key=lambda item: (-item[1], item[0]))
        )
        return f"<ul>{items}</ul>" if items else False

    @api.model
    def _dunning_reason_labels(self):
        """{reason code: label} for the codes a run stores in `skip_reasons`.

        The one place where reason codes get their (translated) words. An add-on that leaves invoices
        out of the run through `_dunning_excluded_moves` registers its codes here::

            def _dunning_reason_labels(self):
                return super()._dunning_reason_labels() | {"arrangement": self.env._("In a payment arrangement")}
        """
        return {
            rules.REASON_TOLERANCE: self.env._("Open amount within the policy's tolerance"),
            rules.REASON_BLOCKED_INVOICE: self.env._("Invoice blocked"),
            rules.REASON_BLOCKED_DEBTOR: self.env._("Debtor blocked"),
            rules.REASON_COVERED_BY_CREDIT: self.env._("Covered by credit notes or payments not yet matched"),
            rules.REASON_BELOW_MINIMUM: self.env._("Overdue total below the policy's minimum"),
            rules.REASON_POLICY_CHANGED: self.env._(
                "Last letter not in the debtor's current policy: a controller decides"
            ),
            rules.REASON_NO_POLICY: self.env._("No dunning policy for the debtor or the company"),
            rules.REASON_LOCKED: self.env._("Invoice locked by another transaction: the next run decides it"),
            rules.REASON_CONCURRENT_RUN: self.env._("Debtors left to a concurrent run of this company"),
            rules.REASON_ERROR: self.env._("Debtors not decided because of an error (see below)"),
        }

    @api.model
    def _dunning_step_labels(self):
        """{step code: label} for the counts the daily steps report (`_dunning_daily_steps`)."""
        return {
            "promises_kept": self.env._("Promises to pay kept"),
            "promises_broken": self.env._("Promises to pay broken"),
            "blocks_expired": self.env._("Blocks expired"),
            "risk_recomputed": self.env._("Risk profiles recomputed"),
        }

    # ------------------------------------------------------------------ public API
    @api.model
    def execute(self, date=None, preview=False, companies=None):
        """Run the dunning for `companies` (default: every company of the user); return the runs.

        On `date` (default today) as that day would have it: the daily steps of every add-on first
        (`_dunning_daily_steps`), then the letters. With `preview=True` nothing is sent or changed:
        the runs hold the communications that would go out on `date`, in state "preview".
        """
        on_date = fields.Date.to_date(date) if date else fields.Date.context_today(self)
        if companies is None:
            companies = self.env.user.company_ids
        elif not companies <= self.env.user.company_ids:
            raise AccessError(self.env._("You can only run the dunning for your own companies."))
        runs = self.browse()
        for company in companies:
            run = self.with_company(company).create({"date": on_date, "company_id": company.id, "is_preview": preview})
            run.with_company(company)._process()
            runs |= run
        # The runs are read back for all their companies, not only the one selected in the switcher.
        runs = runs.with_context(allowed_company_ids=companies.ids)
        if not preview and runs.communication_ids:
            self.env["debtor.dunning.communication"]._trigger_sending()
        return runs

    @api.model
    def _cron_execute(self):
        """The scheduled run: today, every company of the cron's user."""
        return self.execute(companies=self.env.user.company_ids)

    def action_run_now(self):
        """Run now for the companies selected in the company switcher."""
        runs = self.execute(companies=self.env.companies)
        return runs._action_view()

    def action_preview(self):
        """Preview today's letters for the companies selected in the company switcher."""
        runs = self.execute(preview=True, companies=self.env.companies)
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
        errors = []
        Block = self.env["debtor.dunning.block"]
        in_cron = bool(self.env.context.get("cron_id"))
        with self._company_lock(in_cron) as alone:
            partner_ids = self._debtors_with_open_invoices()
            if not alone:
                # Another run of this company decides today's letters; two at once would only fight
                # over the same invoices (and one's rolled-back batch could hide debtors from the other).
                reasons[REASON_CONCURRENT_RUN] += len(partner_ids)
                self._store_counts(counts, reasons, started, state="done")
                return True
            if not self.is_preview:
                self._fail_interrupted_runs()
                self._run_daily_steps(errors)
                partner_ids = self._debtors_with_open_invoices()  # the steps may have settled some
            blocked_partners, blocked_moves = Block._blocked_targets(self.company_id, self.date)
            for batch in split_every(PARTNER_BATCH_SIZE, partner_ids):
                # A batch that fails is rolled back: only what was committed may count.
                batch_counts, batch_reasons = Counter(), Counter()
                try:
                    with self.env.cr.savepoint():
                        self._process_batch(list(batch), blocked_partners, blocked_moves, batch_counts, batch_reasons)
                except (pg_errors.UniqueViolation, pg_errors.SerializationFailure, pg_errors.LockNotAvailable):
                    # A concurrent run decided these debtors first: the database refused the duplicate.
                    reasons[REASON_CONCURRENT_RUN] += len(batch)
                except Exception as error:
                    # One bad batch must not stop the others; the run shows it and the next run retries.
                    _logger.exception("Dunning run %s: batch of %s debtors failed", self.id, len(batch))
                    reasons[REASON_ERROR] += len(batch)
                    errors.append(self.env._("A batch of %(count)s debtors: %(error)s", count=len(batch), error=error))
                else:
                    counts.update(batch_counts)
                    reasons.update(batch_reasons)
                self._store_counts(counts, reasons, started, errors=errors)
                if in_cron:
                    self.env["ir.cron"]._commit_progress(len(batch))
                # Keep memory bounded over a hundred thousand invoices.
                self.env.invalidate_all()
            self._store_counts(counts, reasons, started, state="done", errors=errors)
        return True

    def _run_daily_steps(self, errors):
        """Run the date-driven work of every add-on for this run's company and date, and keep its counts.

        A failing step is rolled back and shown on the run; the letters are still decided.
        """
        try:
            with self.env.cr.savepoint():
                step_counts = self._dunning_daily_steps()
        except Exception as error:
            _logger.exception("Dunning run %s: the daily steps failed", self.id)
            errors.append(self.env._("Daily steps: %s", error))
            return
        self.step_counts = {code: count for code, count in (step_counts or {}).items() if count}

    def _dunning_daily_steps(self):
        """Hook: the work that falls due on `self.date` for `self.company_id`; return {step code: count}.

        Called at the start of every real run (never for a preview), before the letters are decided,
        so that `execute(date=D)` on any date D simulates that day completely. The daily run is the
        one clock of credit control: add-ons do their date-driven work here (instalment reminders,
        broken arrangements, collection checks) on sets, and report counts whose labels they add to
        `_dunning_step_labels`::

            def _dunning_daily_steps(self):
                counts = super()._dunning_daily_steps()
                reminded = self.env["my.model"]._send_reminders(self.company_id, self.date)
                return counts | {"reminders_sent": len(reminded)}

        The core judges the promises to pay (`debtor.dunning.block._check_promises`, before blocks
        expire, since a promise's block ends the day after the promised day), lifts the blocks whose
        last day has passed and recomputes the risk profiles of the debtors whose ledger changed
        (`res.partner._dunning_recompute_risk`), before the letters are decided, since a debtor's risk
        class may choose his policy.
        """
        self.ensure_one()
        kept, broken = self.env["debtor.dunning.block"]._check_promises(self.company_id, self.date)
        return {
            "promises_kept": len(kept),
            "promises_broken": len(broken),
            "blocks_expired": self._expire_blocks(),
            "risk_recomputed": self.env["res.partner"]._dunning_recompute_risk(self.company_id, self.date),
        }

    def _dunning_excluded_moves(self, move_ids):
        """Hook: {move_id: reason code} for those of `move_ids` the run must leave alone on `self.date`.

        Called once per batch of debtors with their open invoices. An add-on that takes invoices out
        of the dunning (an active payment arrangement, a claim handed to an agency) answers for its
        own invoices in one query and registers its codes in `_dunning_reason_labels`::

            def _dunning_excluded_moves(self, move_ids):
                excluded = super()._dunning_excluded_moves(move_ids)
                for move in self.env["account.move"].browse(move_ids).filtered("my_flag"):
                    excluded.setdefault(move.id, "my_reason")
                return excluded
        """
        self.ensure_one()
        return {}

    def _dunning_resume_dates(self, move_ids):
        """Hook: {move_id: date} from which the dunning of those of `move_ids` resumes after a pause.

        Called once per batch with its open invoices. For an invoice an add-on held back for a while
        (a payment arrangement that lapsed), the run counts the minimum gap before the next letter and
        the payment term of the last one from the later of its last letter's date and this date, so
        that dunning resumes with the next level after the last one received, neither at once nor
        skipping one. Answer in one query::

            def _dunning_resume_dates(self, move_ids):
                resume = super()._dunning_resume_dates(move_ids)
                for move_id, ended in self._my_pauses_ended(move_ids):  # one query
                    resume[move_id] = max(resume.get(move_id, ended), ended)
                return resume
        """
        self.ensure_one()
        return {}

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
        """Lift this company's blocks whose last day has passed; return how many.

        Unless a concurrent run is doing just that: two runs started together would otherwise both
        update the same blocks, and the second one would wait for the first and then fail on the
        concurrent update. Expiring is bookkeeping: `_blocked_targets` ignores ended blocks anyway,
        so the run that cannot lock them leaves them.
        """
        Block = self.env["debtor.dunning.block"]
        ended = Block.search(Block._ended_domain(self.date, self.company_id))
        if not ended:
            return 0
        try:
            with self.env.cr.savepoint():
                if ended.try_lock_for_update() == ended:
                    return len(Block._expire_blocks(self.date, self.company_id))
        except (pg_errors.SerializationFailure, pg_errors.LockNotAvailable):
            _logger.info("Dunning run %s: blocks expired by a concurrent run", self.id)
        return 0

    def _store_counts(self, counts, reasons, started, state=None, errors=()):
        """Write the counts; blocked, skipped and errors are read from the reason codes."""
        blocked = sum(count for code, count in reasons.items() if code in BLOCK_REASONS)
        values = {
            "evaluated_count": counts["evaluated"],
            "sent_count": counts["queued"] + counts["preview"],
            "to_approve_count": counts["to_approve"],
            "blocked_count": blocked,
            "skipped_count": sum(reasons.values()) - blocked - reasons[REASON_ERROR],
            "error_count": reasons[REASON_ERROR],
            "skip_reasons": dict(reasons),
            "duration": time.monotonic() - started,
        }
        if errors:
            values["error_message"] = "\n".join(errors)
        if state:
            values["state"] = state
        self.write(values)
