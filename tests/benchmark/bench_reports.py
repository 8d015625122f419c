#!/usr/bin/env python3
# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Credit Control overview and reports on a ledger with history: 100,000 invoices, letters, payments.

    .venv/bin/python tests/benchmark/bench_reports.py --size 100000

`bench_reports_N` (a database with `debtor_dunning`) gets N open invoices over N/4 debtors
(generate_invoices.py, due 1 to 200 days before the letter date, by default 40 days ago); the
dunning run of that day (bench_worker.py); then generate_history.py: the run's letters marked sent,
20 % of the invoices paid in full and 10 % partly by bank entries dated after the letters, and a
Credit Controller user. Each page then in a fresh process (bench_reports_worker.py) as that user:
the overview, the aged receivable (its list grouped by debtor, its pivot by bucket, and on demand
the pivot by debtor; today and as of the end of last month), which letter works, the trend. A
measurement over its target is profiled again (cProfile, SQL by statement, EXPLAIN ANALYZE of the
slowest). Writes the section "Credit Control overview and
reports" of RESULTS.md. See tests/benchmark/README.md.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time

import run_benchmark as rb

devenv = rb.devenv
TEMPLATE_DB = "bench_reports_template"
CONFIG_NAME = "odoo-bench-reports.conf"
SECTION = "## Credit Control overview and reports"
TARGETS = {
    "overview": 2.0,
    "aging_list": 3.0,
    "aging_pivot": 3.0,
    "aging_pivot_by_debtor": 3.0,
    "aging_past_list": 3.0,
    "aging_past_pivot": 3.0,
    "effectiveness": 3.0,
    "trend": 3.0,
}
# Reported against the target but not judged: not what the page opens with.
ON_DEMAND = {"aging_pivot_by_debtor"}
LABELS = {
    "overview": "Overview: `action_open()` + the form's `web_read` (tiles, aging, queue lines)",
    "aging_list": "Aged Receivable (default view): list grouped by debtor, `web_read_group`, 80 groups folded, today",
    "aging_pivot": "Aged Receivable, pivot as its arch opens (columns by bucket, no rows), today",
    "aging_pivot_by_debtor": "Aged Receivable, pivot with rows by debtor × bucket, today (**on demand**, not judged)",
    "aging_past_list": "Aged Receivable as of the end of last month: list grouped by debtor, 80 groups",
    "aging_past_pivot": "Aged Receivable as of the end of last month, pivot by bucket (no rows)",
    "effectiveness": "Which Letter Works, pivot (rows level, then month; 8 measures)",
    "trend": "Trend: `action_open()` (24 months) + the list's `web_search_read`",
}


def write_config(py, odoo_dir, pg, source):
    """.local/odoo-bench-reports.conf: the benchmark's config (port 8569) without OCA's add-ons."""
    logfile = os.path.join(devenv.LOG_DIR, "odoo-bench-reports.log")
    path = devenv.write_config(py, odoo_dir, pg, name=CONFIG_NAME, logfile=logfile)
    paths = [p for p in devenv.odoo_addons_paths(odoo_dir) if p != rb.ROOT] + [source]
    with open(path) as handle:
        lines = handle.read().splitlines()
    replaced = {"addons_path": ",".join(paths), "http_port": str(rb.HTTP_PORT)}
    lines = [
        f"{line.split('=')[0].strip()} = {replaced[line.split('=')[0].strip()]}"
        if line.split("=")[0].strip() in replaced
        else line
        for line in lines
    ]
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def build_template(py, config, postgres, template=TEMPLATE_DB):
    """`template`: dev_base (account installed) when present, else a new database; debtor_dunning."""
    postgres.drop(template)
    if postgres.exists("dev_base"):
        postgres.create(template, template="dev_base")
    rb.say(f"Installing debtor_dunning in {template}")
    devenv.run(devenv.odoo_cmd(py, config, "-d", template, "-i", "debtor_dunning", "--stop-after-init"), cwd=rb.ROOT)


VACUUMED = (
    "account_move, account_move_line, account_partial_reconcile, account_full_reconcile, res_partner,"
    " debtor_dunning_communication, debtor_dunning_communication_line, mail_message, mail_followers"
)


def vacuum(postgres, db):
    postgres.sql(db, f"VACUUM ANALYZE {VACUUMED}")


def script(py, config, db, name, *extra):
    """One of the generators in a fresh process; its last stdout line is JSON."""
    started = time.perf_counter()
    out = subprocess.run(
        [py, os.path.join(rb.HERE, name), "-c", config, "-d", db, *extra],
        cwd=rb.ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["process_seconds"] = round(time.perf_counter() - started, 1)
    return result


def measure(py, config, db, name, profile=None):
    cmd = [py, os.path.join(rb.HERE, "bench_reports_worker.py"), "-c", config, "-d", db, "--measure", name]
    if profile:
        cmd += ["--profile", profile]
    out = subprocess.run(cmd, cwd=rb.ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def update(py, config, postgres, db):
    """`-u debtor_dunning` on a kept database: the add-ons' code of this run (views, SQL views) without
    rebuilding the ledger (safe while the revision adds no stored field)."""
    rb.say(f"{db}: -u debtor_dunning")
    started = time.perf_counter()
    devenv.run(devenv.odoo_cmd(py, config, "-d", db, "-u", "debtor_dunning", "--stop-after-init"), cwd=rb.ROOT)
    vacuum(postgres, db)
    return round(time.perf_counter() - started, 1)


def build(py, config, postgres, args, db=None, template=TEMPLATE_DB, debtors=None):
    """`db` (default bench_reports_N) from `template`: args.size invoices over `debtors` (default
    N/4), the run of the letter date, the letters sent and the payments after them."""
    db = db or f"bench_reports_{args.size}"
    debtors = debtors or args.size // 4
    letter_date = (args.as_of - datetime.timedelta(days=args.letter_days)).isoformat()
    postgres.drop(db)
    postgres.create(db, template=template)
    rb.say(f"{db}: {args.size} invoices over {debtors} debtors, due 1-200 days before {letter_date}")
    data = {"db": db, "letter_date": letter_date}
    data["invoices"] = script(
        py,
        config,
        db,
        "generate_invoices.py",
        "--count",
        str(args.size),
        "--date",
        letter_date,
        "--debtors",
        str(debtors),
    )
    vacuum(postgres, db)
    rb.say(f"{db}: the dunning run of {letter_date}")
    run = rb.worker(py, config, db, "ours", ["--date", letter_date])
    if run["errors"] or not run["letters_decided"]:
        raise devenv.SetupError(f"The run did not decide letters as expected: {json.dumps(run)}")
    data["run"] = {
        key: run[key] for key in ("seconds", "evaluated", "letters_decided", "communications", "communication_lines")
    }
    rb.say(f"{db}: letters sent, {args.paid:.0%} paid and {args.partly:.0%} partly paid after them")
    data["history"] = script(
        py,
        config,
        db,
        "generate_history.py",
        "--letter-date",
        letter_date,
        "--as-of",
        args.as_of.isoformat(),
        "--paid",
        str(args.paid),
        "--partly",
        str(args.partly),
    )
    rb.say(f"{db}: {json.dumps(data['history'])[:400]}")
    vacuum(postgres, db)
    return data


def run_measures(py, config, db, args):
    """Each measurement `--repeat` times in turn (a fresh process each); the median is judged."""
    runs = {name: [] for name in args.measures}
    for attempt in range(args.repeat):
        for name in args.measures:
            rb.say(f"{db}: {name} ({attempt + 1}/{args.repeat})")
            result = measure(py, config, db, name)
            runs[name].append(result)
            rb.say(f"  {result['seconds']} s, {result['queries']} queries, peak {result['peak_mb']} MB")
    rows = {}
    for name, results in runs.items():
        row = dict(sorted(results, key=lambda r: r["seconds"])[len(results) // 2])  # the median run
        row["runs"] = [r["seconds"] for r in results]
        row["median"] = statistics.median(row["runs"])
        row["peak_mb"] = max(r["peak_mb"] for r in results)
        row["loads"] = [(r["load_before"], r["load_after"]) for r in results]
        rows[name] = row
    for name, row in rows.items():
        if args.profile or row["median"] >= TARGETS[name]:  # on demand too: what it would take
            path = os.path.join(rb.BENCH_LOCAL, f"profile-reports-{name}-{args.size}.txt")
            rb.say(f"{db}: profiling {name} ({os.path.relpath(path, rb.ROOT)})")
            profiled = measure(py, config, db, name, profile=path)
            row["profile"] = {
                "report": os.path.relpath(path, rb.ROOT),
                "seconds": profiled["seconds"],
                "sql_seconds": profiled["sql_seconds"],
                "sql_top": profiled["sql_top"],
                "slowest": [
                    {key: value for key, value in entry.items() if key != "sql"} for entry in profiled["slowest"][:1]
                ],
            }
    return rows


# --------------------------------------------------------------------------- report
def _plan_summary(plan, lines=16):
    """The plan's nodes down to `lines`, and its timing lines (planning, JIT, execution), for RESULTS.md."""
    if not plan:
        return ""
    every = plan.splitlines()
    kept = [line for line in every if "->" in line or not line.startswith(" ")]
    kept = [line for line in kept if not line.startswith(("Planning", "JIT", "Execution"))][:lines]
    tail = [line.strip() for line in every if line.strip().startswith(("Planning Time", "Timing:", "Execution Time"))]
    return "\n".join([*kept, "...", *tail])


def render(data, rows, args, source_label, load):
    inv, hist, run = data["invoices"], data["history"], data["run"]
    updated = (
        f"\nThe ledger is the one built earlier (`--reuse`), brought to this code by `-u debtor_dunning` "
        f"({data['updated_seconds']} s)."
        if data.get("updated_seconds")
        else ""
    )
    table = [
        "| measurement | seconds (median) | runs | target | queries | peak MB | what it read |",
        "|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for name, row in rows.items():
        target = TARGETS[name]
        ok = row["median"] < target
        judged = name not in ON_DEMAND
        if "groups_read" in row:
            read = (
                f"{row['groups_read']} of {row['groups_length']:,} groups ({row['records_in_groups']:,} rows in them, "
                f"{row['unfolded']} unfolded), {len(row['aggregates'])} aggregates"
            )
        elif "groups" in row:
            read = f"{row['records']:,} rows in {sum(row['groups']):,} groups ({'/'.join(map(str, row['groups']))})"
        elif name == "overview":
            read = f"{row['fields_read']} fields, {row['queue_lines']} queue lines"
        else:
            read = f"{row['rows_read']} of {row['length']:,} rows, {row['fields_read']} fields"
        verdict = ("met" if ok else "**MISSED**") if judged else ("under" if ok else "over") + ", not judged"
        table.append(
            f"| {LABELS[name]} | {row['median']:.2f} | {', '.join(f'{r:.2f}' for r in row['runs'])} "
            f"| < {target:.0f} s {verdict} "
            f"| {row['queries']} | {row['peak_mb']:.0f} | {read} |"
        )
        if not ok and judged:
            verdicts.append(name)
    judged_count = len([name for name in rows if name not in ON_DEMAND])
    missed = (
        f"All {judged_count} targets met."
        if not verdicts
        else f"Missed ({len(verdicts)} of {judged_count}): {', '.join(f'`{n}`' for n in verdicts)}; profiles below."
    )
    profiles = []
    for name, row in rows.items():
        profile = row.get("profile")
        if not profile:
            continue
        slowest = (profile.get("slowest") or [{}])[0]
        profiles += [
            f"### `{name}`: {LABELS[name]}",
            "",
            f"Profiled run: {profile['seconds']:.2f} s, of which SQL {profile['sql_seconds']:.2f} s "
            f"(report: `{profile['report']}`, not committed). Statements by total time:",
            "",
            "| calls | seconds | statement |",
            "|---|---|---|",
            *[
                f"| {calls} | {seconds:.2f} | `{shape.replace('|', '/')}` |"
                for calls, seconds, shape in profile["sql_top"]
            ],
            "",
            f"Slowest statement ({slowest.get('seconds', 0):.2f} s in the profiled run). EXPLAIN (ANALYZE, BUFFERS): "
            f"execution {slowest.get('execution_ms') or 0:,.0f} ms, of which JIT compilation "
            f"{slowest.get('jit_ms') or 0:,.0f} ms (jit = {slowest.get('jit_setting')}); the same with jit = off: "
            f"{slowest.get('execution_jit_off_ms') or 0:,.0f} ms. Top of the plan:",
            "",
            "```",
            _plan_summary(slowest.get("plan")),
            "```",
            "",
        ]
    details = (
        f"- Invoices: {inv['invoices']:,} over {inv['debtors']:,} debtors, due 1-200 days before the letter date "
        f"{data['letter_date']} (generated in {inv['process_seconds']} s)\n"
        f"- The run of {data['letter_date']}: {run['letters_decided']:,} letters ({run['communication_lines']:,} "
        f"invoice lines) in {run['seconds']:.1f} s; all {hist['letters_sent']:,} marked sent "
        f"(SQL, as the sending cron leaves them)\n"
        f"- Payments, after the letters (1-{args.letter_days} days, up to {args.as_of}): "
        f"{hist['paid_full']:,} invoices paid in full ({hist['paid_full_share']:.0%}), {hist['paid_partly']:,} "
        f"partly ({hist['paid_partly_share']:.0%}, 25-75 % of the amount); one bank entry each, reconciled. "
        f"Set-based SQL copies of one payment made and "
        f"reconciled through the ORM (`generate_history.py`): {hist['payment_moves']:,} entries, "
        f"{hist['payment_lines']:,} lines, {hist['partials']:,} partial and {hist['full_reconciles']:,} full "
        f"reconciliations in {hist['seconds_total']} s; checked over all rows in SQL and on a sample of "
        f"{hist['sample']['sampled']} through the ORM (payment state, residual, payments widget; "
        f"{len(hist['sample']['recomputed_fields'])} stored fields depending on the reconciliation recomputed by "
        f"the ORM and equal to what SQL wrote; matching numbers as `_update_matching_number` sets them)\n"
        f"- The overview read: receivable {rows.get('overview', {}).get('receivable', 0):,.2f}, overdue "
        f"{rows.get('overview', {}).get('overdue', 0):,.2f}, DSO {rows.get('overview', {}).get('dso', 0)}, "
        f"collected after a reminder this month {rows.get('overview', {}).get('collected_after_reminder', 0):,.2f}\n"
        f"- Load average (1 min) before/after each measurement: "
        + "; ".join(
            f"{name} " + ", ".join(f"{before}/{after}" for before, after in row["loads"]) for name, row in rows.items()
        )
        + f"; before/after all measurements {load[0]}/{load[1]}\n"
        f"- Database {data.get('db_mb', 0):,.0f} MB"
    )
    return f"""{SECTION}

Produced by `{" ".join(["tests/benchmark/bench_reports.py", *sys.argv[1:]])}`
on {datetime.datetime.now():%Y-%m-%d %H:%M} (as of {args.as_of}; code from the {source_label};
machine: {rb._machine()}).
Each measurement in a fresh process as a Credit Controller limited to the company (group
`debtor_dunning.group_debtor_dunning_controller`, not manager), registry loaded and views read before
the clock, timed until the commit; the RPC methods the Odoo 19 web client calls when the page opens
(`web_read` for a form; `web_read_group` for a grouped list: the first level's 80 groups, folded, the
list's aggregates, the list's fields as `unfold_read_specification`, context `read_group_expand`;
`formatted_read_grouping_sets` for a pivot, the grouping sets of its arch's rows × columns;
`web_search_read` with `count_limit` 10,001 for a list not grouped). The Aged Receivable opens as its
list grouped by debtor (`search_default_group_by_partner`), its pivot by bucket with no rows; rows by
debtor are on demand (and what the pivot shows when switched to with the facet "Debtor" on): measured,
not judged. Peak MB is the process's `ru_maxrss`.{updated}

{chr(10).join(table)}

{missed}

{chr(10).join(profiles)}
{details}
"""


def add_common_arguments(parser, targets, template_db, db_pattern):
    """The options this benchmark and bench_matching.py share: the ledger's history, the
    measurements (`targets`' names), reuse of the kept databases (`db_pattern`, e.g. bench_reports_N)."""
    parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=datetime.date.today())
    parser.add_argument("--letter-days", type=int, default=40, help="the run and its letters, this many days ago")
    parser.add_argument("--paid", type=float, default=0.20, help="share of the invoices paid in full")
    parser.add_argument("--partly", type=float, default=0.10, help="share of the invoices paid partly")
    parser.add_argument("--measures", default=",".join(targets), help="comma-separated, of: " + ", ".join(targets))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (the median is judged)")
    parser.add_argument("--profile", action="store_true", help="profile every measurement, not only those missed")
    parser.add_argument("--git-rev", help="our add-ons at this commit (git archive) instead of the work tree")
    parser.add_argument("--reuse", action="store_true", help=f"measure {db_pattern} as it is (no rebuild)")
    parser.add_argument(
        "--update", action="store_true", help="with --reuse: -u debtor_dunning on it first (the code measured)"
    )
    parser.add_argument("--reuse-template", action="store_true", help=f"use {template_db} when it exists")
    parser.add_argument("--keep", action="store_true", help=f"keep {db_pattern} and the template")
    parser.add_argument("--results", default=rb.RESULTS)


def parse_arguments(parser, argv):
    args = parser.parse_args(argv)
    args.measures = [name for name in args.measures.split(",") if name]
    return args


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="open invoices (over size/4 debtors)")
    add_common_arguments(parser, TARGETS, TEMPLATE_DB, "bench_reports_N")
    args = parse_arguments(parser, argv)
    started = time.perf_counter()
    try:
        py, odoo_dir, pg = devenv.prepare("tests/benchmark/bench_reports.py")
        source, source_label = rb.addons_source(args.git_rev)
        config = write_config(py, odoo_dir, pg, source)
        postgres = rb.Postgres(pg)
        db = f"bench_reports_{args.size}"
        state = os.path.join(rb.BENCH_LOCAL, f"{db}.json")
        if args.reuse:
            with open(state) as handle:
                data = json.load(handle)
            if args.update:
                data["updated_seconds"] = update(py, config, postgres, db)
        else:
            if not (args.reuse_template and postgres.exists(TEMPLATE_DB)):
                build_template(py, config, postgres)
            data = build(py, config, postgres, args)
            with open(state, "w") as handle:
                json.dump(data, handle)
        data["db_mb"] = postgres.size_mb(db)
        load_before = round(os.getloadavg()[0], 2)
        rows = run_measures(py, config, db, args)
        load = (load_before, round(os.getloadavg()[0], 2))
        if not args.keep:
            postgres.drop(db)
            postgres.drop(TEMPLATE_DB)
    except (devenv.SetupError, subprocess.CalledProcessError) as error:
        return rb.failed(error)
    text = render(data, rows, args, source_label, load)
    rb.publish(text, args.results, SECTION, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
