#!/usr/bin/env python3
# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The run's cost of payment arrangements: N invoices, K of them in active arrangements.

    .venv/bin/python tests/benchmark/bench_arrangements.py --size 100000 --arranged 10000

With `debtor_dunning_arrangement` installed: `bench_arr_N` gets N invoices (generate_invoices.py);
copies of it are measured in fresh processes (bench_worker.py, as run_benchmark.py does), half of
them after generate_arrangements.py covered K invoices with active arrangements, alternating, so
that the machine's drift hits both alike. The run with arrangements does the day's arrangement work
too (instalment states, reminders due). Writes the section "Payment arrangements" of RESULTS.md.
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
TEMPLATE_DB = "bench_arr_template"
MODULE = "debtor_dunning_arrangement"
TARGET_OVERHEAD = 0.15
SECTION = rb.KEPT_SECTIONS


def build_template(py, config, postgres):
    """bench_template (run_benchmark.py's) plus the arrangements add-on."""
    if not postgres.exists(rb.TEMPLATE_DB):
        rb.build_template(py, config, postgres)
    postgres.drop(TEMPLATE_DB)
    postgres.create(TEMPLATE_DB, template=rb.TEMPLATE_DB)
    rb.say(f"Installing {MODULE} in {TEMPLATE_DB}")
    devenv.run(devenv.odoo_cmd(py, config, "-d", TEMPLATE_DB, "-i", MODULE, "--stop-after-init"), cwd=rb.ROOT)


def script(py, config, db, name, *extra):
    out = subprocess.run(
        [py, os.path.join(rb.HERE, name), "-c", config, "-d", db, *extra],
        cwd=rb.ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(py, config, postgres, args):
    base = f"bench_arr_{args.size}"
    postgres.drop(base)
    postgres.create(base, template=TEMPLATE_DB)
    rb.say(f"Generating {args.size} invoices in {base}")
    generated = script(py, config, base, "generate_invoices.py", "--count", str(args.size), "--date", args.date)
    with_db = f"{base}_arranged"
    postgres.drop(with_db)
    postgres.create(with_db, template=base)
    rb.say(f"Covering {args.arranged} invoices with arrangements in {with_db}")
    arranged = script(
        py, config, with_db, "generate_arrangements.py", "--count", str(args.arranged), "--date", args.date
    )
    postgres.vacuum(base)
    postgres.vacuum(with_db)
    postgres.sql(with_db, "VACUUM ANALYZE debtor_dunning_arrangement, debtor_dunning_arrangement_instalment")
    runs = {"without": [], "with": []}
    for attempt in range(args.repeat):
        for kind, source in (("without", base), ("with", with_db)):
            copy = f"{source}_{attempt}"
            postgres.drop(copy)
            postgres.create(copy, template=source)
            rb.say(f"Run {attempt + 1}/{args.repeat} {kind} arrangements")
            result = rb.worker(py, config, copy, "ours", ["--date", args.date, "--phases"])
            if result["errors"]:
                raise devenv.SetupError(f"The run had errors: {json.dumps(result)}")
            runs[kind].append(result)
            rb.say(f"  {result['seconds']} s, {result['queries']} queries, {result['letters_decided']} letters")
            if not args.keep:
                postgres.drop(copy)
    if not args.keep:
        postgres.drop(base)
        postgres.drop(with_db)
    return generated, arranged, runs


def render(generated, arranged, runs, args, source_label):
    median = {kind: statistics.median(r["seconds"] for r in results) for kind, results in runs.items()}
    overhead = median["with"] / median["without"] - 1
    verdict = "met" if overhead <= TARGET_OVERHEAD else "MISSED"

    def cells(kind):
        results = runs[kind]
        last = results[-1]
        each = ", ".join(f"{r['seconds']:.2f}" for r in results)
        return (
            f"| {kind} arrangements | {each} | {median[kind]:.2f} "
            f"| {last['queries']:,} | {last['peak_mb']:.0f} | {last['evaluated']:,} | {last['letters_decided']:,} |"
        )

    steps = runs["with"][-1].get("phases", {})
    daily = steps.get("debtor.dunning.run._dunning_daily_steps")
    daily_text = (
        f" Of the run with arrangements, the daily steps (instalment states, breaches, reminders) took "
        f"{daily[1]:.2f} s in {daily[2]:,} queries."
        if daily
        else ""
    )
    return f"""{SECTION}

Produced by `{" ".join(["tests/benchmark/bench_arrangements.py", *sys.argv[1:]])}` on {datetime.date.today()}
(run date {args.date}; code from the {source_label}; machine: {rb._machine()}).
{generated["invoices"]:,} open invoices over {generated["debtors"]:,} debtors; in the second database
{arranged["invoices_covered"]:,} of them are covered by {arranged["arrangements"]:,} active arrangements
({arranged["instalments"]:,} instalments, {arranged["reminders_due_on_run_date"]} reminders due on the run date).
Each run on a fresh copy in a fresh process, alternating.

| run | seconds per run | median | queries | peak MB | invoices evaluated | letters decided |
|---|---|---|---|---|---|---|
{cells("without")}
{cells("with")}

Overhead of the arrangements: **{overhead:+.1%}** (target ≤ +{TARGET_OVERHEAD:.0%}: **{verdict}**).{daily_text}
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="open invoices")
    parser.add_argument("--arranged", type=int, default=10_000, help="of them in active arrangements")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each kind")
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    parser.add_argument("--git-rev", help="our add-ons at this commit (git archive) instead of the work tree")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--results", default=rb.RESULTS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        py, odoo_dir, pg = devenv.prepare("tests/benchmark/bench_arrangements.py")
        rb.ensure_oca(py)
        source, source_label = rb.addons_source(args.git_rev)
        config = rb.write_bench_config(py, odoo_dir, pg, source)
        postgres = rb.Postgres(pg)
        build_template(py, config, postgres)
        generated, arranged, runs = measure(py, config, postgres, args)
    except devenv.SetupError as error:
        return rb.failed(error)
    text = render(generated, arranged, runs, args, source_label)
    rb.publish(text, args.results, SECTION, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
