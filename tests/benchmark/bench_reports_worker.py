# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One measurement of the Credit Control overview or a report, in a fresh process; prints one JSON line.

Started by ``bench_reports.py``, like ``bench_worker.py`` for the run: the registry is loaded and the
user's session context read before the clock starts; the measured part is what the web client asks
the server for when the page opens (the same RPC methods), ended by the commit. The user is the
benchmark's Credit Controller (``generate_history.CONTROLLER_LOGIN``), limited to the company.

``--measure``:
  overview         ``debtor.dunning.overview.action_open()`` (the menu's server action), then the
                   form's ``web_read`` of every field of the form view and of the queue lines
  aging_list       Aged Receivable's default view: its list grouped by debtor (the action's
                   ``search_default_group_by_partner``), as the list's relational model loads it:
                   ``web_read_group`` by ``partner_id``, the list's aggregates, 80 groups, none
                   unfolded (the list's fields as ``unfold_read_specification``), as of today
  aging_pivot      its pivot as the arch opens it: ``formatted_read_grouping_sets`` (columns by
                   bucket, no rows: grouping sets ``[]``, ``[bucket]``), its measure
  aging_pivot_by_debtor   the same pivot with rows by debtor (on demand, and what the pivot shows
                   when switched to from the list while the default facet "Debtor" is on)
  aging_past_list / aging_past_pivot   the same, context ``aging_as_of`` = the end of last month
  effectiveness    Which Letter Works' pivot as its arch opens it (rows level then month, all measures)
  trend            ``debtor.dunning.trend.report.action_open()`` and its list's ``web_search_read``

With ``--profile FILE``: cProfile, every SQL statement timed by shape (``bench_worker.QueryLog``),
and the slowest statements run again under ``EXPLAIN (ANALYZE, BUFFERS)``, into FILE.
"""

import argparse
import datetime
import json
import os
import re
import sys
import time

import bench_worker as bw

# The window actions the menus open, per report (their context is the web client's).
AGING_ACTION = "debtor_dunning.action_debtor_dunning_aging_report"
EFFECTIVENESS_ACTION = "debtor_dunning.action_debtor_dunning_effectiveness_report"
OVERVIEW_FORM = "debtor_dunning.debtor_dunning_overview_view_form"
LIST_LIMIT = 80
COUNT_LIMIT = 10_000  # the web client's DEFAULT_COUNT_LIMIT; it asks for one more
GROUP_LIMIT = 80  # the relational model's DEFAULT_GROUP_LIMIT (a list grouped, groups folded)
MEASURES = (
    "overview",
    "aging_list",
    "aging_pivot",
    "aging_pivot_by_debtor",
    "aging_past_list",
    "aging_past_pivot",
    "effectiveness",
    "trend",
)
AGGREGATABLE = ("float", "integer", "monetary")  # the relational model's AGGREGATABLE_FIELD_TYPES


# --------------------------------------------------------------------------- what the views ask for
def _visible(env, node):
    groups = node.get("groups")
    return not groups or env.user.has_groups(groups)


def _field_spec(Model, name, node=None):
    """The web client's specification of one field (many2one: its display name; x2many: its subview)."""
    field = Model._fields[name]
    if field.type == "many2one":
        return {"fields": {"display_name": {}}}
    if field.type in ("one2many", "many2many"):
        Comodel = Model.env[field.comodel_name]
        sub = {}
        for child in node.iterdescendants("field") if node is not None else ():
            if _visible(Model.env, child):
                sub[child.get("name")] = _field_spec(Comodel, child.get("name"), child)
        return {"fields": sub}
    return {}


def view_spec(Model, view):
    """Every field of a form or list view (and of the x2many lists inside it) as a web_read specification."""
    arch = view._get_combined_arch()
    spec = {}
    for node in arch.iter("field"):
        if any(parent.tag == "field" for parent in node.iterancestors()) or not _visible(Model.env, node):
            continue
        spec[node.get("name")] = _field_spec(Model, node.get("name"), node)
    spec.setdefault("display_name", {})
    return spec


def default_view(env, model, view_type):
    """The view the action opens for `view_type` (the actions here name no view of their own)."""
    View = env["ir.ui.view"].sudo()
    return View.browse(View.default_view(model, view_type))


def pivot_request(Model, view, row_groupby=None):
    """(grouping sets, aggregates) as the pivot model asks them when the view opens (pivot_model.js).

    `row_groupby`: the search's group-by when one is active (the pivot then takes it as its rows,
    `PivotModel.load`), else the arch's rows.
    """
    arch = view._get_combined_arch()
    rows, cols, measures = [], [], []
    for node in arch.iter("field"):
        name, kind = node.get("name"), node.get("type")
        if kind in ("row", "col"):
            field = Model._fields[name]
            spec = f"{name}:{node.get('interval') or 'month'}" if field.type in ("date", "datetime") else name
            (rows if kind == "row" else cols).append(spec)
        elif kind == "measure":
            measures.append(name)
    if row_groupby:
        rows = list(row_groupby)
    aggregates = []
    for name in measures:
        field = Model._fields[name]
        aggregator = "count_distinct" if field.type == "many2one" else field.aggregator
        aggregates.append(f"{name}:{aggregator}")
        currency_field = field.type == "monetary" and field.get_currency_field(Model)
        if currency_field:
            aggregates += [f"{currency_field}:array_agg_distinct", f"{name}:sum_currency"]
    aggregates.append("__count")

    def sections(specs):
        return [specs[:index] for index in range(len(specs) + 1)]

    grouping_sets = []
    for left in sections(rows):
        for right in sections(cols):
            groupby = list(dict.fromkeys(left + right))
            if sorted(groupby) not in [sorted(known) for known in grouping_sets]:
                grouping_sets.append(groupby)
    return grouping_sets, aggregates


def list_aggregates(Model, spec):
    """The aggregates a grouped list asks for (getAggregateSpecifications): every field of the list
    of a type that aggregates and with an aggregator, then the currency of those with one."""
    aggregates, currencies = [], []
    for name in spec:
        field = Model._fields[name]
        if field.type in AGGREGATABLE and field.aggregator:
            aggregates.append(f"{name}:{field.aggregator}")
        currency_field = field.type == "monetary" and field.aggregator and field.get_currency_field(Model)
        if currency_field:
            currencies += [f"{currency_field}:array_agg_distinct", f"{name}:sum_currency"]
    return aggregates + list(dict.fromkeys(currencies))


def search_default_groupby(env, model, context):
    """The group-by of the search view's filters the context turns on (`search_default_<filter>`)."""
    from odoo.tools.safe_eval import safe_eval

    arch = default_view(env, model, "search")._get_combined_arch()
    groupby = []
    for node in arch.iter("filter"):
        if context.get(f"search_default_{node.get('name')}") and "group_by" in (node.get("context") or ""):
            value = safe_eval(node.get("context"), {"uid": env.uid}).get("group_by")
            groupby += [value] if isinstance(value, str) else list(value)
    return groupby


def action_context(env, xmlid):
    action = env["ir.actions.act_window"]._for_xml_id(xmlid)
    context = action.get("context") or {}
    if isinstance(context, str):
        from odoo.tools.safe_eval import safe_eval

        context = safe_eval(context, {"uid": env.uid, "context_today": datetime.date.today})
    return action, context


def end_of_last_month(env):
    from odoo import fields

    return fields.Date.context_today(env.user).replace(day=1) - datetime.timedelta(days=1)


def session_user(env, login):
    """(user, context) of `login` as the web client sends it: his language and time zone, the
    companies selected (his one company)."""
    user = env["res.users"].search([("login", "=", login)])
    if not user:
        raise SystemExit(f"No user {login}: run generate_history.py first")
    return user, {**user.context_get(), "allowed_company_ids": user.company_id.ids}


# --------------------------------------------------------------------------- measurements
def prepare(env, measure):
    """Everything the web client already has when it sends the request: views, action, specification."""
    if measure == "overview":
        view = env.ref(OVERVIEW_FORM).sudo()
        return {"spec": view_spec(env["debtor.dunning.overview"], view)}
    if measure.startswith("aging"):
        model = "debtor.dunning.aging.report"
        action, context = action_context(env, AGING_ACTION)
        if "_past_" in measure:
            context = {**context, "aging_as_of": end_of_last_month(env).isoformat()}
    elif measure == "effectiveness":
        model = "debtor.dunning.effectiveness.report"
        action, context = action_context(env, EFFECTIVENESS_ACTION)
    else:
        model = "debtor.dunning.trend.report"
        context = {}
    Model = env[model].with_context(**context)
    if "pivot" in measure or measure == "effectiveness":
        row_groupby = ["partner_id"] if measure.endswith("_by_debtor") else None
        grouping_sets, aggregates = pivot_request(Model, default_view(env, model, "pivot"), row_groupby)
        return {"Model": Model, "grouping_sets": grouping_sets, "aggregates": aggregates, "context": context}
    spec = view_spec(Model, default_view(env, model, "list"))
    groupby = search_default_groupby(env, model, context) if measure.startswith("aging") else []
    if groupby:
        # The list's relational model grouped (_webReadGroup): its context adds read_group_expand.
        context = {**context, "read_group_expand": True}
        return {
            "Model": Model.with_context(read_group_expand=True),
            "groupby": groupby,
            "aggregates": list_aggregates(Model, spec),
            "spec": spec,
            "context": context,
        }
    return {"Model": Model, "spec": spec, "context": context}


def run_measure(env, measure, prepared):
    """The requests themselves; returns a few figures to show that they read what they should."""
    if measure == "overview":
        Overview = env["debtor.dunning.overview"]
        action = Overview.action_open()
        [record] = Overview.browse(action["res_id"]).web_read(prepared["spec"])
        return {
            "fields_read": len(prepared["spec"]),
            "queue_lines": len(record["queue_ids"]),
            "queue_total": sum(line["count"] for line in record["queue_ids"]),
            "receivable": record["receivable_amount"],
            "overdue": record["overdue_amount"],
            "dso": record["dso"],
            "collected_after_reminder": record["collected_after_reminder"],
            "warnings": (record["warning_message"] or "").count("\n") + bool(record["warning_message"]),
        }
    Model = prepared["Model"]
    if "grouping_sets" in prepared:
        results = Model.formatted_read_grouping_sets([], prepared["grouping_sets"], prepared["aggregates"])
        total = results[0][0] if results and results[0] else {}
        return {
            "grouping_sets": prepared["grouping_sets"],
            "aggregates": len(prepared["aggregates"]),
            "groups": [len(groups) for groups in results],
            "records": total.get("__count"),
            **({"total": total.get("amount_residual:sum")} if "amount_residual:sum" in total else {}),
        }
    if "groupby" in prepared:
        result = Model.web_read_group(
            [],
            prepared["groupby"],
            prepared["aggregates"],
            limit=GROUP_LIMIT,
            offset=0,
            order="",
            auto_unfold=False,
            opening_info=[],
            unfold_read_specification=prepared["spec"],
            unfold_read_default_limit=LIST_LIMIT,
            groupby_read_specification={},
        )
        groups = result["groups"]
        return {
            "groupby": prepared["groupby"],
            "aggregates": prepared["aggregates"],
            "groups_read": len(groups),
            "groups_length": result["length"],
            "records_in_groups": sum(group["__count"] for group in groups),
            "unfolded": sum("__records" in group for group in groups),
            "fields_read": len(prepared["spec"]),
        }
    domain = []
    if measure == "trend":
        action = Model.action_open()
        domain = action["domain"]
    result = Model.with_context(bin_size=True).web_search_read(
        domain, prepared["spec"], offset=0, limit=LIST_LIMIT, order="", count_limit=COUNT_LIMIT + 1
    )
    return {"rows_read": len(result["records"]), "length": result["length"], "fields_read": len(prepared["spec"])}


class SlowestStatements:
    """The slowest single statements (as sent, parameters bound), to EXPLAIN them afterwards."""

    def __init__(self, keep=4):
        from odoo import sql_db

        self.sql_db = sql_db
        self.keep = keep
        self.slowest = []
        self._original = None

    def __enter__(self):
        from odoo.tools import SQL

        original = self._original = self.sql_db.Cursor.execute
        slowest, keep = self.slowest, self.keep

        def execute(cursor, query, params=None, log_exceptions=True):
            started = time.perf_counter()
            try:
                return original(cursor, query, params, log_exceptions)
            finally:
                seconds = time.perf_counter() - started
                if len(slowest) < keep or seconds > slowest[-1][0]:
                    try:
                        if isinstance(query, SQL):
                            query, params = query.code, query.params
                        text = cursor._obj.mogrify(query, params).decode()
                    except Exception:
                        text = None
                    if text:
                        slowest.append((seconds, text))
                        slowest.sort(key=lambda item: -item[0])
                        del slowest[keep:]

        self.sql_db.Cursor.execute = execute
        return self

    def __exit__(self, *exc):
        self.sql_db.Cursor.execute = self._original

    def explain(self, cr):
        """EXPLAIN (ANALYZE, BUFFERS) of each SELECT kept, as the server runs it and again with JIT off."""
        out = []
        for seconds, text in self.slowest:
            if not text.lstrip().upper().startswith(("SELECT", "WITH")):
                out.append({"seconds": round(seconds, 3), "sql": text, "plan": None})
                continue
            entry = {"seconds": round(seconds, 3), "sql": text}
            cr.execute("SHOW jit")
            entry["jit_setting"] = cr.fetchone()[0]
            for key, setting in (("plan", None), ("plan_jit_off", "SET LOCAL jit = off")):
                cr.execute("SAVEPOINT bench_explain")
                try:
                    if setting:
                        cr.execute(setting)
                    cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + text)
                    entry[key] = "\n".join(row[0] for row in cr.fetchall())
                except Exception as error:
                    entry[key] = f"(EXPLAIN failed: {error})"
                cr.execute("ROLLBACK TO SAVEPOINT bench_explain")
            entry |= plan_times(entry["plan"], entry["plan_jit_off"])
            out.append(entry)
        return out


def plan_times(plan, plan_jit_off):
    """Execution and JIT milliseconds read from the plans' last lines."""

    def number(pattern, text):
        found = re.search(pattern, text or "")
        return float(found.group(1)) if found else None

    return {
        "execution_ms": number(r"Execution Time: ([\d.]+)", plan),
        "jit_ms": number(r"Timing: .*Total ([\d.]+) ms", plan),
        "execution_jit_off_ms": number(r"Execution Time: ([\d.]+)", plan_jit_off),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--measure", required=True, choices=MEASURES)
    parser.add_argument("--login", default="bench_controller")
    parser.add_argument("--profile", help="write cProfile, SQL by statement and EXPLAIN ANALYZE to this file")
    args = parser.parse_args(argv)

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    result = {"measure": args.measure, "database": args.database, "pid": os.getpid()}
    with registry.cursor() as cr:
        root = api.Environment(cr, SUPERUSER_ID, {})
        user, context = session_user(root, args.login)
        env = api.Environment(cr, user.id, context)
        prepared = prepare(env, args.measure)
        cr.commit()
    rss_ready = bw._rss_mb()
    result["load_before"] = round(os.getloadavg()[0], 2)
    profiler = None
    with bw.QueryLog(detail=bool(args.profile)) as queries, registry.cursor() as cr:
        env = api.Environment(cr, user.id, context)
        prepared = _rebind(prepared, env)
        slowest = SlowestStatements() if args.profile else None
        if slowest:
            slowest.__enter__()
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        q0 = queries.count()
        started = time.perf_counter()
        figures = run_measure(env, args.measure, prepared)
        env.flush_all()
        cr.commit()
        seconds = time.perf_counter() - started
        count = queries.count() - q0
        if profiler:
            profiler.disable()
        if slowest:
            slowest.__exit__()
    if slowest:
        with registry.cursor() as cr:
            plans = slowest.explain(cr)
            cr.rollback()
    result.update(
        {
            "seconds": round(seconds, 3),
            "queries": count,
            **figures,
            "load_after": round(os.getloadavg()[0], 2),
            "rss_ready_mb": round(rss_ready, 1),
            "peak_mb": round(bw._peak_mb(), 1),
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
        result["slowest"] = plans
        for entry in plans:
            out.write(f"== slowest statement: {entry['seconds']:.3f} s\n{entry['sql']}\n\n")
            if entry.get("plan"):
                out.write(f"-- EXPLAIN (ANALYZE, BUFFERS), jit = {entry['jit_setting']}\n{entry['plan']}\n\n")
                out.write(f"-- EXPLAIN (ANALYZE, BUFFERS), jit = off\n{entry['plan_jit_off']}\n\n")
        stats = pstats.Stats(profiler, stream=out)
        out.write("== cProfile by cumulative time\n")
        stats.sort_stats("cumulative").print_stats(40)
        out.write("\n== cProfile by own time\n")
        stats.sort_stats("tottime").print_stats(25)
        with open(args.profile, "w") as handle:
            handle.write(out.getvalue())
    print(json.dumps(result, default=str), flush=True)
    return 0


def _rebind(prepared, env):
    """The prepared request on the measured cursor."""
    if "Model" in prepared:
        prepared = {**prepared, "Model": prepared["Model"].with_env(env).with_context(**prepared["context"])}
    return prepared


if __name__ == "__main__":
    sys.exit(main())
