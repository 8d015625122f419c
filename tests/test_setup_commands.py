# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The two README commands, as a new user runs them."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ODOO_MAJOR = 19

needs_prepared_environment = pytest.mark.skipif(
    "DUNNING_PG" not in os.environ, reason="needs the environment prepared by setup/test"
)


def _python_wrapper(path, command):
    path.write_text(f"#!/bin/sh\n{command}\n")
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def python_without_odoo(tmp_path):
    """A python3 that cannot import odoo: site-packages (where Odoo may be installed) switched off."""
    return _python_wrapper(tmp_path / "python3-without-odoo", f'exec {sys.executable} -S "$@"')


@pytest.fixture
def bare_repo(tmp_path):
    """The project as a new user clones it: the setup scripts, no .venv/ and no .local/ yet."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "setup", repo / "setup", ignore=shutil.ignore_patterns("__pycache__"))
    # The add-ons' own requirements are not what these tests are about (and would need the network).
    (repo / "requirements.txt").write_text("# none\n")
    return repo


def _fake_odoo(path, major):
    """A source checkout with just enough of Odoo to be found: odoo/release.py and addons/."""
    (path / "odoo").mkdir(parents=True)
    (path / "odoo" / "__init__.py").write_text("")
    (path / "odoo" / "release.py").write_text(f'version_info = ({major}, 0, 0, "final", 0, "")\n')
    (path / "addons").mkdir()
    return path


def _marker_wheel(folder):
    """A wheel that pip installs offline: it shows whether the checkout's requirements were installed."""
    wheel = folder / "odoo_checkout_marker-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("odoo_checkout_marker.py", "")
        info = "odoo_checkout_marker-1.0.dist-info"
        archive.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\nName: odoo-checkout-marker\nVersion: 1.0\n")
        archive.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        archive.writestr(f"{info}/RECORD", "")
    return wheel


@pytest.fixture
def odoo_checkout(tmp_path):
    """A stand-in Odoo 19.0 checkout whose requirements install in a second, without the network.

    python-ldap is among them as in Odoo's own file; it cannot be installed here, so a command that
    did not leave it out fails.
    """
    checkout = _fake_odoo(tmp_path / "odoo-19", ODOO_MAJOR)
    wheel = _marker_wheel(tmp_path)
    (checkout / "requirements.txt").write_text(f"python-ldap==3.4.0 ; sys_platform != 'win32'\n{wheel}\n")
    return checkout


def _run_command(command, env, timeout=60, args=(), root=ROOT):
    return subprocess.run(
        [str(root / "setup" / command), *args], cwd=root, env=env, capture_output=True, text=True, timeout=timeout
    )


def _prepare(root, env):
    """What every command does first (find Odoo, build .venv/, PostgreSQL, wkhtmltopdf), without the rest."""
    return subprocess.run(
        [sys.executable, str(root / "setup" / "devenv.py"), "env"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _pg_env(env=None):
    """`env` (default: ours) with the PG* variables naming the PostgreSQL that setup/test prepared."""
    pg = json.loads(os.environ["DUNNING_PG"])
    env = dict(os.environ if env is None else env)
    for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD")):
        if pg[key]:
            env[var] = pg[key]
    return env


@pytest.mark.parametrize("command", ["run", "test"])
def test_without_odoo_both_commands_stop_and_say_what_to_do(command, python_without_odoo, bare_repo):
    env = {k: v for k, v in os.environ.items() if k != "ODOO_SOURCE"} | {"DUNNING_PYTHON": python_without_odoo}
    result = _run_command(command, env, root=bare_repo)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Odoo 19.0 was not found" in result.stderr
    assert "ODOO_SOURCE=/path/to/odoo" in result.stderr
    assert f"setup/{command}" in result.stderr
    assert not (bare_repo / ".venv").exists()


def test_an_odoo_source_that_is_not_odoo_is_refused(python_without_odoo, bare_repo, tmp_path):
    env = dict(os.environ, DUNNING_PYTHON=python_without_odoo, ODOO_SOURCE=str(tmp_path))
    result = _run_command("run", env, root=bare_repo)
    assert result.returncode == 2
    assert f"ODOO_SOURCE={tmp_path} is not an Odoo source checkout" in result.stderr


@needs_prepared_environment
def test_after_a_first_command_with_odoo_source_the_next_ones_find_odoo_in_venv(
    bare_repo, odoo_checkout, python_without_odoo, tmp_path
):
    env = {k: v for k, v in _pg_env().items() if k != "ODOO_SOURCE"}
    first = _prepare(bare_repo, env | {"DUNNING_PYTHON": python_without_odoo, "ODOO_SOURCE": str(odoo_checkout)})
    assert first.returncode == 0, first.stderr
    assert "Installing the Python requirements" in first.stderr

    # No ODOO_SOURCE now, and python3 imports another Odoo (an old one): .venv/ comes first.
    other_odoo = _fake_odoo(tmp_path / "odoo-18", 18)
    python3 = _python_wrapper(
        tmp_path / "python3-with-odoo-18", f'PYTHONPATH={other_odoo} exec {sys._base_executable} "$@"'
    )
    again = _prepare(bare_repo, env | {"DUNNING_PYTHON": python3})
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["odoo_dir"] == str(odoo_checkout / "odoo")
    assert "Installing the Python requirements" not in again.stderr, "nothing changed: nothing to reinstall"

    # ODOO_SOURCE naming another checkout does not silently replace the one in .venv/.
    named = _prepare(bare_repo, env | {"DUNNING_PYTHON": python3, "ODOO_SOURCE": str(other_odoo)})
    assert named.returncode == 0, named.stderr
    assert f"ODOO_SOURCE={other_odoo} is not used" in named.stderr
    assert json.loads(named.stdout)["odoo_dir"] == str(odoo_checkout / "odoo")


@needs_prepared_environment
def test_a_checkout_that_python3_imports_gets_its_requirements_in_venv(bare_repo, odoo_checkout, tmp_path):
    """Odoo made importable by a path on the machine (a .pth file) is a checkout like ODOO_SOURCE's."""
    python3 = _python_wrapper(
        tmp_path / "python3-with-checkout", f'PYTHONPATH={odoo_checkout} exec {sys._base_executable} "$@"'
    )
    env = {k: v for k, v in _pg_env().items() if k not in ("ODOO_SOURCE", "PYTHONPATH")} | {"DUNNING_PYTHON": python3}
    first = _prepare(bare_repo, env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["odoo_dir"] == str(odoo_checkout / "odoo")
    venv_python = str(bare_repo / ".venv" / "bin" / "python")
    check = subprocess.run(
        [venv_python, "-c", "import odoo_checkout_marker, odoo.release"], env=env, capture_output=True, text=True
    )
    assert check.returncode == 0, "the checkout's requirements and Odoo itself are in .venv/: " + check.stderr

    again = _prepare(bare_repo, env)
    assert again.returncode == 0, again.stderr
    assert "Installing the Python requirements" not in again.stderr


def _psql(query, database):
    out = subprocess.run(
        ["psql", "-X", "-tA", "-F", "|", "-d", database, "-c", query], env=_pg_env(), capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return [line.split("|") for line in out.stdout.strip().splitlines()]


def _json_rpc(url, params):
    request = urllib.request.Request(
        url,
        data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@needs_prepared_environment
def test_run_serves_odoo_with_the_addons_and_dutch_demo_data():
    database = "dunning_demo_check"
    port = int(os.environ.get("DUNNING_HTTP_PORT", "8069")) + 200
    env = dict(os.environ, DUNNING_DEMO_DB=database, DUNNING_HTTP_PORT=str(port))
    pidfile = ROOT / ".local" / "odoo.pid"
    # Built afresh every time: a demo database left by an earlier test run would test old demo data.
    subprocess.run(["dropdb", "--if-exists", "--force", database], env=_pg_env(), check=True)
    try:
        first = _run_command("run", env, timeout=1800, args=["--background"])
        assert first.returncode == 0, first.stdout + first.stderr
        assert f"http://127.0.0.1:{port}/odoo/accounting" in first.stderr
        assert "Login: admin   Password: admin" in first.stderr
        login = _json_rpc(
            f"http://127.0.0.1:{port}/web/session/authenticate",
            {"db": database, "login": "admin", "password": "admin"},
        )
        assert login.get("result", {}).get("uid"), login

        installed = _psql(
            "SELECT name FROM ir_module_module WHERE state = 'installed' AND name LIKE 'debtor_dunning%' ORDER BY name",
            database,
        )
        assert [row[0] for row in installed] == [
            "debtor_dunning",
            "debtor_dunning_arrangement",
            "debtor_dunning_collection",
        ]
        [[chart]] = _psql("SELECT chart_template FROM res_company ORDER BY id LIMIT 1", database)
        assert chart == "nl"
        [[debtors, businesses, consumers, earliest, latest]] = _psql(
            """SELECT COUNT(DISTINCT m.commercial_partner_id),
                      COUNT(DISTINCT m.commercial_partner_id) FILTER (WHERE p.is_company),
                      COUNT(DISTINCT m.commercial_partner_id) FILTER (WHERE NOT p.is_company),
                      MIN(m.invoice_date_due - CURRENT_DATE), MAX(m.invoice_date_due - CURRENT_DATE)
                 FROM account_move m JOIN res_partner p ON p.id = m.commercial_partner_id
                WHERE m.move_type = 'out_invoice' AND m.state = 'posted'""",
            database,
        )
        assert int(debtors) >= 20 and int(businesses) >= 5 and int(consumers) >= 5
        assert int(earliest) <= -150 and int(latest) >= 30, (earliest, latest)
        states = dict(
            _psql(
                "SELECT payment_state, COUNT(*) FROM account_move WHERE move_type = 'out_invoice' GROUP BY 1",
                database,
            )
        )
        assert int(states.get("paid", 0)) and int(states.get("partial", 0)) and int(states.get("not_paid", 0))
        [[credit_notes]] = _psql("SELECT COUNT(*) FROM account_move WHERE move_type = 'out_refund'", database)
        assert int(credit_notes) >= 2
        _assert_demo_shows_the_dunning_at_work(database)
        call = _caller(port, database, login["result"]["uid"])
        _assert_overview_is_populated(call)
        _assert_unmatched_payments_have_suggestions(call)
        _assert_a_quotation_warns_of_a_high_risk_debtor(call)

        os.kill(int(pidfile.read_text()), signal.SIGTERM)
        time.sleep(3)
        again = _run_command("run", env, timeout=600, args=["--background"])
        assert again.returncode == 0, again.stdout + again.stderr
        assert "Creating the demo database" not in again.stderr, "a second run reuses the database"
    finally:
        if pidfile.exists():
            try:
                os.kill(int(pidfile.read_text()), signal.SIGTERM)
            except (ProcessLookupError, ValueError):
                pass


@pytest.mark.skipif("DUNNING_PG" not in os.environ, reason="needs the environment prepared by setup/test")
def test_the_fonts_the_letters_are_set_in_are_installed():
    """Fonts on the machine are embedded in the letters' PDF as text (debtor_dunning_letter_layout.xml)."""
    for family in ("Lato", "DejaVu Sans"):
        found = subprocess.run(["fc-list", f":family={family}", "family"], capture_output=True, text=True)
        assert found.stdout.strip(), f"fontconfig does not know {family}: setup/test should have installed it"


def _caller(port, database, uid):
    """call(model, method, *args, **kwargs) as the demo's admin, through Odoo's external API."""

    def call(model, method, *args, **kwargs):
        answer = _json_rpc(
            f"http://127.0.0.1:{port}/jsonrpc",
            {
                "service": "object",
                "method": "execute_kw",
                "args": [database, uid, "admin", model, method, list(args), kwargs],
            },
        )
        assert "result" in answer, answer
        return answer["result"]

    return call


def _assert_unmatched_payments_have_suggestions(call):
    """Today's bank lines that nothing matched (setup/demo_matching.py), each with the invoices the
    user would match it with first."""
    fields = ["label", "amount", "partner_id"]
    credits = call("debtor.dunning.unmatched", "search_read", [("source", "=", "statement_line")], fields)
    best = {}
    for credit in credits:
        action = call("debtor.dunning.unmatched", "action_suggestions", [credit["id"]])
        [wizard] = call(action["res_model"], "read", [action["res_id"]], ["line_ids"])
        assert wizard["line_ids"], f"no suggestion for {credit['label']}"
        [top] = call("debtor.dunning.match.wizard.line", "read", wizard["line_ids"][:1], ["move_ids", "reason_codes"])
        invoices = call("account.move", "read", top["move_ids"], ["name", "partner_id", "amount_residual"])
        best[credit["label"]] = (credit, set(top["reason_codes"].split(",")), invoices)

    def line(starting, ending=""):
        [found] = [value for label, value in best.items() if label.startswith(starting) and label.endswith(ending)]
        return found

    # An invoice number without debtor: that invoice.
    [(credit, codes, invoices)] = [
        (credit, codes, invoices) for credit, codes, invoices in best.values() if invoices[0]["name"] in credit["label"]
    ]
    assert {"invoice_number", "exact_amount"} <= codes and len(invoices) == 1, (credit, codes, invoices)
    # Two invoices of the debtor in one amount.
    credit, codes, invoices = line("Betaling openstaande facturen")
    assert "combination_amount" in codes and len(invoices) == 2, (codes, invoices)
    assert {invoice["partner_id"][0] for invoice in invoices} == {credit["partner_id"][0]}
    assert round(sum(invoice["amount_residual"] for invoice in invoices) - credit["amount"], 2) == 0
    # A letter's reference, 0.50 short: an invoice of that letter, within the tolerance.
    credit, codes, invoices = line("Kenmerk DUN")
    [letter] = call("debtor.dunning.communication", "read", [int(credit["label"][-7:])], ["move_ids"])
    assert {"letter_reference", "within_tolerance"} <= codes and len(invoices) == 1, (codes, invoices)
    assert invoices[0]["id"] in letter["move_ids"]
    assert round(invoices[0]["amount_residual"] - credit["amount"], 2) == 0.5
    # Only the debtor's name: his invoice, found by name alone.
    credit, codes, invoices = line("", "deelbetaling")
    assert codes == {"partner_name"} and invoices[0]["partner_id"][1] in credit["label"], (credit, codes, invoices)


def _assert_a_quotation_warns_of_a_high_risk_debtor(call):
    """A quotation waiting to be confirmed (setup/demo_sale.py) says why its debtor is risky."""
    quotations = call(
        "sale.order",
        "search_read",
        [("state", "=", "draft")],
        ["partner_id", "partner_credit_warning"],
        context={"lang": "en_US"},
    )
    assert quotations, "a quotation to confirm"
    debtor = quotations[0]["partner_id"][0]
    [risk] = call("debtor.dunning.risk", "search_read", [("partner_id", "=", debtor)], ["risk_class"])
    assert risk["risk_class"] == "high", risk
    assert "is a high-risk debtor (risk score" in quotations[0]["partner_credit_warning"], quotations


def _assert_overview_is_populated(call):
    """The Credit Control app opens on figures, an aging and work to do, without warnings."""
    landing = call("debtor.dunning.overview", "action_open")
    [overview] = call(
        "debtor.dunning.overview",
        "read",
        [landing["res_id"]],
        [
            "receivable_amount",
            "overdue_amount",
            "dso",
            "cei_quarter",
            "collected_after_reminder",
            "collected_after_reminder_previous",
            "warning_message",
        ]
        + [f"aging_{bucket}" for bucket in ("current", "1_30", "31_60", "61_90", "90_plus")]
        + ["queue_ids"],
    )
    assert overview["receivable_amount"] > 0 and 0 < overview["overdue_amount"] <= overview["receivable_amount"]
    # The demo's dates count back from today: which month a payment falls in depends on the day it is built.
    collected = overview["collected_after_reminder"] + overview["collected_after_reminder_previous"]
    assert overview["dso"] > 0 and overview["cei_quarter"] > 0 and collected > 0, overview
    assert all(overview[f"aging_{bucket}"] for bucket in ("current", "1_30", "31_60", "61_90", "90_plus")), overview
    assert not overview["warning_message"], overview["warning_message"]
    queue = {
        line["code"]: line["count"]
        for line in call("debtor.dunning.overview.queue", "read", overview["queue_ids"], ["code", "count"])
    }
    for code in ("letters_to_approve", "letters_to_print", "calls_due", "messages_unanswered"):
        assert queue.get(code), (code, queue)


def _assert_demo_shows_the_dunning_at_work(database):
    """What a new user finds: months of weekly runs, letters at every level, work waiting for him."""
    [[runs, first_run, last_run]] = _psql(
        "SELECT COUNT(*), MIN(date) - CURRENT_DATE, MAX(date) - CURRENT_DATE FROM debtor_dunning_run "
        "WHERE NOT is_preview AND state = 'done'",
        database,
    )
    assert int(runs) >= 20 and int(first_run) <= -140 and abs(int(last_run)) <= 1, (runs, first_run, last_run)
    letters = {
        (int(level), state): int(count)
        for level, state, count in _psql(
            """SELECT l.sequence, c.state, COUNT(*) FROM debtor_dunning_communication c
                 JOIN debtor_dunning_level l ON l.id = c.level_id GROUP BY 1, 2""",
            database,
        )
    }
    assert all(letters.get((level, "sent")) for level in range(1, 7)), letters
    assert letters.get((5, "to_approve")), f"a notice of default awaits approval: {letters}"
    assert not {state for _level, state in letters} - {"sent", "to_approve"}, letters
    [[without_pdf, letter_dates]] = _psql(
        """SELECT COUNT(*) FILTER (WHERE letter_attachment_id IS NULL),
                  COUNT(DISTINCT date) FROM debtor_dunning_communication WHERE state = 'sent'""",
        database,
    )
    assert int(without_pdf) == 0 and int(letter_dates) >= 15, (without_pdf, letter_dates)
    blocks = {
        name: int(count)
        for name, count in _psql(
            """SELECT t.name->>'en_US', COUNT(*) FROM debtor_dunning_block b
                 JOIN debtor_dunning_block_template t ON t.id = b.template_id
                WHERE b.state = 'active' GROUP BY 1""",
            database,
        )
    }
    assert {"Dispute", "Promise to pay", "Bankruptcy"} <= set(blocks), blocks
    [[open_disputes, answered]] = _psql(
        """SELECT COUNT(*) FILTER (WHERE kind = 'dispute' AND state = 'open'),
                  COUNT(*) FILTER (WHERE state IN ('answered', 'resolved'))
             FROM debtor_dunning_debtor_message""",
        database,
    )
    assert int(open_disputes) >= 1 and int(answered) >= 1, (open_disputes, answered)
    outcomes = {row[0] for row in _psql("SELECT DISTINCT call_outcome FROM debtor_dunning_communication", database)}
    assert {"promise", "not_reached"} <= outcomes, outcomes
    [[waiting_mail]] = _psql("SELECT COUNT(*) FROM mail_mail WHERE state IN ('outgoing', 'exception')", database)
    assert int(waiting_mail) == 0, "the demo's fictitious debtors are never e-mailed from this machine"
