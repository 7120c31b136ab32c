"""Selecting what a check judges: text scopes, tables, rows by label.

Scopes: `document` (every paragraph and heading), `body` (paragraphs),
`preamble`, `headings`, `cells` (text cells of tables), `title`,
`section:<alias|alias…>` (paragraphs and headings of sections whose title
contains an alias, at any depth).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache

from .document import AgencyKind, Document, Paragraph, Piece, Row, Section, Table, TextRun
from .expr import Ref
from .parse.text import label_key
from .source import fold

SCOPES = ("document", "body", "preamble", "headings", "cells", "title")

SEPARATOR = "。\n"  # between runs: a sentence end, so patterns do not run on


class Joined:
    """The runs of a scope as one string (one regex pass instead of one per
    paragraph), with positions mapped back to the run they fall in."""

    __slots__ = ("text", "runs", "starts", "_folded")

    def __init__(self, runs: list[TextRun]):
        self.runs = runs
        self.starts, offset = [], 0
        for run in runs:
            self.starts.append(offset)
            offset += len(run.text) + len(SEPARATOR)
        self.text = SEPARATOR.join(run.text for run in runs)
        self._folded: str | None = None

    @property
    def folded(self) -> str:
        """`text` with full-width forms folded (＠ → @, ０ → 0), same positions."""
        if self._folded is None:
            self._folded = fold(self.text)
        return self._folded

    def span(self, start: int, end: int):
        k = max(0, bisect.bisect_right(self.starts, start) - 1)
        run, offset = self.runs[k], self.starts[k]
        return run.span(start - offset, min(end - offset, len(run.text)))


@dataclass
class Context:
    doc: Document
    agency_kind: AgencyKind
    previous: "Context | None" = None  # the same agency's report for the year before
    _rows: dict = field(default_factory=dict)
    _runs: dict = field(default_factory=dict)
    _tables: list | None = None
    _found: dict = field(default_factory=dict)
    _joined: dict = field(default_factory=dict)

    @property
    def year(self) -> int | None:
        return self.doc.year

    def memo(self, key, compute):
        """What two rules need from one report, computed once (GK505 and GK506
        share one scan of the breakdowns)."""
        if key not in self._found:
            self._found[key] = compute()
        return self._found[key]

    # ------------------------------------------------------------ text

    def runs(self, scope: str) -> list[TextRun]:
        """The text runs of a scope, in document order."""
        if scope not in self._runs:
            self._runs[scope] = self._select(scope)
        return self._runs[scope]

    def joined(self, scope: str) -> Joined:
        """The scope's text as one string; `.span(i, j)` maps back to the source."""
        if scope not in self._joined:
            self._joined[scope] = Joined(self.runs(scope))
        return self._joined[scope]

    def _select(self, scope: str) -> list[TextRun]:
        doc = self.doc
        if scope == "title":
            return [doc.title.text] if doc.title else []
        if scope == "preamble":
            return [n.text for n in doc.preamble if isinstance(n, Paragraph)]
        if scope == "headings":
            return [s.title for s in doc.all_sections()]
        if scope == "body":
            return [p.text for p in doc.paragraphs()]
        if scope == "cells":
            return [_cell_run(c) for t in doc.tables() for r in t.rows for c in r.cells if c.kind == "text"]
        if scope == "document":
            runs = [doc.title.text] if doc.title and not doc.title.inline else []
            for node in doc.walk():
                if isinstance(node, Section):
                    runs.append(node.title)
                elif isinstance(node, Paragraph):
                    runs.append(node.text)
            return runs
        if scope.startswith("section:"):
            aliases = [label_key(a) for a in scope.split(":", 1)[1].split("|")]
            runs = []
            for section in self.sections(aliases):
                runs.append(section.title)
                runs += _section_runs(section)
            return runs
        raise ValueError(f"unknown scope {scope}")

    def sections(self, aliases: list[str]) -> list[Section]:
        """Sections (any depth) whose title contains one of the alias keys."""
        return [s for s in self.doc.all_sections() if any(a in label_key(s.title.text) for a in aliases)]

    # ------------------------------------------------------------ tables

    def tables(self, kind: str | None = None) -> list[Table]:
        if self._tables is None:
            self._tables = self.doc.tables()
        return [t for t in self._tables if kind is None or t.kind == kind]

    def table(self, kind: str) -> Table | None:
        tables = self.tables(kind)
        return tables[0] if tables else None

    def readable_table(self, kind: str) -> Table | None:
        """The table of this kind when its reading is sure; a table with doubts
        is not judged (the table_doubts check says so once)."""
        table = self.table(kind)
        return table if table is not None and not table.doubts else None

    def row(self, table: Table, ref: Ref) -> Row | None:
        """The row a label reference names: the own label equal to an
        alternative is best, then starting with it, then containing it; each
        parent part must appear in the row's path above it."""
        cache_key = (id(table), ref)
        if cache_key not in self._found:
            self._found[cache_key] = self._find_row(table, ref)
        return self._found[cache_key]

    def _find_row(self, table: Table, ref: Ref) -> Row | None:
        keys = self._row_keys(table)
        *parents, own = ref.path
        alternatives = _folded(own)
        if not parents:
            exact = self._exact(table)
            for alt in alternatives:
                if alt in exact:
                    return exact[alt]
        best, best_rank = None, 9
        for row, path_keys in keys:
            if not path_keys:
                continue
            rank = _rank(path_keys[-1], alternatives)
            if rank >= best_rank:
                continue
            if parents and not _has_parents(path_keys[:-1], parents):
                continue
            best, best_rank = row, rank
            if rank == 0:
                break
        return best

    def _exact(self, table: Table) -> dict[str, Row]:
        key = ("exact", id(table))
        if key not in self._rows:
            exact: dict[str, Row] = {}
            for row, path_keys in self._row_keys(table):
                if path_keys:
                    exact.setdefault(path_keys[-1], row)
            self._rows[key] = exact
        return self._rows[key]

    def _row_keys(self, table: Table) -> list[tuple[Row, list[str]]]:
        key = id(table)
        if key not in self._rows:
            self._rows[key] = [(r, [label_key(p) for p in r.path]) for r in table.data_rows]
        return self._rows[key]


def _rank(key: str, alternatives: tuple[str, ...]) -> int:
    """0: the key is an alternative (folded); 1: starts with one; 2: holds one; 9: none."""
    rank = 9
    for alt in alternatives:
        if key == alt:
            return 0
        if key.startswith(alt):
            rank = min(rank, 1)
        elif alt in key:
            rank = min(rank, 2)
    return rank


@lru_cache(maxsize=4096)
def _folded(alternatives: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(fold(a) for a in alternatives)


def _has_parents(path_keys: list[str], parents) -> bool:
    position = 0
    for alternatives in parents:
        while position < len(path_keys) and not any(a in path_keys[position] for a in _folded(alternatives)):
            position += 1
        if position == len(path_keys):
            return False
        position += 1
    return True


def _section_runs(section: Section) -> list[TextRun]:
    runs = []
    for child in section.children:
        if isinstance(child, Paragraph):
            runs.append(child.text)
        elif isinstance(child, Section):
            runs.append(child.title)
            runs += _section_runs(child)
    return runs


def _cell_run(cell) -> TextRun:
    return TextRun([Piece(cell.span.line, cell.span.column, cell.text)])
