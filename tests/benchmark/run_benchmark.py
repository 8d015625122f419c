#!/usr/bin/env python3
# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the dunning run against OCA's account_credit_control on the same invoices.

    .venv/bin/python tests/benchmark/run_benchmark.py --sizes 1000,10000,100000

For every size N: a database ``bench_N`` copied from a template with ``debtor_dunning`` and OCA's
``account_credit_control`` installed; N posted open invoices over N/4 debtors (generate_invoices.py);
then, each in a fresh process (bench_worker.py): our run, OCA's credit-line generation, and the PDF
rendering of a sample of letters. Prints a table and writes it to tests/benchmark/RESULTS.md.
See tests/benchmark/README.md.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BENCH_LOCAL = os.path.join(ROOT, ".local", "benchmark")
OCA_TARGET = os.path.join(BENCH_LOCAL, "oca")
OCA_ADDONS = os.path.join(OCA_TARGET, "odoo", "addons")
REQUIREMENTS = os.path.join(ROOT, "requirements-benchmark.txt")
RESULTS = os.path.join(HERE, "RESULTS.md")
HTTP_PORT = 8569
TEMPLATE_DB = "bench_template"
MODULES = ("debtor_dunning", "account_credit_control")
TARGET_SECONDS_100K = 30.0
TARGET_PEAK_MB = 500.0
TARGET_RATIO = 10.0
TARGET_RATIO_FROM = 10_000
KEPT_SECTIONS = "## Payment arrangements"

# setup/devenv.py finds Odoo, PostgreSQL and wkhtmltopdf for every command of the project.
os.environ["DUNNING_HTTP_PORT"] = str(HTTP_PORT)
sys.path.insert(0, os.path.join(ROOT, "setup"))
import devenv  # noqa: E402


def say(message):
    print(f"[benchmark] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- environment
def oca_pins():
    with open(REQUIREMENTS) as handle:
        return [line.strip() for line in handle if line.strip() and not line.startswith("#")]


def ensure_oca(py):
    """OCA's wheel (pinned in requirements-benchmark.txt) in .local/benchmark/oca, without its Odoo pin."""
    pins = oca_pins()
    stamp = os.path.join(OCA_TARGET, ".installed")
    wanted = "\n".join(pins)
    manifest = os.path.join(OCA_ADDONS, "account_credit_control", "__manifest__.py")
    if os.path.exists(manifest) and os.path.exists(stamp) and open(stamp).read() == wanted:
        return
    say(f"Installing {', '.join(pins)} into {os.path.relpath(OCA_TARGET, ROOT)}/ (pip --no-deps)")
    shutil.rmtree(OCA_TARGET, ignore_errors=True)
    devenv.run(
        [py, "-m", "pip", "install", "--disable-pip-version-check", "-q", "--no-deps", "--target", OCA_TARGET, *pins]
    )
    with open(stamp, "w") as handle:
        handle.write(wanted)


def addons_source(git_rev):
    """The folder holding our add-ons: the work tree, or `git archive` of a revision."""
    if not git_rev:
        return ROOT, "work tree"
    sha = subprocess.run(
        ["git", "rev-parse", "--verify", f"{git_rev}^{{commit}}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    target = os.path.join(BENCH_LOCAL, f"src-{sha[:12]}")
    if not os.path.isdir(os.path.join(target, "debtor_dunning")):
        os.makedirs(target, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", sha, *devenv.ADDONS], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", target], input=archive, check=True)
    return target, f"commit {sha[:12]}"


def write_bench_config(py, odoo_dir, pg, source):
    """.local/odoo-bench.conf: the project's config with port 8569, our add-ons from `source`, OCA's."""
    logfile = os.path.join(devenv.LOG_DIR, "odoo-bench.log")
    path = devenv.write_config(py, odoo_dir, pg, name="odoo-bench.conf", logfile=logfile)
    paths = [p for p in devenv.odoo_addons_paths(odoo_dir) if p != ROOT] + [source, OCA_ADDONS]
    with open(path) as handle:
        lines = handle.read().splitlines()
    lines = [f"addons_path = {','.join(paths)}" if line.startswith("addons_path") else line for line in lines]
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


class Postgres:
    def __init__(self, pg):
        self.env = devenv._pg_env(pg)
        self.pg = pg

    def _bin(self, name):
        return devenv._pg_bin(name) or name

    def drop(self, db):
        devenv.drop_database(self.pg, db)

    def exists(self, db):
        return devenv.database_exists(self.pg, db)

    def create(self, db, template=None, attempts=60):
        """createdb [-T template]; a template in use by someone else is retried for a few minutes."""
        cmd = [self._bin("createdb"), *(["-T", template] if template else []), db]
        for attempt in range(attempts):
            result = subprocess.run(cmd, env=self.env, capture_output=True, text=True)
            if result.returncode == 0:
                return
            if "is being accessed by other users" not in result.stderr or attempt == attempts - 1:
                raise devenv.SetupError(f"createdb {db} failed: {result.stderr.strip()}")
            time.sleep(5)

    def sql(self, db, statement):
        subprocess.run(
            [self._bin("psql"), "-X", "-q", "-d", db, "-c", statement],
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def vacuum(self, db):
        tables = (
            "account_move, account_move_line, res_partner, debtor_dunning_communication,"
            " debtor_dunning_communication_line, credit_control_line,"
            " mail_message, mail_followers"
        )
        self.sql(db, f"VACUUM ANALYZE {tables}")

    def size_mb(self, db):
        out = subprocess.run(
            [self._bin("psql"), "-X", "-tAc", f"SELECT pg_database_size('{db}')", "-d", db],
            env=self.env,
            capture_output=True,
            text=True,
        )
        return int(out.stdout.strip() or 0) / 1024 / 1024


def build_template(py, config, postgres):
    """bench_template: dev_base (account installed) when present, else a new database; then our add-on and OCA's."""
    postgres.drop(TEMPLATE_DB)
    if postgres.exists("dev_base"):
        say(f"Creating {TEMPLATE_DB} from dev_base")
        postgres.create(TEMPLATE_DB, template="dev_base")
    else:
        say(f"Creating {TEMPLATE_DB} with account (a few minutes)")
        devenv.run(devenv.odoo_cmd(py, config, "-d", TEMPLATE_DB, "-i", "account", "--stop-after-init"), cwd=ROOT)
    say(f"Installing {', '.join(MODULES)} in {TEMPLATE_DB}")
    devenv.run(devenv.odoo_cmd(py, config, "-d", TEMPLATE_DB, "-i", ",".join(MODULES), "--stop-after-init"), cwd=ROOT)
    worker(py, config, TEMPLATE_DB, "setup", ["--report-url", f"http://127.0.0.1:{HTTP_PORT}"])


def worker(py, config, db, measure, extra=(), timeout=None):
    """bench_worker.py in a fresh process; its last stdout line is JSON. None on timeout."""
    cmd = [py, os.path.join(HERE, "bench_worker.py"), "-c", config, "-d", db, "--measure", measure, *extra]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True)
    try:
        out, _err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        process.communicate()
        return None
    if process.returncode != 0:
        raise devenv.SetupError(f"{measure} on {db} failed (exit {process.returncode}); see the output above")
    return json.loads(out.strip().splitlines()[-1])


class BenchServer:
    """Odoo serving one benchmark database on port 8569, for wkhtmltopdf to fetch the report assets."""

    def __init__(self, py, config, db):
        self.cmd = devenv.odoo_cmd(
            py,
            config,
            "-d",
            db,
            "--db-filter",
            f"^{db}$",
            "--http-port",
            str(HTTP_PORT),
            "--max-cron-threads",
            "0",
            "--logfile",
            os.path.join(devenv.LOG_DIR, "odoo-bench-server.log"),
        )
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(self.cmd, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{HTTP_PORT}/web/login", timeout=5)
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(1)
        self.__exit__()
        raise devenv.SetupError(f"The benchmark's Odoo did not answer on port {HTTP_PORT}; see odoo-bench-server.log")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# --------------------------------------------------------------------------- one size
def bench_size(py, config, postgres, size, args):
    db = f"bench_{size}"
    row = {"n": size, "db": db}
    postgres.drop(db)
    postgres.create(db, template=TEMPLATE_DB)
    say(f"N={size}: generating {size} invoices over {max(1, size // 4)} debtors in {db}")
    started = time.perf_counter()
    generated = json.loads(
        subprocess.run(
            [
                py,
                os.path.join(HERE, "generate_invoices.py"),
                "-c",
                config,
                "-d",
                db,
                "--count",
                str(size),
                "--date",
                args.date,
            ],
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    generated["process_seconds"] = round(time.perf_counter() - started, 1)
    row["generate"] = generated
    say(f"N={size}: generated in {generated['process_seconds']} s ({json.dumps(generated)})")
    postgres.vacuum(db)

    if args.profile:
        # On copies, so that the timed run below starts from the same data: cProfile (Python and SQL),
        # then SQL timing alone (no profiler overhead on the Python side).
        for kind, extra in (("profile", "--profile"), ("sql", "--sql-report")):
            copy_db = f"{db}_{kind}"
            postgres.drop(copy_db)
            postgres.create(copy_db, template=db)
            path = os.path.join(BENCH_LOCAL, f"{kind}-ours-{size}.txt")
            say(f"N={size}: {kind} of our run on a copy ({os.path.relpath(path, ROOT)})")
            measured = worker(py, config, copy_db, "ours", ["--date", args.date, "--phases", extra, path])
            postgres.drop(copy_db)
            row[f"{kind}_report"] = os.path.relpath(path, ROOT)
            row[f"{kind}_run"] = {
                key: measured.get(key)
                for key in ("seconds", "sql_seconds", "sql_top", "phases", "load_before", "load_after")
            }

    say(f"N={size}: our run")
    row["ours"] = ours = worker(py, config, db, "ours", ["--date", args.date, "--phases"])
    say(
        f"N={size}: our run {ours['seconds']} s, {ours['queries']} queries, peak {ours['peak_mb']} MB, "
        f"{ours['letters_decided']} letters for {ours['evaluated']} invoices"
    )
    if ours["evaluated"] != size or not ours["letters_decided"] or ours["errors"]:
        raise devenv.SetupError(f"Our run did not decide the generated invoices as expected: {json.dumps(ours)}")
    postgres.vacuum(db)

    if args.skip_oca or (args.oca_max and size > args.oca_max):
        row["oca"] = None
    else:
        say(f"N={size}: OCA account_credit_control (timeout {args.oca_timeout} s)")
        row["oca"] = worker(py, config, db, "oca", ["--date", args.date], timeout=args.oca_timeout)
        if row["oca"] is None:
            row["oca_timeout"] = args.oca_timeout
            say(f"N={size}: OCA did not finish within {args.oca_timeout} s")
        else:
            say(f"N={size}: OCA {row['oca']['seconds']} s, {row['oca']['credit_lines']} credit lines")

    if args.pdf_sample and (size == args.sizes[0] or args.pdf_every_size):
        say(f"N={size}: rendering {args.pdf_sample} letters (PDF, one wkhtmltopdf call each)")
        with BenchServer(py, config, db):
            row["pdf"] = worker(py, config, db, "pdf", ["--sample", str(args.pdf_sample)])
        say(f"N={size}: {row['pdf']}")
    row["db_mb"] = round(postgres.size_mb(db))
    if not args.keep:
        postgres.drop(db)
    return row


# --------------------------------------------------------------------------- report
def _machine():
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores ({cpu}), {memory_gb:.1f} GB RAM, {platform.system()} {platform.release()}"


def _oca_cells(row, rows):
    """(OCA seconds text, ratio text); extrapolated linearly from the largest measured size when missing."""
    ours = row["ours"]["seconds"]
    if row.get("oca"):
        oca = row["oca"]["seconds"]
        return f"{oca:.2f}", f"{oca / ours:.1f}×"
    measured = [r for r in rows if r.get("oca")]
    if not measured:
        return "–", "–"
    base = max(measured, key=lambda r: r["n"])
    estimate = base["oca"]["seconds"] * row["n"] / base["n"]
    prefix = f"> {row['oca_timeout']} (timeout); " if row.get("oca_timeout") else ""
    return (
        f"{prefix}≈ {estimate:.0f} (extrapolated from N={base['n']})",
        f"≈ {estimate / ours:.1f}× (extrapolated)",
    )


def render_table(rows):
    header = (
        "| N invoices | debtors | our run (s) | queries | batches | queries per batch | fixed queries "
        "| peak MB | letters decided | OCA (s) | OCA / ours | OCA queries | OCA peak MB | letters/s (PDF) "
        "| KB per letter (PDF) |"
    )
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for row in rows:
        ours = row["ours"]
        oca = row.get("oca")
        oca_seconds, ratio = _oca_cells(row, rows)
        full = [q for q, d in zip(ours["batch_queries"], ours["batch_debtors"], strict=True) if d == 1000]
        partial = [q for q, d in zip(ours["batch_queries"], ours["batch_debtors"], strict=True) if d != 1000]
        per_batch = f"{min(full)}–{max(full)}" if full else ""
        if partial:
            per_batch += (", " if per_batch else "") + f"{partial[-1]} (last, {ours['batch_debtors'][-1]} debtors)"
        pdf = row.get("pdf")
        oca_queries = f"{oca['queries']:,}" if oca else "–"
        oca_peak = f"{oca['peak_mb']:.0f}" if oca else "–"
        letters_per_second = kb_per_letter = "–"
        if pdf and "letters_per_second" in pdf:
            letters_per_second = pdf.get("batch_letters_per_second", pdf["letters_per_second"])
            kb_per_letter = f"{pdf.get('batch_kb_per_letter') or pdf['pdf_kb_avg']:.0f}"
        lines.append(
            f"| {row['n']:,} | {row['generate']['debtors']:,} | {ours['seconds']:.2f} | {ours['queries']:,} "
            f"| {ours['batches']} | {per_batch} | {ours['fixed_queries']} | {ours['peak_mb']:.0f} "
            f"| {ours['letters_decided']:,} | {oca_seconds} | {ratio} "
            f"| {oca_queries} | {oca_peak} "
            f"| {letters_per_second} | {kb_per_letter} |"
        )
    return "\n".join(lines)


def verdicts(rows):
    out = []
    biggest = max(rows, key=lambda r: r["n"])
    if biggest["n"] >= 100000:
        seconds = biggest["ours"]["seconds"]
        ok = seconds <= TARGET_SECONDS_100K
        out.append(
            f"- 100,000 invoices in ≤ {TARGET_SECONDS_100K:.0f} s: **{'met' if ok else 'MISSED'}** ({seconds:.1f} s)"
        )
    peak = max(r["ours"]["peak_mb"] for r in rows)
    out.append(
        f"- peak memory < {TARGET_PEAK_MB:.0f} MB: **{'met' if peak < TARGET_PEAK_MB else 'MISSED'}** ({peak:.0f} MB)"
    )
    full = {
        r["n"]: max(q for q, d in zip(r["ours"]["batch_queries"], r["ours"]["batch_debtors"], strict=True) if d == 1000)
        for r in rows
        if 1000 in r["ours"]["batch_debtors"]
    }
    fixed = {r["n"]: r["ours"]["fixed_queries"] for r in rows}
    # Flat: the same fixed part at every N, and full batches of 1,000 debtors within 2 queries of each other.
    flat = len(set(fixed.values())) == 1 and (not full or max(full.values()) - min(full.values()) <= 2)
    out.append(
        f"- queries flat apart from the per-batch ones: **{'met' if flat else 'MISSED'}** "
        f"(fixed part {sorted(set(fixed.values()))}, largest full batch per N {full})"
    )
    ratios = []
    for row in rows:
        if row.get("oca"):
            ratios.append((row["n"], row["oca"]["seconds"] / row["ours"]["seconds"]))
    # At 1,000 invoices both runs take a second or two, mostly fixed costs: the target is set where
    # the volume is (10,000 invoices and more); smaller sizes are shown for the trend.
    judged = [ratio for n, ratio in ratios if n >= TARGET_RATIO_FROM]
    if judged:
        verdict = "met" if min(judged) >= TARGET_RATIO else "MISSED"
        out.append(
            f"- ≥ {TARGET_RATIO:.0f}× faster than OCA from {TARGET_RATIO_FROM:,} invoices: **{verdict}** "
            f"({', '.join(f'N={n}: {ratio:.1f}×' for n, ratio in ratios)})"
        )
    return "\n".join(out)


def sending_note(rows):
    pdf = next((r["pdf"] for r in rows if r.get("pdf") and "letters_per_second" in r["pdf"]), None)
    if not pdf:
        return ""
    biggest = max(rows, key=lambda r: r["n"])
    letters = biggest["ours"]["communications"]
    rate = pdf.get("batch_letters_per_second") or pdf["letters_per_second"]
    hours = letters / rate / 3600
    return (
        f"Rendered as the sending cron does (a batch's one-page letters joined into one wkhtmltopdf call), "
        f"{pdf.get('batch_rendered', 0)} of {pdf['letters']} letters took {pdf.get('batch_seconds', '–')} s: "
        f"{rate} letters/s, against {pdf['letters_per_second']} letters/s with one call per letter "
        f"({pdf['pdf_kb_avg']:.0f} KB per PDF, {pdf.get('batch_kb_per_letter', '–')} KB per letter split from "
        f"the batch; letters with extractable text: {pdf.get('batch_letters_with_text', '–')} of "
        f"{pdf.get('batch_rendered', 0)} from the batch, {pdf.get('letters_with_text', '–')} of {pdf['letters']} "
        f"one by one). At that rate the {letters:,} letters decided at "
        f"N={biggest['n']:,} take about {hours:.1f} h to render in one process; sending them once rendered "
        f"(e-mail queued) runs at {pdf['sends_per_second']} letters/s."
    )


def where_time_goes(rows):
    """Markdown: our run's steps at the largest size (timed run), and the SQL split when profiled."""
    row = max(rows, key=lambda r: r["n"])
    ours = row["ours"]
    phases = ours.get("phases") or {}
    if not phases:
        return "(run with `--phases` in the worker to see the steps)"
    total = ours["seconds"]
    lines = [
        f"Steps of our run at N={row['n']:,} (timed run, {total:.1f} s; wrappers around the methods, no profiler; "
        "nested: the creates are part of `_create_communications`):",
        "",
        "| step | calls | seconds | share | queries |",
        "|---|---|---|---|---|",
    ]
    for label, (calls, seconds, count) in sorted(phases.items(), key=lambda kv: -kv[1][1]):
        lines.append(f"| `{label}` | {calls:,} | {seconds:.2f} | {seconds / total:.0%} | {count:,} |")
    sql = row.get("sql_run")
    if sql and sql.get("sql_seconds") is not None:
        lines += [
            "",
            f"SQL alone (separate run on a copy, every statement timed, no profiler): {sql['sql_seconds']:.1f} s "
            f"of {sql['seconds']:.1f} s; the rest is Python in the ORM. Top statements:",
            "",
            "| calls | seconds | statement |",
            "|---|---|---|",
        ]
        for calls, seconds, shape in sql.get("sql_top") or []:
            lines.append(f"| {calls:,} | {seconds:.2f} | `{shape.replace('|', '/')}` |")
    if row.get("profile_report"):
        lines += ["", f"cProfile report: `{row['profile_report']}` (not committed; `--profile` writes it)."]
    return "\n".join(lines)


def write_results(rows, args, source_label, started, path):
    details = []
    for row in rows:
        ours = row["ours"]
        gen = row["generate"]
        details.append(
            f"- **N={row['n']:,}**: generated in {gen['process_seconds']} s (debtors {gen['seconds_debtors']} s, "
            f"invoices {gen['seconds_invoices']} s); our run: {ours['evaluated']:,} invoices evaluated, "
            f"{ours['communications']:,} communications ({ours['queued']:,} queued), "
            f"{ours['communication_lines']:,} lines, internal duration {ours['run_duration']} s, "
            f"RSS before the run {ours['rss_before_mb']} MB; queries per batch {ours['batch_queries']}, "
            f"seconds per batch {ours['batch_seconds']}; load average (1 min) before/after our run "
            f"{ours['load_before']}/{ours['load_after']}"
            + (
                f"; OCA: {row['oca']['credit_lines']:,} credit lines {row['oca']['credit_lines_by_level']}, "
                f"load average before/after {row['oca']['load_before']}/{row['oca']['load_after']}"
                if row.get("oca")
                else ""
            )
            + (f"; PDF: {json.dumps(row['pdf'])}" if row.get("pdf") else "")
            + f"; database {row['db_mb']} MB"
        )
    text = f"""# Benchmark results

Produced by `{" ".join(["tests/benchmark/run_benchmark.py", *sys.argv[1:]])}` (see [README](README.md)).

- Date: {started:%Y-%m-%d %H:%M} (run date of the dunning: {args.date})
- Machine: {_machine()}
- Code: debtor_dunning from the {source_label}; OCA `{", ".join(oca_pins())}`
- Both runs: a fresh Python process each, registry loaded before the clock, superuser (as the cron),
  same database and invoices, timed until the commit. Peak MB is the process's `ru_maxrss`.

{render_table(rows)}

Our run = `debtor.dunning.run.execute()`: evaluate, decide, create the communications and their lines
(the invoices' dunning status is read from those lines), and the trigger of the sending cron.
OCA = `credit.control.run.generate_credit_lines()` with its shipped "3 time policy"
(levels: 10 days net, 30 days end of month, 10 days after the previous one).
Letters/s = PDF rendering of a sample of queued letters as the sending cron renders them, measured separately.
{sending_note(rows)}

## Targets

{verdicts(rows)}

## Where our run spends its time

{where_time_goes(rows)}

## Details

{chr(10).join(details)}
"""
    # Sections other scripts write (bench_arrangements.py) are kept.
    kept = ""
    if os.path.exists(path):
        with open(path) as handle:
            current = handle.read()
        start = current.find(KEPT_SECTIONS)
        if start >= 0:
            kept = "\n" + current[start:]
    with open(path, "w") as handle:
        handle.write(text + kept)


def write_section(text, path, section):
    """Replace the section `section` of RESULTS.md (up to the next `## `), or append it; the others are kept."""
    current = ""
    if os.path.exists(path):
        with open(path) as handle:
            current = handle.read()
    pattern = re.compile(rf"^{re.escape(section)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _m: text.rstrip() + "\n\n", current)
    else:
        updated = current.rstrip() + "\n\n" + text
    with open(path, "w") as handle:
        handle.write(updated.rstrip() + "\n")


def failed(error):
    """Say why a benchmark stopped (the environment, or a command it ran) and return its exit code."""
    if isinstance(error, subprocess.CalledProcessError):
        print(f"\n[benchmark] ERROR: command failed ({error.returncode}): {error.cmd}", file=sys.stderr, flush=True)
        return 1
    print(f"\n[benchmark] ERROR: {error}", file=sys.stderr, flush=True)
    return 2


def publish(text, path, section, started):
    """Write the section into RESULTS.md, print it and how long the benchmark took."""
    write_section(text, path, section)
    print(text)
    say(f"Done in {time.perf_counter() - started:.0f} s; written to {os.path.relpath(path, ROOT)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of invoices")
    parser.add_argument("--date", default=datetime.date.today().isoformat(), help="run date (default: today)")
    parser.add_argument("--git-rev", help="benchmark our add-ons at this commit (git archive) instead of the work tree")
    parser.add_argument("--oca-timeout", type=int, default=1200, help="seconds before OCA's run is stopped")
    parser.add_argument("--oca-max", type=int, default=0, help="skip OCA above this N (extrapolated instead)")
    parser.add_argument("--skip-oca", action="store_true")
    parser.add_argument("--pdf-sample", type=int, default=50, help="letters rendered to PDF (0: skip)")
    parser.add_argument(
        "--pdf-every-size", action="store_true", help="render the sample at every N, not only the first"
    )
    parser.add_argument("--profile", action="store_true", help="also profile our run (cProfile + SQL) on a copy")
    parser.add_argument("--keep", action="store_true", help="keep the bench_N databases")
    parser.add_argument("--results", default=RESULTS, help="results file (default: tests/benchmark/RESULTS.md)")
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    started = datetime.datetime.now()
    try:
        py, odoo_dir, pg = devenv.prepare("tests/benchmark/run_benchmark.py")
        ensure_oca(py)
        source, source_label = addons_source(args.git_rev)
        config = write_bench_config(py, odoo_dir, pg, source)
        postgres = Postgres(pg)
        say(f"Our add-ons from the {source_label}; config {os.path.relpath(config, ROOT)}")
        build_template(py, config, postgres)
        rows = []
        for size in args.sizes:
            rows.append(bench_size(py, config, postgres, size, args))
            # Written after every size, so that a long run leaves its figures behind.
            write_results(rows, args, source_label, started, args.results)
    except (devenv.SetupError, subprocess.CalledProcessError) as error:
        return failed(error)
    print(render_table(rows))
    print()
    print(verdicts(rows))
    print(f"\nWritten to {os.path.relpath(args.results, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
