# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One measurement of payment matching or of the risk profiles, in a fresh process; prints one JSON line.

Started by ``bench_matching.py``; the registry is loaded and the user's session read before the
clock, the measured part ends with the commit (as ``bench_reports_worker.py``).

``--measure``:
  ranking      as the Credit Controller: the ranked suggestions of every credit in Unmatched Payments,
               ``_matching_suggestions()`` on each of them in one transaction (what the Suggestions
               button ranks, without its wizard); checked like ``suggestions``
  suggestions  as the Credit Controller: the Suggestions button of every credit in Unmatched
               Payments, one after the other (``debtor.dunning.unmatched.action_suggestions()``, which
               ranks and fills the match wizard), the cache emptied between them as between two
               requests; afterwards, not timed, each wizard's first suggestion is compared with the
               one ``generate_unmatched.py`` expects
  risk         as the cron's superuser: ``res.partner._dunning_recompute_risk(company, date)`` for
               every debtor (the profiles are deleted, and that committed, before the clock)

With ``--profile FILE``: cProfile and every SQL statement timed by shape, into FILE.
"""

import argparse
import json
import os
import sys
import time
from collections import Counter

import bench_reports_worker as brw
import bench_worker as bw

MEASURES = ("ranking", "suggestions", "risk")


def prepare(env, measure, args):
    if measure == "risk":
        env.cr.execute("DELETE FROM debtor_dunning_risk WHERE company_id = %s", (env.company.id,))
        return {}
    with open(args.expected) as handle:
        expected = {int(line_id): entry for line_id, entry in json.load(handle).items()}
    # The list's rows, in its order (what the user clicks through).
    ids = env["debtor.dunning.unmatched"].search([]).ids
    return {"ids": ids, "expected": expected}


def run_measure(env, measure, prepared, args):
    if measure == "risk":
        import datetime

        recomputed = env["res.partner"]._dunning_recompute_risk(env.company, datetime.date.fromisoformat(args.date))
        return {"recomputed": recomputed}
    Unmatched = env["debtor.dunning.unmatched"]
    if measure == "ranking":
        credits = Unmatched.browse(prepared["ids"])
        return {"ranked": {credit.id: credit._matching_suggestions() for credit in credits}}
    wizards = {}
    for unmatched_id in prepared["ids"]:
        action = Unmatched.browse(unmatched_id).action_suggestions()
        wizards[unmatched_id] = action["res_id"]
        env.flush_all()
        env.invalidate_all()
    return {"wizards": wizards}


def _first_suggestions(env, figures):
    """{credit id: (number of suggestions, the first one's invoice ids)}, from the ranking or the wizards."""
    if "ranked" in figures:
        return {
            credit_id: (len(ranked), set(ranked[0].invoice_ids) if ranked else set())
            for credit_id, ranked in figures.pop("ranked").items()
        }
    firsts = {}
    for credit_id, wizard_id in figures.pop("wizards").items():
        lines = env["debtor.dunning.match.wizard"].browse(wizard_id).line_ids.sorted("sequence")
        firsts[credit_id] = (len(lines), set(lines[:1].move_ids.ids))
    return firsts


def check(env, measure, prepared, figures):
    """What the measurement left, read after the clock: the suggestions compared, the profiles counted."""
    if measure == "risk":
        env.cr.execute(
            "SELECT risk_class, count(*) FROM debtor_dunning_risk WHERE company_id = %s GROUP BY 1 ORDER BY 1",
            (env.company.id,),
        )
        return {"classes": dict(env.cr.fetchall())}
    by_kind = Counter()
    as_expected = Counter()
    suggestions = 0
    wrong = []
    for credit_id, (count, first) in _first_suggestions(env, figures).items():
        suggestions += count
        entry = prepared["expected"].get(credit_id)
        if not entry:
            continue
        by_kind[entry["kind"]] += 1
        if first == set(entry["expected"]):
            as_expected[entry["kind"]] += 1
        elif len(wrong) < 10:
            wrong.append({"credit": credit_id, **entry, "first": sorted(first)})
    return {
        "credits": len(prepared["ids"]),
        "ms_per_credit": 1000 * figures["seconds"] / max(1, len(prepared["ids"])),
        "suggestions": suggestions,
        "checked": sum(by_kind.values()),
        "as_expected": sum(as_expected.values()),
        "by_kind": {kind: (as_expected[kind], count) for kind, count in sorted(by_kind.items())},
        "wrong": wrong,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--measure", required=True, choices=MEASURES)
    parser.add_argument("--expected", help="generate_unmatched.py's JSON of the expected first suggestions")
    parser.add_argument("--date", help="the run date of the risk step (YYYY-MM-DD)")
    parser.add_argument("--login", default="bench_controller")
    parser.add_argument("--profile", help="write cProfile and SQL by statement to this file")
    args = parser.parse_args(argv)

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    result = {"measure": args.measure, "database": args.database, "pid": os.getpid()}
    with registry.cursor() as cr:
        root = api.Environment(cr, SUPERUSER_ID, {})
        if args.measure == "risk":
            uid, context = SUPERUSER_ID, {}
        else:
            user, context = brw.session_user(root, args.login)
            uid = user.id
        env = api.Environment(cr, uid, context)
        prepared = prepare(env, args.measure, args)
        cr.commit()
    rss_ready = bw._rss_mb()
    result["load_before"] = round(os.getloadavg()[0], 2)
    profiler = None
    with bw.QueryLog(detail=bool(args.profile)) as queries, registry.cursor() as cr:
        env = api.Environment(cr, uid, context)
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        q0 = queries.count()
        started = time.perf_counter()
        figures = run_measure(env, args.measure, prepared, args)
        env.flush_all()
        cr.commit()
        figures["seconds"] = seconds = time.perf_counter() - started
        count = queries.count() - q0
        if profiler:
            profiler.disable()
        peak = bw._peak_mb()
        figures |= check(env, args.measure, prepared, figures)
        cr.rollback()
    result.update(
        {
            **figures,
            "seconds": round(seconds, 3),
            "queries": count,
            "load_after": round(os.getloadavg()[0], 2),
            "rss_ready_mb": round(rss_ready, 1),
            "peak_mb": round(peak, 1),
        }
    )
    if args.profile:
        import io
        import pstats

        out = io.StringIO()
        out.write(f"== {args.measure} on {args.database}: {json.dumps(result, default=str)}\n\n")
        out.write("== SQL statements by total time (shapes)\n" + queries.report(25) + "\n\n")
        result["sql_seconds"] = round(sum(seconds for _calls, seconds in queries.by_shape.values()), 3)
        result["sql_top"] = queries.top(5)
        stats = pstats.Stats(profiler, stream=out)
        out.write("== cProfile by cumulative time\n")
        stats.sort_stats("cumulative").print_stats(45)
        out.write("\n== cProfile by own time\n")
        stats.sort_stats("tottime").print_stats(25)
        with open(args.profile, "w") as handle:
            handle.write(out.getvalue())
    print(json.dumps(result, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
