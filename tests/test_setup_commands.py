# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The two README commands, as a new user runs them."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def python_without_odoo(tmp_path):
    """A python3 that cannot import odoo: site-packages (where Odoo may be installed) switched off."""
    wrapper = tmp_path / "python3-without-odoo"
    wrapper.write_text(f'#!/bin/sh\nexec {sys.executable} -S "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


def _run_command(command, env, timeout=60, args=()):
    return subprocess.run(
        [str(ROOT / "setup" / command), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize("command", ["run", "test"])
def test_without_odoo_both_commands_stop_and_say_what_to_do(command, python_without_odoo):
    env = {k: v for k, v in os.environ.items() if k != "ODOO_SOURCE"} | {"DUNNING_PYTHON": python_without_odoo}
    result = _run_command(command, env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Odoo 19.0 was not found" in result.stderr
    assert "ODOO_SOURCE=/path/to/odoo" in result.stderr
    assert f"setup/{command}" in result.stderr


def test_an_odoo_source_that_is_not_odoo_is_refused(python_without_odoo, tmp_path):
    env = dict(os.environ, DUNNING_PYTHON=python_without_odoo, ODOO_SOURCE=str(tmp_path))
    result = _run_command("run", env)
    assert result.returncode == 2
    assert f"ODOO_SOURCE={tmp_path} is not an Odoo source checkout" in result.stderr


def _psql(query, database):
    pg = json.loads(os.environ["DUNNING_PG"])
    env = dict(os.environ)
    for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD")):
        if pg[key]:
            env[var] = pg[key]
    out = subprocess.run(
        ["psql", "-X", "-tA", "-F", "|", "-d", database, "-c", query], env=env, capture_output=True, text=True
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


@pytest.mark.skipif("DUNNING_PG" not in os.environ, reason="needs the environment prepared by setup/test")
def test_run_serves_odoo_with_the_addons_and_dutch_demo_data():
    database = "dunning_demo_check"
    port = int(os.environ.get("DUNNING_HTTP_PORT", "8069")) + 200
    env = dict(os.environ, DUNNING_DEMO_DB=database, DUNNING_HTTP_PORT=str(port))
    pidfile = ROOT / ".local" / "odoo.pid"
    try:
        first = _run_command("run", env, timeout=1200, args=["--background"])
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
