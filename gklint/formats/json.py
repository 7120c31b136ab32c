"""JSON output (docs/json.md): {"version": 1, "tool", "files", "findings", "summary"}."""

from __future__ import annotations

import json

from .. import __version__

SCHEMA_VERSION = 1


def render(results, rules, snippets: bool = True, pretty: bool = True, **_) -> str:
    findings = []
    for result in results:
        for f in result.findings:
            record = f.to_record()
            record.update({"agency": result.agency, "year": result.year, "era": result.era})
            if not snippets:
                record.pop("snippet")
            findings.append(record)
    counts = {"error": 0, "warning": 0, "info": 0}
    for record in findings:
        counts[record["severity"]] += 1
    document = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "gklint", "version": __version__},
        "files": [
            {"path": r.path, "agency": r.agency, "year": r.year, "era": r.era, "characters": r.chars,
             "findings": len(r.findings), "error": r.error}
            for r in results
        ],
        "findings": findings,
        "summary": {"files": len(results), "findings": len(findings), **counts,
                    "unreadable": sum(1 for r in results if r.error)},
    }
    if not pretty:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
