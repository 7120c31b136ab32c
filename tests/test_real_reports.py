"""The full output on every shared report, pinned (ruff-style snapshots).

Each snapshot was read finding by finding against the report; a change in
output shows up as a diff to review. Refresh with GKLINT_UPDATE_SNAPSHOTS=1.
"""

import os
from pathlib import Path

import pytest
from conftest import SEEDS

from gklint.finding import Severity
from gklint.formats import render
from gklint.run import Linter, Options

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def lint(name):
    linter = Linter(Options(isolated=True))
    return linter.lint(str(SEEDS[name].relative_to(SEEDS[name].parents[1])))


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_snapshot(name):
    result = lint(name)
    text = render("text", [result], [])
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("GKLINT_UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_clean_2024_report_has_no_error():
    result = lint("huaian")
    assert [f for f in result.findings if f.severity == Severity.error] == []


def rules_at(name):
    return {(f.rule, f.span.line) for f in lint(name).findings}


def test_seed_defects_from_the_domain_reference():
    # 001: staff 2 stated, 专职 1 + 兼职 2; dated before the year ended; no 收费/复议 parts
    assert {("GK407", 138), ("GK205", 71), ("GK110", 3)} <= rules_at("001")
    # 002: narrative 主动公开 total against the table; 复议诉讼 8 vs 10; 110% breakdown
    assert {("GK510", 174), ("GK510", 192), ("GK504", 293), ("GK603", 94)} <= rules_at("002")
    # 004: 比2017年 in a 2017 report; broken URL
    assert {("GK501", 3), ("GK602", 1)} <= rules_at("004")
    # 003: labels altered from the 2021 template; heading 四 reworded
    assert {("GK350", 42), ("GK350", 43), ("GK350", 63), ("GK123", 69)} <= rules_at("003")
    # 000: 的的 and a doubled word in the source
    assert {("GK601", 41), ("GK601", 51)} <= rules_at("000")
