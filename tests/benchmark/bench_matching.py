#!/usr/bin/env python3
# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Payment matching and the risk profiles on a ledger of 100,000 open invoices over 25,000 debtors.

    .venv/bin/python tests/benchmark/bench_matching.py --open 100000 --credits 1000

`bench_matching_N` (a database with `debtor_dunning`) is built as bench_reports.py builds its
ledger: N / (1 - paid share) invoices over N/4 debtors, the run of the letter date, its letters sent,
20 % of the invoices paid in full and 10 % partly after them, so that N stay open; then
generate_unmatched.py adds the unmatched credits (invoice numbers, letter references, amounts of one
or of a combination of invoices, statement lines found by name or bank account, and credits that
match nothing), with the first suggestion each should get. Each measurement in a fresh process
(bench_matching_worker.py), `--repeat` times, the median judged:

- `ranking`: as the Credit Controller, `debtor.dunning.unmatched._matching_suggestions()` of every
  credit in Unmatched Payments, in one transaction: the ranked suggestions the button shows;
  target < 10 s for all; the first suggestions are checked against the expected ones;
- `suggestions`: as the Credit Controller, what the Suggestions button of every one of the credits
  in Unmatched Payments does (`debtor.dunning.unmatched.action_suggestions()`: rank, fill the
  wizard), one click after the other with the cache emptied between them; checked the same way;
  target < 100 ms a click (a person clicks one credit at a time);
- `risk`: the run's step `risk_recomputed` (`res.partner._dunning_recompute_risk`) for every debtor,
  none having a profile yet, as the cron's superuser; time and peak memory.

Writes the section "Payment matching and risk profiles" of RESULTS.md. See tests/benchmark/README.md.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time

import bench_reports as br
import run_benchmark as rb

devenv = rb.devenv
TEMPLATE_DB = "bench_matching_template"
SECTION = "## Payment matching and risk profiles"
# Seconds for the whole measurement. The Suggestions button is one request per credit, clicked by
# a person: it is judged per click (seconds a click), the 10 s for 1,000 credits by the ranking.
TARGETS = {"ranking": 10.0, "suggestions": 0.1, "risk": 30.0}
PER_CLICK = {"suggestions"}
LABELS = {
    "ranking": "Ranked suggestions of every unmatched credit (`_matching_suggestions()` each), as a Credit Controller",
    "suggestions": "Suggestions of every unmatched credit (`action_suggestions()` each), as a Credit Controller",
    "risk": "The run's step `risk_recomputed` for every debtor (`_dunning_recompute_risk`), as the cron",
}


def measure(py, config, db, name, expected, as_of, profile=None):
    cmd = [
        py,
        os.path.join(rb.HERE, "bench_matching_worker.py"),
        "-c",
        config,
        "-d",
        db,
        "--measure",
        name,
        "--expected",
        expected,
        "--date",
        as_of.isoformat(),
    ]
    if profile:
        cmd += ["--profile", profile]
    out = subprocess.run(cmd, cwd=rb.ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def build(py, config, postgres, args, db, expected):
    """The ledger of bench_reports.py with N invoices open, then the unmatched credits."""
    if not (args.reuse_template and postgres.exists(TEMPLATE_DB)):
        br.build_template(py, config, postgres, template=TEMPLATE_DB)
    ledger = argparse.Namespace(
        size=round(args.open / (1 - args.paid)),
        as_of=args.as_of,
        letter_days=args.letter_days,
        paid=args.paid,
        partly=args.partly,
    )
    data = br.build(py, config, postgres, ledger, db=db, template=TEMPLATE_DB, debtors=args.open // 4)
    rb.say(f"{db}: {args.credits} unmatched credits")
    data["unmatched"] = br.script(
        py,
        config,
        db,
        "generate_unmatched.py",
        "--count",
        str(args.credits),
        "--date",
        args.as_of.isoformat(),
        "--expected",
        expected,
    )
    rb.say(f"{db}: {json.dumps(data['unmatched'])}")
    br.vacuum(postgres, db)
    postgres.sql(db, "VACUUM ANALYZE res_partner_bank, account_bank_statement_line, debtor_dunning_risk")
    return data


def run_measures(py, config, db, args, expected):
    runs = {name: [] for name in args.measures}
    for attempt in range(args.repeat):
        for name in args.measures:
            rb.say(f"{db}: {name} ({attempt + 1}/{args.repeat})")
            result = measure(py, config, db, name, expected, args.as_of)
            runs[name].append(result)
            rb.say(f"  {result['seconds']} s, {result['queries']} queries, peak {result['peak_mb']} MB")
            # A ranking that is fast because it suggests nothing, or the wrong invoices, counts for nothing.
            if "checked" in result and (result["as_expected"] != result["checked"] or not result["checked"]):
                raise devenv.SetupError(
                    f"{name}: {result['as_expected']} of {result['checked']} first suggestions as expected; "
                    f"e.g. {json.dumps(result['wrong'][:3])}"
                )
    rows = {}
    for name, results in runs.items():
        row = dict(sorted(results, key=lambda r: r["seconds"])[len(results) // 2])
        row["runs"] = [r["seconds"] for r in results]
        row["median"] = statistics.median(row["runs"])
        row["peak_mb"] = max(r["peak_mb"] for r in results)
        row["loads"] = [(r["load_before"], r["load_after"]) for r in results]
        if args.profile or not meets_target(name, row):
            path = os.path.join(rb.BENCH_LOCAL, f"profile-matching-{name}-{args.open}.txt")
            rb.say(f"{db}: profiling {name} ({os.path.relpath(path, rb.ROOT)})")
            profiled = measure(py, config, db, name, expected, args.as_of, profile=path)
            row["profile"] = {
                "report": os.path.relpath(path, rb.ROOT),
                "seconds": profiled["seconds"],
                "sql_seconds": profiled["sql_seconds"],
                "sql_top": profiled["sql_top"],
            }
        rows[name] = row
    return rows


def meets_target(name, row):
    seconds = row["median"] / row["credits"] if name in PER_CLICK else row["median"]
    return seconds < TARGETS[name]


def target_label(name):
    return f"< {TARGETS[name] * 1000:.0f} ms a click" if name in PER_CLICK else f"< {TARGETS[name]:.0f} s"


def render(data, rows, args, source_label):
    inv, hist, unmatched = data["invoices"], data["history"], data["unmatched"]
    table = [
        "| measurement | seconds (median) | runs | target | queries | peak MB | what it did |",
        "|---|---|---|---|---|---|---|",
    ]
    missed = []
    for name, row in rows.items():
        ok = meets_target(name, row)
        if not ok:
            missed.append(name)
        if name in ("ranking", "suggestions"):
            did = (
                f"{row['credits']:,} credits, {row['suggestions']:,} suggestions "
                f"({row['ms_per_credit']:.1f} ms a credit); first suggestion as expected for "
                f"{row['as_expected']:,} of {row['checked']:,} "
                + "("
                + ", ".join(f"{kind} {ok_}/{all_}" for kind, (ok_, all_) in row["by_kind"].items())
                + ")"
            )
        else:
            did = (
                f"{row['recomputed']:,} debtors recomputed ({row['classes']}); RSS before the step "
                f"{row['rss_ready_mb']:.0f} MB, peak {row['peak_mb']:.0f} MB"
            )
        table.append(
            f"| {LABELS[name]} | {row['median']:.2f} | {', '.join(f'{r:.2f}' for r in row['runs'])} "
            f"| {target_label(name)} {'met' if ok else '**MISSED**'} | {row['queries']:,} "
            f"| {row['peak_mb']:.0f} | {did} |"
        )
    profiles = []
    for name, row in rows.items():
        profile = row.get("profile")
        if profile:
            profiles += [
                f"Profiled `{name}`: {profile['seconds']:.2f} s, SQL {profile['sql_seconds']:.2f} s "
                f"(`{profile['report']}`, not committed). Statements by total time:",
                "",
                "| calls | seconds | statement |",
                "|---|---|---|",
                *[f"| {c} | {s:.2f} | `{shape.replace('|', '/')}` |" for c, s, shape in profile["sql_top"]],
                "",
            ]
    verdict = "All targets met." if not missed else f"Missed: {', '.join(f'`{n}`' for n in missed)}."
    return f"""{SECTION}

Produced by `{" ".join(["tests/benchmark/bench_matching.py", *sys.argv[1:]])}`
on {datetime.datetime.now():%Y-%m-%d %H:%M} (as of {args.as_of}; code from the {source_label};
machine: {rb._machine()}).
Ledger: {inv["invoices"]:,} invoices over {inv["debtors"]:,} debtors (generate_invoices.py), the run of
{data["letter_date"]} ({data["run"]["letters_decided"]:,} letters, all marked sent), {hist["paid_full"]:,}
paid in full and {hist["paid_partly"]:,} partly after the letters (generate_history.py): **{args.open:,}
open invoices**. {unmatched["credits"]:,} unmatched credits (generate_unmatched.py, through the ORM):
{", ".join(f"{kind} {count}" for kind, count in unmatched["kinds"].items())}; the Unmatched Payments
list of the company holds {unmatched["unmatched_in_company"]:,}. Each measurement in a fresh process,
registry loaded before the clock, timed until the commit; peak MB is the process's `ru_maxrss`.

{chr(10).join(table)}

{verdict} Load average (1 min) before/after each run: {
        "; ".join(f"{name} " + ", ".join(f"{b}/{a}" for b, a in row["loads"]) for name, row in rows.items())
    }.

{chr(10).join(profiles)}"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--open", type=int, default=100_000, help="open invoices (over open/4 debtors)")
    parser.add_argument("--credits", type=int, default=1000, help="unmatched credits")
    br.add_common_arguments(parser, TARGETS, TEMPLATE_DB, "bench_matching_N")
    args = br.parse_arguments(parser, argv)
    started = time.perf_counter()
    try:
        py, odoo_dir, pg = devenv.prepare("tests/benchmark/bench_matching.py")
        source, source_label = rb.addons_source(args.git_rev)
        config = br.write_config(py, odoo_dir, pg, source)
        postgres = rb.Postgres(pg)
        db = f"bench_matching_{args.open}"
        state = os.path.join(rb.BENCH_LOCAL, f"{db}.json")
        expected = os.path.join(rb.BENCH_LOCAL, f"{db}-expected.json")
        os.makedirs(rb.BENCH_LOCAL, exist_ok=True)
        if args.reuse:
            with open(state) as handle:
                data = json.load(handle)
            if args.update:
                data["updated_seconds"] = br.update(py, config, postgres, db)
        else:
            data = build(py, config, postgres, args, db, expected)
            with open(state, "w") as handle:
                json.dump(data, handle)
        rows = run_measures(py, config, db, args, expected)
        if not args.keep:
            postgres.drop(db)
            postgres.drop(TEMPLATE_DB)
    except (devenv.SetupError, subprocess.CalledProcessError) as error:
        return rb.failed(error)
    text = render(data, rows, args, source_label)
    rb.publish(text, args.results, SECTION, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
