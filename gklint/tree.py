"""`gklint tree`: the document tree, readable or as JSON (shape: docs/tree.md)."""

from __future__ import annotations

from .document import Cell, Document, Paragraph, Row, Section, Span, Table

TREE_VERSION = 1


def _pos(span: Span) -> str:
    return f"{span.line}:{span.column}-{span.end_line}:{span.end_column}"


def _short(text: str, width: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(doc: Document) -> str:
    era = doc.era
    out = [
        f"document {doc.path}",
        f"  era: {era.name} (confidence {era.confidence:.2f}{', forced' if era.forced else ''};"
        f" evidence: {', '.join(era.evidence) or '-'})",
        f"  year: {doc.year if doc.year else '-'} (from {doc.year_source})",
        f"  agency: {doc.agency or '-'}",
        f"  agency kind: {_kind(doc)}",
        "  published: " + (f"{doc.published.date.isoformat()} (from {doc.published.source}: {doc.published.text})"
                            if doc.published else "-"),
    ]
    if doc.title:
        out.append(f"  title {_pos(doc.title.span)}: {doc.title.text.text}")
    else:
        out.append("  title: (none)")
    if doc.preamble:
        out.append("  preamble")
        out += [line for node in doc.preamble for line in _node_lines(node, 4)]
    for section in doc.sections:
        out += _node_lines(section, 2)
    if doc.signature:
        sig = doc.signature
        out.append(f"  signature {_pos(sig.span)}: {sig.agency or '(no agency)'} {sig.date_text or '(no date)'}"
                   + (f" = {sig.date.isoformat()}" if sig.date else ""))
    else:
        out.append("  signature: (none)")
    if doc.appendix:
        out.append("  appendix")
        out += [line for node in doc.appendix for line in _node_lines(node, 4)]
    return "\n".join(out) + "\n"


def _kind(doc: Document) -> str:
    kind = doc.agency_kind
    name = kind.kind + (" (township)" if kind.township else "")
    return f"{name} ({kind.evidence})" if kind.evidence else name


def _node_lines(node, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(node, Section):
        lines = [f"{pad}section L{node.level} {_pos(node.span)} {node.marker}{node.title.text}"]
        for child in node.children:
            lines += _node_lines(child, indent + 2)
        return lines
    if isinstance(node, Paragraph):
        return [f"{pad}paragraph {_pos(node.span)} {_short(node.text.text)}"]
    if isinstance(node, Table):
        head = f"{pad}table {_pos(node.span)} kind={node.kind} layout={node.layout} rows={len(node.rows)}"
        if node.caption:
            head += f" caption={_short(node.caption, 30)}"
        return [head] + [_row_line(row, indent + 2) for row in node.rows]
    return [f"{pad}{type(node).__name__}"]


def _cell_text(cell: Cell) -> str:
    return {"blank": "␣", "dash": cell.text}.get(cell.kind, cell.text)


def _row_line(row: Row, indent: int) -> str:
    pad = " " * indent
    if row.role != "data":
        return f"{pad}{row.role} {row.line}: " + " | ".join(_short(c.text, 20) for c in row.cells if c.text)
    label = " > ".join(_short(p, 24) for p in row.path) or "(no label)"
    unit = f" [{row.unit}]" if row.unit else ""
    values = " ".join(_cell_text(c) for c in row.values)
    return f"{pad}row {row.line}: {label}{unit} = {values}"


# ---------------------------------------------------------------- JSON

def to_json(doc: Document) -> dict:
    sig = doc.signature
    return {
        "version": TREE_VERSION,
        "path": doc.path,
        "encoding": doc.encoding,
        "era": {"name": doc.era.name, "confidence": doc.era.confidence,
                "evidence": doc.era.evidence, "forced": doc.era.forced},
        "year": doc.year,
        "year_source": doc.year_source,
        "agency": doc.agency,
        "agency_kind": {"kind": doc.agency_kind.kind, "township": doc.agency_kind.township,
                        "evidence": doc.agency_kind.evidence},
        "published": None if not doc.published else {
            "date": doc.published.date.isoformat(), "source": doc.published.source, "text": doc.published.text,
            "span": doc.published.span.to_dict() if doc.published.span else None,
        },
        "title": None if not doc.title else {
            "text": doc.title.text.text, "span": doc.title.span.to_dict(),
            "agency": doc.title.agency, "year": doc.title.year, "inline": doc.title.inline,
        },
        "preamble": [_node_json(n) for n in doc.preamble],
        "sections": [_node_json(n) for n in doc.sections],
        "signature": None if not sig else {
            "agency": sig.agency, "date": sig.date.isoformat() if sig.date else None,
            "date_text": sig.date_text, "span": sig.span.to_dict(),
        },
        "appendix": [_node_json(n) for n in doc.appendix],
    }


def _node_json(node) -> dict:
    if isinstance(node, Section):
        return {"type": "section", "marker": node.marker, "family": node.family, "ordinal": node.ordinal,
                "level": node.level, "title": node.title.text, "span": node.span.to_dict(),
                "children": [_node_json(c) for c in node.children]}
    if isinstance(node, Paragraph):
        return {"type": "paragraph", "text": node.text.text, "span": node.span.to_dict()}
    return {"type": "table", "kind": node.kind, "layout": node.layout, "caption": node.caption,
            "span": node.span.to_dict(), "rows": [_row_json(r) for r in node.rows]}


def _row_json(row: Row) -> dict:
    return {"role": row.role, "path": row.path, "unit": row.unit, "span": row.span.to_dict(),
            "cells": [_cell_json(c) for c in row.cells], "values": [_cell_json(c) for c in row.values]}


def _cell_json(cell: Cell) -> dict:
    return {"text": cell.text, "kind": cell.kind, "value": cell.value, "span": cell.span.to_dict()}
