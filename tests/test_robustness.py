# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dunning run survives a crash and a concurrent run: every letter exactly once.

A database with `debtor_dunning` is built once per session and seeded with a few hundred debtors
and weeks of history (`robustness/seed.py`). Each test works on its own copy (`createdb -T`), so
every crash seed starts from the same data. The reference is one uninterrupted run on a copy: the
set of (invoice, level) it decides is what every interrupted or concurrent scenario must end with.

Crash: a run in a separate process (`robustness/dunning_job.py`) is killed with SIGKILL at a random
moment in its run (after a random batch, plus a random delay), then started again for the same
date. Both ways a run is started are covered: a script calling `execute()` (one transaction: the
kill loses everything, the restart redoes it) and the scheduled action through Odoo's cron runner
(each batch committed: the kill keeps some batches, the restart completes the others).

Concurrency: two processes start the run at the same moment (a barrier file) on the same database,
both as scripts, and one as the scheduled action beside one script. Both must finish cleanly, with
each letter decided once and none missing; one of them says it left the debtors to the other.
"""

import json
import os
import random
import signal
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE / "robustness"
ROOT = Path(os.environ.get("DUNNING_ROOT") or HERE.parent)
PYTHON = os.environ.get("DUNNING_ODOO_PYTHON")
HTTP_PORT = 8777
SMALL_BATCH = 12  # debtors per batch: about 25 batches, so that a kill lands between commits

pytestmark = pytest.mark.skipif(
    not (PYTHON and os.environ.get("DUNNING_PG")), reason="needs the environment prepared by setup/test"
)

CRASH_SEEDS = {"plain": [11, 12, 13], "cron": [21, 22, 23, 24]}


# --------------------------------------------------------------------------- PostgreSQL
def _pg_env():
    pg = json.loads(os.environ["DUNNING_PG"])
    env = dict(os.environ)
    for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD")):
        if pg.get(key):
            env[var] = str(pg[key])
    return env


def _pg(*command, check=True):
    return subprocess.run(list(command), env=_pg_env(), capture_output=True, text=True, check=check)


def psql(database, query):
    out = _pg("psql", "-X", "-v", "ON_ERROR_STOP=1", "-tA", "-F", "|", "-d", database, "-c", query, check=False)
    assert out.returncode == 0, out.stderr
    return [line.split("|") for line in out.stdout.strip().splitlines() if line]


def copy_database(template, name):
    """`createdb -T`, retried while a connection to the template is still closing."""
    drop_database(name)
    for _attempt in range(30):
        out = _pg("createdb", "-T", template, name, check=False)
        if out.returncode == 0:
            return name
        time.sleep(1)
    raise AssertionError(f"createdb -T {template} {name} failed: {out.stderr}")


def drop_database(name):
    _pg("dropdb", "--if-exists", "--force", name, check=False)


def wait_for_no_backends(database, timeout=20):
    """After a SIGKILL, PostgreSQL ends the dead client's backend (and frees its locks) on its own."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        [[count]] = psql("postgres", f"SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '{database}'")
        if int(count) == 0:
            return
        time.sleep(0.2)
    raise AssertionError(f"backends of {database} still alive {timeout} s after the kill")


# --------------------------------------------------------------------------- Odoo
def _odoo_package_dir():
    if os.environ.get("DUNNING_ODOO_DIR"):
        return os.environ["DUNNING_ODOO_DIR"]
    out = subprocess.run(
        [PYTHON, "-c", "import odoo; print(list(odoo.__path__)[0])"], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


@pytest.fixture(scope="session")
def odoo_config(tmp_path_factory):
    pg = json.loads(os.environ["DUNNING_PG"])
    folder = tmp_path_factory.mktemp("robustness")
    checkout_addons = Path(_odoo_package_dir()).parent / "addons"
    paths = [str(checkout_addons)] if (checkout_addons / "account" / "__manifest__.py").is_file() else []
    lines = [
        "[options]",
        f"addons_path = {','.join([*paths, str(ROOT)])}",
        f"data_dir = {folder / 'data'}",
        f"db_user = {pg['user']}",
        "admin_passwd = admin",
        "http_interface = 127.0.0.1",
        f"http_port = {HTTP_PORT}",
        "max_cron_threads = 0",
        "without_demo = True",
        "log_level = warn",
    ]
    lines += [f"db_{key} = {pg[key]}" for key in ("host", "port", "password") if pg.get(key)]
    config = folder / "odoo.conf"
    config.write_text("\n".join(lines) + "\n")
    return str(config)


def run_script(config, script, database, *args, timeout=600):
    out = subprocess.run(
        [PYTHON, str(SCRIPTS / script), "--config", config, "--database", database, *args],
        cwd=SCRIPTS,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert out.returncode == 0, f"{script} exited with {out.returncode}:\n{out.stdout}\n{out.stderr[-4000:]}"
    return out.stdout


def start_job(config, database, run_date, mode, batch_size=SMALL_BATCH, barrier=None):
    command = [
        PYTHON,
        str(SCRIPTS / "dunning_job.py"),
        "--config",
        config,
        "--database",
        database,
        "--date",
        run_date,
        "--mode",
        mode,
        "--batch-size",
        str(batch_size),
    ]
    if barrier:
        command += ["--barrier", barrier]
    # The log goes to a file: a pipe nobody reads while the run goes on could fill up and stall it.
    log = tempfile.TemporaryFile("w+")
    process = subprocess.Popen(command, cwd=SCRIPTS, stdout=subprocess.PIPE, stderr=log, text=True)
    process.log = log
    return process


def log_of(process):
    process.log.seek(0)
    return process.log.read()[-4000:]


def finish(process, timeout=600):
    stdout, _stderr = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"the run exited with {process.returncode}:\n{stdout}\n{log_of(process)}"
    return stdout


@pytest.fixture(scope="session")
def run_date():
    return date.today().isoformat()


@pytest.fixture(scope="session")
def seeded_database(odoo_config, run_date):
    """A database with `debtor_dunning` installed and seeded, committed; dropped at the end."""
    name = f"robust_seed_{os.getpid()}"
    drop_database(name)
    _pg("createdb", name)
    try:
        install = subprocess.run(
            [
                *(PYTHON, "-m", "odoo", "server", "-c", odoo_config, "-d", name),
                *("-i", "debtor_dunning", "--stop-after-init", "--http-port", str(HTTP_PORT)),
            ],
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert install.returncode == 0, install.stderr[-4000:]
        [[state]] = psql(name, "SELECT state FROM ir_module_module WHERE name = 'debtor_dunning'")
        assert state == "installed", f"debtor_dunning is {state}; see the log beside {odoo_config}"
        output = run_script(odoo_config, "seed.py", name, "--date", run_date)
        assert "SEEDED" in output
        yield name
    finally:
        drop_database(name)


@pytest.fixture
def database(seeded_database, request):
    name = copy_database(seeded_database, f"robust_{os.getpid()}_{abs(hash(request.node.name)) % 10**8}")
    yield name
    drop_database(name)


# --------------------------------------------------------------------------- what the database holds
def decided(database, run_date):
    """{(move_id, level_id)} of the letters decided on `run_date` (not cancelled, not previews)."""
    rows = psql(
        database,
        f"""SELECT move_id, level_id FROM debtor_dunning_communication_line
             WHERE date = '{run_date}' AND NOT is_preview AND NOT is_cancelled""",
    )
    return {(int(move), int(level)) for move, level in rows}


def assert_exactly_once(database):
    """No invoice holds a level twice, and every letter has its invoices, consistently recorded."""
    duplicates = psql(
        database,
        """SELECT move_id, level_id, COUNT(*) FROM debtor_dunning_communication_line
            WHERE NOT is_preview AND NOT is_cancelled GROUP BY 1, 2 HAVING COUNT(*) > 1""",
    )
    assert not duplicates, f"letters decided twice: {duplicates[:10]}"
    empty = psql(
        database,
        """SELECT c.id FROM debtor_dunning_communication c
            WHERE c.state != 'preview'
              AND NOT EXISTS (SELECT 1 FROM debtor_dunning_communication_line l WHERE l.communication_id = c.id)""",
    )
    assert not empty, f"letters without invoices: {empty[:10]}"
    mismatched = psql(
        database,
        """SELECT c.id FROM debtor_dunning_communication c
             JOIN debtor_dunning_communication_line l ON l.communication_id = c.id
             JOIN account_move m ON m.id = l.move_id
            WHERE c.state != 'preview'
              AND (l.level_id != c.level_id OR l.is_preview
                   OR m.company_id != c.company_id OR m.commercial_partner_id != c.partner_id
                   OR m.currency_id != c.currency_id)""",
    )
    assert not mismatched, f"letters whose dossier lines disagree with them: {mismatched[:10]}"


def assert_counts_match(database, run_date):
    """Each run's counters tell what it committed: a batch rolled back counts for nothing."""
    rows = psql(
        database,
        f"""SELECT r.id, r.sent_count + r.to_approve_count, COUNT(c.id)
              FROM debtor_dunning_run r LEFT JOIN debtor_dunning_communication c ON c.run_id = r.id
             WHERE r.date = '{run_date}' AND NOT r.is_preview GROUP BY r.id""",
    )
    wrong = [row for row in rows if row[1] != row[2]]
    assert not wrong, f"runs whose counters differ from their letters (run, counted, letters): {wrong}"


def runs_of(database, run_date):
    rows = psql(
        database,
        f"""SELECT id, state, error_count, COALESCE(skip_reasons::text, '{{}}') FROM debtor_dunning_run
             WHERE date = '{run_date}' AND NOT is_preview ORDER BY id""",
    )
    return [(int(run_id), state, int(errors), json.loads(reasons)) for run_id, state, errors, reasons in rows]


@pytest.fixture(scope="session")
def reference(odoo_config, seeded_database, run_date):
    """What one uninterrupted run decides on the seeded data, and its number of small batches."""
    name = copy_database(seeded_database, f"robust_ref_{os.getpid()}")
    try:
        output = finish(start_job(odoo_config, name, run_date, "plain"))
        batches = output.count("BATCH ")
        expected = decided(name, run_date)
        [(_run_id, state, errors, _reasons)] = runs_of(name, run_date)
        assert (state, errors) == ("done", 0)
        assert_exactly_once(name)
        assert_counts_match(name, run_date)
        levels = {level for _move, level in expected}
        assert len(expected) >= 100 and len(levels) >= 3, "the data must make the run decide many letters"
        assert batches >= 10, batches
        return expected, batches
    finally:
        drop_database(name)


# --------------------------------------------------------------------------- crash
@pytest.mark.parametrize(
    ("mode", "seed"), [(mode, seed) for mode, seeds in CRASH_SEEDS.items() for seed in seeds], ids=str
)
def test_a_run_killed_at_a_random_moment_is_completed_by_the_restart(
    odoo_config, database, run_date, reference, mode, seed
):
    expected, batches = reference
    rng = random.Random(seed)
    # After batch 2 at the earliest (so that a cron run has committed one), and well before the end.
    kill_after = rng.randint(2, batches - 3)
    delay = rng.uniform(0, 0.05)
    process = start_job(odoo_config, database, run_date, mode)
    seen = 0
    for line in process.stdout:
        if line.startswith("BATCH "):
            seen += 1
            if seen == kill_after:
                time.sleep(delay)
                process.send_signal(signal.SIGKILL)
                break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, f"the run ended by itself before the kill ({process.returncode})"
    wait_for_no_backends(database)

    survived = decided(database, run_date)
    assert survived <= expected, "a killed run never decides anything the reference does not"
    if mode == "plain":
        assert not survived, "outside a cron the run is one transaction: the kill loses all of it"
    else:
        assert survived, "in a cron every batch is committed: the batches before the kill remain"
        assert survived != expected, "the kill came after the end of the run"
    assert_exactly_once(database)

    finish(start_job(odoo_config, database, run_date, mode))
    assert_exactly_once(database)
    assert decided(database, run_date) == expected, "after the restart, every letter exactly once, none missing"
    assert_counts_match(database, run_date)
    *killed, restart = runs_of(database, run_date)
    assert restart[1:3] == ("done", 0), restart
    # A run that committed batches before it died shows it, instead of "running" for ever.
    for _run_id, state, _errors, _reasons in killed:
        assert state == "failed", killed
    if killed:
        [[message]] = psql(database, f"SELECT error_message FROM debtor_dunning_run WHERE id = {killed[0][0]}")
        assert message.startswith("Interrupted before the end"), message


# --------------------------------------------------------------------------- concurrency
@pytest.mark.parametrize("modes", [("plain", "plain"), ("cron", "plain")], ids="+".join)
def test_two_runs_started_together_decide_each_letter_once(odoo_config, database, run_date, reference, modes, tmp_path):
    expected, _batches = reference
    barrier = tmp_path / "go"
    processes = [start_job(odoo_config, database, run_date, mode, barrier=str(barrier)) for mode in modes]
    for process in processes:
        line = process.stdout.readline()
        assert line.startswith("READY"), line + log_of(process)
    barrier.touch()
    for process in processes:
        finish(process)
    assert_exactly_once(database)
    assert decided(database, run_date) == expected, "together the two runs decide what one run decides"
    assert_counts_match(database, run_date)
    runs = runs_of(database, run_date)
    assert len(runs) == 2, runs
    for _run_id, state, errors, reasons in runs:
        assert (state, errors) == ("done", 0), reasons
    overlap = [reason for *_run, reasons in runs for reason in reasons if reason == "concurrent_run"]
    assert overlap, f"the runs did not overlap (each should leave the other's debtors alone): {runs}"
