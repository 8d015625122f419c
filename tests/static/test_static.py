# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Static checks, run before any database is touched: lint, XML, manifests, translations, packaging."""

import ast
import csv
import os
import re
import subprocess
import sys

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib
from pathlib import Path

import polib
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ["debtor_dunning", "debtor_dunning_arrangement", "debtor_dunning_collection"]
SKIP_DIRS = {".git", ".venv", ".local", "__pycache__", "node_modules"}


def _files(suffix):
    found = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        found += [Path(folder, n) for n in names if n.endswith(suffix)]
    return sorted(found)


def _rel(path):
    return str(path.relative_to(ROOT))


def _manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("addon", ADDONS)
def test_pylint_odoo_mandatory_checks(addon):
    result = subprocess.run(
        [sys.executable, "-m", "pylint", f"--rcfile={ROOT / '.pylintrc-mandatory'}", addon],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", _files(".xml"), ids=_rel)
def test_xml_is_well_formed(path):
    etree.parse(str(path))


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_is_valid(addon):
    manifest = _manifest(addon)
    assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", manifest["version"]), manifest["version"]
    assert manifest["license"] == "AGPL-3"
    for key in ("name", "summary", "author", "website", "category", "depends"):
        assert manifest.get(key), f"{addon}: manifest lacks {key}"
    assert manifest.get("installable", True)
    if addon != "debtor_dunning":
        assert "debtor_dunning" in manifest["depends"]
    for data_file in manifest.get("data", []) + manifest.get("demo", []):
        assert (ROOT / addon / data_file).is_file(), f"{addon}: {data_file} is listed but missing"
    for module in manifest.get("external_dependencies", {}).get("python", []):
        __import__({"mollie-api-python": "mollie"}.get(module, module))


@pytest.mark.parametrize("addon", ADDONS)
def test_addon_layout_and_packaging(addon):
    folder = ROOT / addon
    assert (folder / "static/description/icon.png").is_file()
    assert (folder / "readme/DESCRIPTION.md").is_file()
    assert (folder / "i18n/nl.po").is_file()
    assert (folder / "security/ir.model.access.csv").is_file()
    build = tomllib.loads((folder / "pyproject.toml").read_text())["build-system"]
    assert build["build-backend"] == "whool.buildapi"
    metapackage = (ROOT / "setup/_metapackage/pyproject.toml").read_text()
    assert f"odoo-addon-{addon.replace('_', '-')}" in metapackage


@pytest.mark.parametrize("addon", ADDONS)
def test_every_data_file_is_loaded(addon):
    """An XML or CSV file nobody lists in the manifest is dead code or a forgotten feature."""
    manifest = _manifest(addon)
    listed = set(manifest.get("data", []) + manifest.get("demo", []))
    for sub in ("views", "data", "security", "report", "wizards"):
        for path in sorted((ROOT / addon / sub).glob("*")):
            if path.suffix in (".xml", ".csv"):
                assert str(path.relative_to(ROOT / addon)) in listed, f"{_rel(path)} is not in the manifest"


@pytest.mark.parametrize("addon", ADDONS)
def test_access_csv_is_well_formed(addon):
    with open(ROOT / addon / "security/ir.model.access.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        assert row["id"] and row["model_id:id"].startswith("model_"), row
        assert row["group_id:id"], f"{row['id']}: access without a group opens the model to everyone"


@pytest.mark.parametrize("path", _files(".po") + _files(".pot"), ids=_rel)
def test_translation_file_parses(path):
    catalog = polib.pofile(str(path))
    assert len(catalog) > 0
    if path.name == "nl.po":
        untranslated = [entry.msgid for entry in catalog.untranslated_entries() if not entry.obsolete]
        assert not untranslated, f"{len(untranslated)} Dutch translations missing, e.g. {untranslated[:5]}"
        for entry in catalog.translated_entries():
            placeholders = sorted(re.findall(r"%\(\w+\)s|%s|%d|\{\w*\}", entry.msgid))
            assert placeholders == sorted(re.findall(r"%\(\w+\)s|%s|%d|\{\w*\}", entry.msgstr)), entry.msgid


def test_no_deprecated_view_idioms():
    """Odoo 19: no attrs/states in views, no <tree>, no _sql_constraints."""
    for path in _files(".xml"):
        if not any(part in ADDONS for part in path.parts):
            continue
        text = path.read_text()
        assert " attrs=" not in text and " states=" not in text, _rel(path)
        assert "<tree" not in text, _rel(path)
    for path in _files(".py"):
        if any(part in ADDONS for part in path.parts):
            assert "_sql_constraints" not in path.read_text(), _rel(path)
