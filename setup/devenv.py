#!/usr/bin/env python3
# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The project's environment: Odoo, Python requirements, PostgreSQL, wkhtmltopdf and its fonts.

Used by ``setup/run`` (demo server), ``setup/test`` (the test suite), ``setup/stop``
and ``setup/clean``. Standard library only: it runs before anything is installed.
Everything it generates lives in the git-ignored folders ``.venv/`` and ``.local/``.
"""

import argparse
import contextlib
import glob
import hashlib
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCAL = os.path.join(ROOT, ".local")
VENV = os.path.join(ROOT, ".venv")
PG_DIR = os.path.join(LOCAL, "postgresql")
LOG_DIR = os.path.join(LOCAL, "log")
ADDONS = ("debtor_dunning", "debtor_dunning_arrangement", "debtor_dunning_collection")
# Installed beside the add-ons in the test and demo databases: they work with these without
# depending on them (a quotation's credit warning names a high-risk debtor), tested and shown.
ALSO_INSTALLED = ("sale",)
ODOO_MAJOR = 19

PRIVATE_PG_PORT = int(os.environ.get("DUNNING_PG_PORT", "55432"))
HTTP_PORT = int(os.environ.get("DUNNING_HTTP_PORT", "8069"))
DEMO_DB = os.environ.get("DUNNING_DEMO_DB", "dunning_demo")

NO_ODOO_MESSAGE = f"""\
Odoo {ODOO_MAJOR}.0 was not found (neither in this project's .venv/ nor importable by python3).

Provide it in one of two ways, then run this command again:
  1. make it importable by python3 (check: python3 -c "import odoo.release"), for
     instance by installing Odoo {ODOO_MAJOR}.0 Community from its source or its
     Debian package; or
  2. point ODOO_SOURCE at an Odoo {ODOO_MAJOR}.0 source checkout (the folder that
     holds odoo-bin, odoo/ and addons/):
        ODOO_SOURCE=/path/to/odoo {{command}}
     It is then installed into this project's virtual environment (.venv/), and
     later commands find it there without ODOO_SOURCE.
"""


class SetupError(Exception):
    """A problem the user can fix; shown without a traceback."""


def say(message):
    print(f"[dunning] {message}", file=sys.stderr, flush=True)


def run(cmd, check=True, quiet=False, **kwargs):
    if quiet:
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        kwargs.setdefault("stderr", subprocess.DEVNULL)
    return subprocess.run(cmd, check=check, **kwargs)


def is_root():
    return os.geteuid() == 0


def apt_install(packages, why):
    """Install Debian packages when running as root; otherwise explain what to install."""
    if not is_root() or not shutil.which("apt-get"):
        raise SetupError(f"{why} is missing. Install it with: sudo apt-get install -y {' '.join(packages)}")
    say(f"Installing {' '.join(packages)} from Debian's packages ({why})")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update"], quiet=True, env=env)
    run(["apt-get", "install", "-y", "--no-install-recommends", *packages], env=env, stdout=subprocess.DEVNULL)


# --------------------------------------------------------------------------- Odoo
def probe_odoo(python):
    """Return (version_major, odoo_package_dir) for the odoo importable by `python`, or None."""
    code = "import odoo, odoo.release as r, json;print(json.dumps([r.version_info[0], list(odoo.__path__)[0]]))"
    try:
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60, cwd="/")
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    major, path = json.loads(out.stdout.strip().splitlines()[-1])
    return major, path


def base_python():
    return os.environ.get("DUNNING_PYTHON") or shutil.which("python3") or sys.executable


def venv_python():
    return os.path.join(VENV, "bin", "python")


def _file_digest(*paths):
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()


def odoo_checkout(odoo_package_dir):
    """The source checkout that holds this odoo package (requirements.txt and addons/ beside it), or None."""
    parent = os.path.dirname(odoo_package_dir)
    if os.path.isfile(os.path.join(parent, "requirements.txt")) and os.path.isdir(os.path.join(parent, "addons")):
        return parent
    return None


def _check_odoo_major(found, where, hint=""):
    if found[0] != ODOO_MAJOR:
        needed = f"this suite needs Odoo {ODOO_MAJOR}.0."
        raise SetupError(f"{where} imports Odoo {found[0]} from {found[1]}; {needed}{hint}")


def locate_odoo(command_name):
    """Where Odoo comes from: (python to build .venv with, Odoo source checkout to install or None).

    Looked for in this order: the project's .venv/ (an earlier command installed it there), the
    Odoo importable by python3, the source checkout named by ODOO_SOURCE. A checkout found either
    way has its requirements installed into .venv/ like one named by ODOO_SOURCE.
    """
    python = base_python()
    named = os.environ.get("ODOO_SOURCE")
    found, where = None, None
    if os.path.exists(venv_python()):
        found, where = probe_odoo(venv_python()), ".venv/"
        if found:
            _check_odoo_major(found, where, " Remove .venv/ (setup/clean) and run this command again.")
    if not found:
        found, where = probe_odoo(python), "python3"
        if found:
            _check_odoo_major(found, where)
    if found:
        checkout = odoo_checkout(found[1])
        if named and os.path.abspath(named) != checkout:
            say(f"ODOO_SOURCE={named} is not used: {where} already imports Odoo from {found[1]}.")
        return python, checkout
    if not named:
        raise SetupError(NO_ODOO_MESSAGE.format(command=command_name))
    if not os.path.isfile(os.path.join(named, "odoo", "release.py")):
        raise SetupError(
            f"ODOO_SOURCE={named} is not an Odoo source checkout (no odoo/release.py in it).\n\n"
            + NO_ODOO_MESSAGE.format(command=command_name)
        )
    return python, os.path.abspath(named)


def ensure_python(command_name):
    """Find Odoo, build .venv around it, install requirements. Return the venv's python."""
    python, source = locate_odoo(command_name)
    if not os.path.exists(venv_python()):
        say(f"Creating the virtual environment {os.path.relpath(VENV, ROOT)}/")
        # System site-packages: an Odoo installed on the machine (and its dependencies) stays visible.
        run([python, "-m", "venv", "--system-site-packages", VENV])
    py = venv_python()
    requirement_files = [os.path.join(ROOT, "requirements.txt")]
    if source:
        odoo_requirements = os.path.join(LOCAL, "odoo-requirements.txt")
        os.makedirs(LOCAL, exist_ok=True)
        with open(os.path.join(source, "requirements.txt")) as src, open(odoo_requirements, "w") as dst:
            # python-ldap needs system headers and is only used by auth_ldap.
            dst.writelines(line for line in src if not line.lower().startswith("python-ldap"))
        requirement_files.insert(0, odoo_requirements)
    stamp = os.path.join(VENV, ".requirements-installed")
    wanted = _file_digest(*requirement_files) + (source or "")
    if not os.path.exists(stamp) or open(stamp).read() != wanted:
        say("Installing the Python requirements into .venv/")
        args = [py, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        for path in requirement_files:
            args += ["-r", path]
        run(args)
        if source:
            # .venv/ imports the checkout itself: later commands need neither ODOO_SOURCE nor the
            # machine's own path to it.
            site = subprocess.run(
                [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            with open(os.path.join(site, "odoo-source.pth"), "w") as handle:
                handle.write(source + "\n")
        with open(stamp, "w") as handle:
            handle.write(wanted)
    found = probe_odoo(py)
    if not found or found[0] != ODOO_MAJOR:
        raise SetupError("Odoo could not be imported from .venv/ after installing it; see the messages above.")
    return py, found[1]


def odoo_addons_paths(odoo_package_dir):
    """Community add-ons beside the odoo package (source checkout) plus this project."""
    paths = []
    checkout_addons = os.path.join(os.path.dirname(odoo_package_dir), "addons")
    if os.path.isfile(os.path.join(checkout_addons, "account", "__manifest__.py")):
        paths.append(checkout_addons)
    paths.append(ROOT)
    return paths


# --------------------------------------------------------------------------- PostgreSQL
def _pg_bin(name):
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_pg_version_key)
    if candidates:
        return candidates[-1]
    return shutil.which(name)


def _pg_version_key(path):
    try:
        return int(path.split("/")[4])
    except (IndexError, ValueError):
        return 0


def external_postgres():
    """Connection settings from the PG* variables when they name a usable server."""
    if not any(os.environ.get(v) for v in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD")):
        return None
    user = os.environ.get("PGUSER") or pwd.getpwuid(os.geteuid()).pw_name
    if user == "postgres":
        say("PG* variables name the 'postgres' superuser, which Odoo refuses; using a private cluster instead.")
        return None
    if not shutil.which("psql"):
        return None
    probe = run(
        ["psql", "-X", "-d", "postgres", "-tAc", "select 1"], check=False, capture_output=True, text=True, timeout=20
    )
    if probe.returncode != 0:
        say("The PostgreSQL named by PG* is not reachable; using a private cluster instead.")
        return None
    return {
        "host": os.environ.get("PGHOST", ""),
        "port": os.environ.get("PGPORT", ""),
        "user": user,
        "password": os.environ.get("PGPASSWORD", ""),
        "private": False,
    }


def _as_postgres_user(cmd):
    """initdb and postgres refuse to run as root: use Debian's postgres account then."""
    if is_root():
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _private_pg_port(running):
    """The private cluster's port: DUNNING_PG_PORT, else the one it was first started on.

    A second checkout on the same machine (a CI clone beside a developer's) finds 55432 taken by
    the first one's cluster: it takes the next free port and keeps it in .local/postgresql/port.
    """
    if "DUNNING_PG_PORT" in os.environ:
        return PRIVATE_PG_PORT
    stamp = os.path.join(PG_DIR, "port")
    if os.path.exists(stamp):
        with open(stamp) as handle:
            return int(handle.read().strip())
    if running:
        return PRIVATE_PG_PORT
    port = next((p for p in range(PRIVATE_PG_PORT, PRIVATE_PG_PORT + 100) if _port_is_free(p)), PRIVATE_PG_PORT)
    if port != PRIVATE_PG_PORT:
        say(f"Port {PRIVATE_PG_PORT} is taken by another server: the private PostgreSQL uses {port}")
    with open(stamp, "w") as handle:
        handle.write(f"{port}\n")
    return port


def private_postgres():
    """Create (once) and start the project's own cluster under .local/postgresql."""
    if not _pg_bin("initdb") or not _pg_bin("pg_ctl"):
        apt_install(["postgresql", "postgresql-client"], "PostgreSQL")
    initdb, pg_ctl, psql = _pg_bin("initdb"), _pg_bin("pg_ctl"), _pg_bin("psql")
    data = os.path.join(PG_DIR, "data")
    sockets = os.path.join(PG_DIR, "run")
    logfile = os.path.join(PG_DIR, "server.log")
    os.makedirs(sockets, exist_ok=True)
    if is_root():
        shutil.chown(PG_DIR, "postgres")
        shutil.chown(sockets, "postgres")
    if not os.path.exists(os.path.join(data, "PG_VERSION")):
        say(f"Creating a private PostgreSQL cluster in {os.path.relpath(data, ROOT)}/")
        run(
            _as_postgres_user([initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
            stdout=subprocess.DEVNULL,
        )
    status = run(_as_postgres_user([pg_ctl, "-D", data, "status"]), check=False, quiet=True)
    port = _private_pg_port(running=status.returncode == 0)
    if status.returncode != 0:
        say(f"Starting the private PostgreSQL on 127.0.0.1:{port}")
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = run(
            _as_postgres_user([pg_ctl, "-D", data, "-l", logfile, "-w", "-t", "60", "-o", options, "start"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )
        if start.returncode != 0:
            raise SetupError(f"The private PostgreSQL did not start; see {logfile}")
    role = run(
        [
            psql,
            "-X",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-tAc",
            "select 1 from pg_roles where rolname='odoo'",
        ],
        capture_output=True,
        text=True,
    )
    if role.stdout.strip() != "1":
        run(
            [
                psql,
                "-X",
                "-q",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-c",
                "create role odoo login createdb",
            ]
        )
    return {"host": "127.0.0.1", "port": str(port), "user": "odoo", "password": "", "private": True}


def ensure_postgres():
    return external_postgres() or private_postgres()


def stop_private_postgres():
    data = os.path.join(PG_DIR, "data")
    pg_ctl = _pg_bin("pg_ctl")
    if pg_ctl and os.path.exists(os.path.join(data, "PG_VERSION")):
        run(_as_postgres_user([pg_ctl, "-D", data, "-m", "fast", "stop"]), check=False, quiet=True)
        say("Private PostgreSQL stopped")


# --------------------------------------------------------------------------- wkhtmltopdf
def ensure_wkhtmltopdf():
    if not shutil.which("wkhtmltopdf"):
        apt_install(["wkhtmltopdf"], "wkhtmltopdf (PDF letters)")


# The letters name these families (debtor_dunning/report/debtor_dunning_letter_layout.xml): wkhtmltopdf
# embeds a font installed on the machine, so the PDF has text, whereas Debian's build draws Odoo's web
# fonts (@font-face) as outlines.
LETTER_FONTS = {"Lato": "fonts-lato", "DejaVu Sans": "fonts-dejavu-core"}


def _font_installed(family):
    """Whether fontconfig, which wkhtmltopdf asks, knows the family (without fc-list: a file named after it)."""
    if shutil.which("fc-list"):
        found = run(["fc-list", f":family={family}", "family"], capture_output=True, text=True, check=False)
        return bool(found.stdout.strip())
    return bool(glob.glob(f"/usr/share/fonts/**/{family.replace(' ', '')}*.ttf", recursive=True))


def ensure_fonts():
    missing = [package for family, package in LETTER_FONTS.items() if not _font_installed(family)]
    if missing:
        apt_install(missing, "the fonts of the PDF letters")


def ensure_chromium():
    """The portal's browser tests (Odoo tours) run in headless Chromium."""
    if not any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        apt_install(["chromium"], "Chromium (browser tests)")


# --------------------------------------------------------------------------- Odoo config and calls
def write_config(py, odoo_dir, pg, name="odoo.conf", logfile=None):
    os.makedirs(LOG_DIR, exist_ok=True)
    lines = [
        "[options]",
        f"addons_path = {','.join(odoo_addons_paths(odoo_dir))}",
        f"data_dir = {os.path.join(LOCAL, 'data')}",
        f"db_user = {pg['user']}",
        "admin_passwd = admin",
        "http_interface = 127.0.0.1",
        f"http_port = {HTTP_PORT}",
        "proxy_mode = False",
        "max_cron_threads = 1",
        "without_demo = True",
    ]
    # Empty settings are left out so that Odoo falls back on libpq's own defaults.
    lines += [f"db_{key} = {pg[key]}" for key in ("host", "port", "password") if pg[key]]
    if logfile:
        lines.append(f"logfile = {logfile}")
    path = os.path.join(LOCAL, name)
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def odoo_cmd(py, config, *args):
    return [py, "-m", "odoo", "server", "-c", config, *args]


def database_exists(pg, dbname):
    env = _pg_env(pg)
    out = run(
        [
            _pg_bin("psql") or "psql",
            "-X",
            "-d",
            "postgres",
            "-tAc",
            f"select 1 from pg_database where datname = '{dbname}'",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return out.stdout.strip() == "1"


def drop_database(pg, dbname):
    run([_pg_bin("dropdb") or "dropdb", "--if-exists", "--force", dbname], env=_pg_env(pg), quiet=True, check=False)


def _pg_env(pg):
    env = dict(os.environ)
    for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD")):
        if pg[key]:
            env[var] = pg[key]
    return env


def prepare(command_name):
    py, odoo_dir = ensure_python(command_name)
    pg = ensure_postgres()
    ensure_wkhtmltopdf()
    ensure_fonts()
    return py, odoo_dir, pg


# --------------------------------------------------------------------------- commands
def cmd_run(args):
    py, odoo_dir, pg = prepare("setup/run")
    logfile = os.path.join(LOG_DIR, "odoo.log")
    config = write_config(py, odoo_dir, pg, logfile=logfile)
    stamp = os.path.join(LOCAL, f"demo-{DEMO_DB}.done")
    if not (database_exists(pg, DEMO_DB) and os.path.exists(stamp)):
        drop_database(pg, DEMO_DB)
        log = os.path.relpath(logfile, ROOT)
        say(f"Creating the demo database '{DEMO_DB}' (a few minutes the first time; log: {log})")
        # The company must be Dutch before `account` installs, so that the Dutch chart is chosen for it.
        run(odoo_cmd(py, config, "-d", DEMO_DB, "-i", "base", "--stop-after-init"))
        demo_script = os.path.join(ROOT, "setup", "demo_data.py")
        run([py, demo_script, "--config", config, "--database", DEMO_DB, "--step", "company"])
        modules = ",".join(("l10n_nl", *ADDONS, *ALSO_INSTALLED))
        run(odoo_cmd(py, config, "-d", DEMO_DB, "-i", modules, "--stop-after-init"))
        run([py, demo_script, "--config", config, "--database", DEMO_DB, "--step", "invoices"])
        say("Simulating five months of dunning runs, payments, calls and disputes (a few minutes)")
        # The letters are rendered meanwhile: wkhtmltopdf fetches their style sheets from Odoo.
        with _serving(py, config, DEMO_DB) as url:
            run([py, demo_script, "--config", config, "--database", DEMO_DB, "--step", "history", "--base-url", url])
        with open(stamp, "w") as handle:
            handle.write(time.strftime("%Y-%m-%d %H:%M:%S"))
    elif args.update:
        say("Updating the add-ons in the demo database")
        run(odoo_cmd(py, config, "-d", DEMO_DB, "-u", ",".join(ADDONS), "--stop-after-init"))
    url = f"http://127.0.0.1:{HTTP_PORT}/odoo/accounting"
    say(f"Odoo is starting at {url}")
    say("Login: admin   Password: admin")
    say(f"Database: {DEMO_DB}   Log: {os.path.relpath(logfile, ROOT)}   Stop: Ctrl-C or setup/stop")
    pidfile = os.path.join(LOCAL, "odoo.pid")
    cmd = odoo_cmd(py, config, "-d", DEMO_DB, "--db-filter", f"^{DEMO_DB}$", "--pidfile", pidfile)
    if args.background:
        subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        _wait_for_http(url)
        say("Odoo runs in the background.")
        return 0
    os.execv(py, cmd)
    return 0


def _wait_for_http(url, timeout=120, process=None):
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        if process and process.poll() is not None:
            break
        try:
            urllib.request.urlopen(url.replace("/odoo/accounting", "/web/login"), timeout=5)
            return
        except OSError:
            time.sleep(1)
    raise SetupError(f"Odoo did not answer at {url} within {timeout} s; see .local/log/odoo.log")


@contextlib.contextmanager
def _serving(py, config, dbname):
    """Odoo serving `dbname` (without scheduled actions) while the block runs; yields its address."""
    url = f"http://127.0.0.1:{HTTP_PORT}"
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", HTTP_PORT)) == 0:
            raise SetupError(
                f"Port {HTTP_PORT} is taken (an Odoo left running?): setup/stop, or set DUNNING_HTTP_PORT."
            )
    cmd = odoo_cmd(py, config, "-d", dbname, "--db-filter", f"^{dbname}$", "--max-cron-threads", "0")
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_http(url + "/web/login", process=process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


def _stop_process(pid, timeout=30):
    """SIGTERM, then wait: Odoo finishes its requests and cron jobs first. A second SIGTERM makes
    Odoo stop at once, SIGKILL ends a process that still does not; the database goes down after it."""
    for sig in (signal.SIGTERM, signal.SIGTERM, signal.SIGKILL):
        os.kill(pid, sig)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.5)


def cmd_stop(_args):
    pidfile = os.path.join(LOCAL, "odoo.pid")
    if os.path.exists(pidfile):
        try:
            _stop_process(int(open(pidfile).read().strip()))
            say("Odoo stopped")
        except (ProcessLookupError, ValueError):
            pass
        with contextlib.suppress(FileNotFoundError):  # Odoo removes it itself when it exits
            os.remove(pidfile)
    stop_private_postgres()
    return 0


def cmd_clean(args):
    cmd_stop(args)
    for path in (LOCAL, VENV):
        if os.path.exists(path):
            shutil.rmtree(path)
            say(f"Removed {os.path.relpath(path, ROOT)}/")
    return 0


def cmd_env(args):
    """Print the prepared environment as JSON (used by the test driver)."""
    py, odoo_dir, pg = prepare(args.command_name)
    print(json.dumps({"python": py, "odoo_dir": odoo_dir, "pg": pg, "addons_path": odoo_addons_paths(odoo_dir)}))
    return 0


TEST_DB = os.environ.get("DUNNING_TEST_DB", "dunning_test")
REPORTS = os.path.join(LOCAL, "reports")
ODOO_RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
ODOO_SKIPPED = re.compile(r"odoo\.tests\.result: skipped ")
ODOO_PROBLEM = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")


class Tally:
    """Counts over every stage; printed as the closing line."""

    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def add(self, passed, failed, skipped=0):
        self.passed += passed
        self.failed += failed
        self.skipped += skipped

    def closing_line(self):
        line = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            line += f", {self.skipped} skipped"
        return line


def _junit_counts(path):
    import xml.etree.ElementTree as ET

    if not os.path.exists(path):
        return 0, 0, 0
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    total = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return total - failed - skipped, failed, skipped


def _pytest_stage(py, tally, name, targets, env, extra=()):
    report = os.path.join(REPORTS, f"{name}.xml")
    if os.path.exists(report):
        os.remove(report)
    say(f"== {name}: pytest {' '.join(targets)}")
    result = run(
        [py, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *extra, *targets],
        check=False,
        cwd=ROOT,
        env=env,
    )
    passed, failed, skipped = _junit_counts(report)
    if result.returncode not in (0, 1) or (result.returncode == 1 and not failed):
        # pytest itself failed (usage error, collection crash, no tests): that is a failure, never a pass.
        failed += 1
        say(f"{name}: pytest exited with {result.returncode}")
    tally.add(passed, failed, skipped)


def _odoo_stage(py, odoo_dir, pg, tally):
    config = write_config(py, odoo_dir, pg, name="odoo-test.conf")
    logfile = os.path.join(LOG_DIR, "odoo-tests.log")
    drop_database(pg, TEST_DB)
    tags = ",".join(f"/{name}" for name in ADDONS)
    say(f"== Odoo tests of {', '.join(ADDONS)} on a fresh database '{TEST_DB}' (log: {os.path.relpath(logfile, ROOT)})")
    cmd = odoo_cmd(
        py,
        config,
        "-d",
        TEST_DB,
        "-i",
        ",".join((*ADDONS, *ALSO_INSTALLED)),
        "--test-enable",
        "--test-tags",
        tags,
        "--stop-after-init",
        "--log-level=test",
        "--http-port",
        str(HTTP_PORT + 100),
    )
    summary, skipped, problems = None, 0, 0
    with open(logfile, "w") as log:
        process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        echo_traceback = False
        for line in process.stdout:
            log.write(line)
            if ODOO_RESULT.search(line):
                summary = ODOO_RESULT.search(line)
            if ODOO_SKIPPED.search(line):
                skipped += 1
            is_problem = bool(ODOO_PROBLEM.match(line))
            if is_problem and not ODOO_RESULT.search(line):
                problems += 1
            if is_problem:
                echo_traceback = is_problem
                print(line, end="", flush=True)
            elif echo_traceback and not re.match(r"^\d{4}-\d\d-\d\d ", line):
                print(line, end="", flush=True)
            else:
                echo_traceback = False
        returncode = process.wait()
    if not summary:
        say(f"Odoo ran no test report (exit {returncode}); see {logfile}")
        tally.add(0, 1)
        return
    failed, errors, total = (int(x) for x in summary.groups())
    print(summary.group(0), flush=True)
    if total == 0:
        say("Odoo ran no test at all: counted as a failure")
        failed += 1
    # Errors logged outside any test (a module that failed to load) fail the stage too.
    extra = 1 if (problems > failed + errors or returncode != 0) and not (failed or errors) else 0
    tally.add(total - failed - errors - skipped, failed + errors + extra, skipped)


def cmd_test(args):
    py, odoo_dir, pg = prepare("setup/test")
    ensure_chromium()
    os.makedirs(REPORTS, exist_ok=True)
    tally = Tally()
    started = time.time()
    env = dict(
        os.environ, DUNNING_ODOO_PYTHON=py, DUNNING_ODOO_DIR=odoo_dir, DUNNING_PG=json.dumps(pg), DUNNING_ROOT=ROOT
    )
    known = ["static", "odoo", "repository"]
    unknown = set(args.stages) - set(known)
    if unknown:
        raise SetupError(f"Unknown test stage(s) {', '.join(sorted(unknown))}; choose from {', '.join(known)}.")
    stages = args.stages or known
    if "static" in stages:
        _pytest_stage(py, tally, "static", ["tests/static"], env)
    if "odoo" in stages:
        _odoo_stage(py, odoo_dir, pg, tally)
    if "repository" in stages:
        _pytest_stage(py, tally, "repository", ["tests"], env, extra=["--ignore=tests/static"])
    say(f"All stages done in {time.time() - started:.0f} s")
    print(tally.closing_line(), flush=True)
    return 1 if tally.failed or not tally.passed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="create the demo database if needed and serve Odoo")
    run_parser.add_argument("--background", action="store_true", help="serve in the background and return")
    run_parser.add_argument("--update", action="store_true", help="update the add-ons in the demo database first")
    test_parser = sub.add_parser("test", help="static checks, the add-ons' Odoo tests, the repository tests")
    test_parser.add_argument(
        "stages", nargs="*", metavar="STAGE", help="static, odoo or repository: run only these (default: all)"
    )
    sub.add_parser("stop", help="stop Odoo and the private PostgreSQL")
    sub.add_parser("clean", help="stop, then remove .venv/ and .local/ (databases included)")
    env_parser = sub.add_parser("env", help="prepare the environment and print it as JSON")
    env_parser.add_argument("--command-name", default="setup/test")
    args = parser.parse_args(argv)
    handlers = {"run": cmd_run, "test": cmd_test, "stop": cmd_stop, "clean": cmd_clean, "env": cmd_env}
    try:
        return handlers[args.command](args)
    except SetupError as error:
        print(f"\n[dunning] ERROR: {error}", file=sys.stderr, flush=True)
        return 2
    except subprocess.CalledProcessError as error:
        print(
            f"\n[dunning] ERROR: command failed ({error.returncode}): {' '.join(map(str, error.cmd))}",
            file=sys.stderr,
            flush=True,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
