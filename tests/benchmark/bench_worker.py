# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One measurement in a fresh process, started by ``run_benchmark.py``; prints one JSON line.

Each measurement gets its own process so that the peak memory (``ru_maxrss``) is that of one run.
The registry is loaded before the clock starts; the measured part ends with the commit.

``--measure``:
  setup  configure a freshly installed database (OCA's three-level policy on the receivable accounts,
         the report URL of the benchmark's Odoo server)
  ours   ``debtor.dunning.run.execute(date)``: evaluate, decide, create the communications and their
         lines, stored computes on the invoices, queue the sending (the cron trigger)
  oca    ``credit.control.run.generate_credit_lines()`` with OCA's "3 time policy"
  pdf    render a sample of queued letters to PDF as the sending cron does (batch), then one by one
         (letters per second, KB per letter, letters with extractable text), then send them with the
         PDF already attached (e-mails queued per second); rolled back
"""

import argparse
import datetime
import json
import os
import resource
import sys
import time
from collections import defaultdict


def _rss_mb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class QueryLog:
    """Counts (and with `detail`, times per statement shape) every query of odoo.sql_db cursors."""

    def __init__(self, detail=False):
        from odoo import sql_db

        self.sql_db = sql_db
        self.detail = detail
        self.by_shape = defaultdict(lambda: [0, 0.0])
        self._original = None

    def count(self):
        return self.sql_db.sql_counter

    def __enter__(self):
        if self.detail:
            import re

            cursor_class = self.sql_db.Cursor
            original = self._original = cursor_class.execute
            by_shape = self.by_shape
            spaces = re.compile(r"\s+")
            literals = re.compile(r"\b\d+\b|'[^']*'")

            def execute(cursor, query, params=None, log_exceptions=True):
                started = time.perf_counter()
                try:
                    return original(cursor, query, params, log_exceptions)
                finally:
                    text = query if isinstance(query, str) else getattr(query, "code", str(query))
                    shape = literals.sub("?", spaces.sub(" ", text).strip())[:160]
                    entry = by_shape[shape]
                    entry[0] += 1
                    entry[1] += time.perf_counter() - started

            cursor_class.execute = execute
        return self

    def __exit__(self, *exc):
        if self._original:
            self.sql_db.Cursor.execute = self._original

    def top(self, count):
        rows = sorted(self.by_shape.items(), key=lambda kv: -kv[1][1])[:count]
        return [[calls, round(seconds, 3), shape[:110]] for shape, (calls, seconds) in rows]

    def report(self, top=25):
        rows = sorted(self.by_shape.items(), key=lambda kv: -kv[1][1])[:top]
        lines = [f"{'calls':>8} {'seconds':>9}  statement"]
        lines += [f"{calls:>8} {seconds:>9.3f}  {shape}" for shape, (calls, seconds) in rows]
        return "\n".join(lines)


# Where our run's time goes, measured without a profiler: (model, method) -> accumulated seconds.
# Nested entries overlap (the inserts are part of _create_communications).
PHASES = [
    ("debtor.dunning.run", "_debtors_with_open_invoices"),
    ("debtor.dunning.run", "_open_invoices"),
    ("debtor.dunning.run", "_open_credits"),
    ("debtor.dunning.run", "_histories"),
    ("debtor.dunning.run", "_policies_of"),
    ("debtor.dunning.run", "_dunning_daily_steps"),
    ("debtor.dunning.run", "_dunning_excluded_moves"),
    ("debtor.dunning.run", "_dunning_resume_dates"),
    ("debtor.dunning.run", "_create_communications"),
    ("debtor.dunning.run", "_insert_communications"),
    ("debtor.dunning.run", "_insert_communication_lines"),
    ("account.move", "try_lock_for_update"),
    ("account.move", "_compute_dunning_status"),
    ("debtor.dunning.run", "_store_counts"),
]


def instrument_phases(env, queries):
    """Wrap PHASES on the registry classes; return {label: [calls, seconds, queries]}."""
    totals = {}
    for model, method in PHASES:
        model_class = type(env[model])
        original = getattr(model_class, method, None)
        if original is None:
            continue
        label = f"{model}.{method}"
        totals[label] = entry = [0, 0.0, 0]

        def wrapper(self, *args, _original=original, _entry=entry, **kwargs):
            started, q0 = time.perf_counter(), queries.count()
            try:
                return _original(self, *args, **kwargs)
            finally:
                _entry[0] += 1
                _entry[1] += time.perf_counter() - started
                _entry[2] += queries.count() - q0

        for marker in ("_api_model_create_multi", "_api_model", "_api_private"):
            if hasattr(original, marker):
                setattr(wrapper, marker, getattr(original, marker))
        setattr(model_class, method, wrapper)
    return totals


def measure_setup(env, args):
    """OCA's shipped three-level policy, on every receivable account; the benchmark server's URL."""
    receivables = env["account.account"].search([("account_type", "=", "asset_receivable")])
    policy = env.ref("account_credit_control.credit_control_3_time")
    policy.account_ids = [(6, 0, receivables.ids)]
    env.company.credit_policy_id = policy
    if args.report_url:
        params = env["ir.config_parameter"]
        params.set_param("report.url", args.report_url)
        params.set_param("web.base.url", args.report_url)
        params.set_param("web.base.url.freeze", "True")
    levels = [(level.level, level.computation_mode, level.delay_days, level.channel) for level in policy.level_ids]
    return {"oca_policy": policy.name, "oca_levels": levels, "receivable_accounts": len(receivables)}


def measure_ours(env, args, queries):
    on_date = datetime.date.fromisoformat(args.date)
    Run = env["debtor.dunning.run"]
    run_class = type(Run)
    batch_starts = []
    original_batch = run_class._process_batch

    def process_batch(self, partner_ids, *rest, **kwargs):
        batch_starts.append((len(partner_ids), queries.count(), time.perf_counter()))
        return original_batch(self, partner_ids, *rest, **kwargs)

    run_class._process_batch = process_batch
    store_ends = []
    original_store = run_class._store_counts

    def store_counts(self, *rest, **kwargs):
        try:
            return original_store(self, *rest, **kwargs)
        finally:
            store_ends.append((queries.count(), time.perf_counter()))

    run_class._store_counts = store_counts
    phases = instrument_phases(env, queries) if args.phases else {}
    rss_before = _rss_mb()
    q0 = queries.count()
    started = time.perf_counter()
    runs = Run.execute(date=on_date, preview=False)
    env.flush_all()
    env.cr.commit()
    seconds = time.perf_counter() - started
    total_queries = queries.count() - q0
    # A batch = its savepoint, _process_batch, and the counts stored after it. Batch i runs from its
    # start to the start of batch i+1 (whose savepoint is one query before it); the last batch ends
    # where the counts stored after it end, plus its own savepoint. The rest is fixed per run.
    batches = []
    for index, (size, q_start, t_start) in enumerate(batch_starts):
        if index + 1 < len(batch_starts):
            q_end, t_end = batch_starts[index + 1][1:]
        else:
            q_end, t_end = store_ends[index][0] + 1, store_ends[index][1]
        batches.append({"debtors": size, "queries": q_end - q_start, "seconds": round(t_end - t_start, 3)})
    env.cr.execute(
        """
        SELECT count(DISTINCT c.id), count(l.id), count(DISTINCT c.id) FILTER (WHERE c.state = 'queued')
          FROM debtor_dunning_communication c
          LEFT JOIN debtor_dunning_communication_line l ON l.communication_id = c.id
         WHERE c.run_id IN %s
        """,
        (tuple(runs.ids),),
    )
    communications, lines, queued = env.cr.fetchone()
    per_batch = [batch["queries"] for batch in batches]
    return {
        "seconds": round(seconds, 3),
        "queries": total_queries,
        "batches": len(batches),
        "batch_queries": per_batch,
        "batch_seconds": [batch["seconds"] for batch in batches],
        "batch_debtors": [batch["debtors"] for batch in batches],
        "fixed_queries": total_queries - sum(per_batch),
        "evaluated": sum(runs.mapped("evaluated_count")),
        "letters_decided": sum(runs.mapped("sent_count")),
        "to_approve": sum(runs.mapped("to_approve_count")),
        "skipped": sum(runs.mapped("skipped_count")),
        "errors": sum(runs.mapped("error_count")),
        "communications": communications,
        "queued": queued,
        "communication_lines": lines,
        "run_duration": round(sum(runs.mapped("duration")), 3),
        "phases": {label: [calls, round(seconds, 3), count] for label, (calls, seconds, count) in phases.items()},
        "sql_seconds": round(sum(seconds for _calls, seconds in queries.by_shape.values()), 3)
        if queries.detail
        else None,
        "sql_top": queries.top(10) if queries.detail else None,
        "rss_before_mb": round(rss_before, 1),
    }


def measure_oca(env, args, queries):
    on_date = datetime.date.fromisoformat(args.date)
    policy = env.ref("account_credit_control.credit_control_3_time")
    run = env["credit.control.run"].create({"date": on_date, "policy_ids": [(6, 0, policy.ids)]})
    env.cr.commit()
    rss_before = _rss_mb()
    q0 = queries.count()
    started = time.perf_counter()
    run.generate_credit_lines()
    env.flush_all()
    env.cr.commit()
    seconds = time.perf_counter() - started
    total_queries = queries.count() - q0
    env.cr.execute(
        "SELECT level, count(*) FROM credit_control_line WHERE run_id = %s GROUP BY level ORDER BY level", (run.id,)
    )
    by_level = dict(env.cr.fetchall())
    return {
        "seconds": round(seconds, 3),
        "queries": total_queries,
        "credit_lines": sum(by_level.values()),
        "credit_lines_by_level": by_level,
        "rss_before_mb": round(rss_before, 1),
    }


class _Undo(Exception):
    """Rolls a measurement back to its savepoint."""


def _pdf_text(content):
    """The text a reader can copy from a PDF (none when wkhtmltopdf drew the letters as outlines)."""
    import io

    from odoo.tools.pdf import PdfFileReader

    reader = PdfFileReader(io.BytesIO(content))
    return "".join(reader.getPage(number).extract_text() for number in range(reader.getNumPages())).strip()


def measure_pdf(env, args, queries):
    Communication = env["debtor.dunning.communication"]
    sample = Communication.search([("state", "=", "queued")], order="id", limit=args.sample + 1)
    if len(sample) < 2:
        return {"error": "no queued letters to render"}
    warm, sample = sample[:1], sample[1:]
    warm._render_letter()  # compiles the report's templates and assets outside the clock
    # As the sending cron renders them: the batch joined into few wkhtmltopdf calls. Undone after.
    started = time.perf_counter()
    try:
        with env.cr.savepoint():
            sample._prerender_letters()
            batch_seconds = time.perf_counter() - started
            batch_pdfs = [attachment.raw or b"" for attachment in sample.letter_attachment_id]
            raise _Undo
    except _Undo:
        env.invalidate_all()
    q0 = queries.count()
    started = time.perf_counter()
    pdfs = []
    for communication in sample:
        attachment = communication._render_letter()
        pdfs.append(attachment.raw or b"")
        if not pdfs[-1].startswith(b"%PDF"):
            return {"error": f"letter {communication.id} is not a PDF"}
        communication.letter_attachment_id = attachment
    env.flush_all()
    render_seconds = time.perf_counter() - started
    render_queries = queries.count() - q0
    started = time.perf_counter()
    sample.with_context(mail_notify_force_send=False)._send()
    env.flush_all()
    send_seconds = time.perf_counter() - started
    sent = sample.filtered(lambda communication: communication.state == "sent")
    env.cr.rollback()
    return {
        "letters": len(sample),
        "render_seconds": round(render_seconds, 3),
        "letters_per_second": round(len(sample) / render_seconds, 2),
        "batch_rendered": len(batch_pdfs),
        "batch_seconds": round(batch_seconds, 3),
        "batch_letters_per_second": round(len(batch_pdfs) / batch_seconds, 2),
        "batch_kb_per_letter": round(sum(map(len, batch_pdfs)) / max(len(batch_pdfs), 1) / 1024, 1),
        "batch_letters_with_text": sum(1 for content in batch_pdfs if _pdf_text(content)),
        "render_queries_per_letter": round(render_queries / len(sample), 1),
        "pdf_kb_avg": round(sum(map(len, pdfs)) / len(pdfs) / 1024, 1),
        "letters_with_text": sum(1 for content in pdfs if _pdf_text(content)),
        "send_seconds": round(send_seconds, 3),
        "sent": len(sent),
        "sends_per_second": round(len(sample) / send_seconds, 2),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--measure", required=True, choices=["setup", "ours", "oca", "pdf"])
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    parser.add_argument("--sample", type=int, default=50, help="letters rendered by --measure pdf")
    parser.add_argument("--report-url", help="for --measure setup: URL of the benchmark's Odoo server")
    parser.add_argument("--profile", help="write a cProfile and SQL report of the measurement to this file")
    parser.add_argument("--phases", action="store_true", help="ours: time the run's steps (wrappers, no profiler)")
    parser.add_argument("--sql-report", help="ours: time every SQL statement (no profiler); report to this file")
    args = parser.parse_args(argv)

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    rss_registry = _rss_mb()
    result = {"measure": args.measure, "database": args.database, "pid": os.getpid()}
    result["load_before"] = round(os.getloadavg()[0], 2)
    with QueryLog(detail=bool(args.profile or args.sql_report)) as queries, registry.cursor() as cr:
        # The scheduled run's user: the superuser, as for ir.cron.
        env = api.Environment(cr, SUPERUSER_ID, {})
        measure = {"setup": measure_setup, "ours": measure_ours, "oca": measure_oca, "pdf": measure_pdf}[args.measure]
        if args.measure == "setup":
            result.update(measure(env, args))
            cr.commit()
        elif args.profile:
            import cProfile
            import io
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            result.update(measure(env, args, queries))
            profiler.disable()
            profiler.dump_stats(args.profile + ".prof")
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            out.write(f"== {args.measure} on {args.database}: {json.dumps(result)}\n\n== by cumulative time\n")
            stats.sort_stats("cumulative").print_stats(45)
            out.write("\n== by own time\n")
            stats.sort_stats("tottime").print_stats(30)
            out.write("\n== SQL statements by total time\n" + queries.report(30) + "\n")
            with open(args.profile, "w") as handle:
                handle.write(out.getvalue())
        else:
            result.update(measure(env, args, queries))
            if args.sql_report:
                with open(args.sql_report, "w") as handle:
                    handle.write(f"== {args.measure} on {args.database}: {json.dumps(result)}\n\n")
                    handle.write("== SQL statements by total time\n" + queries.report(30) + "\n")
    result["load_after"] = round(os.getloadavg()[0], 2)
    result["rss_after_registry_mb"] = round(rss_registry, 1)
    result["peak_mb"] = round(_peak_mb(), 1)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
