"""Rule selectors (`--select GK2`, `ignore: [GK511]`) checked against the loaded rules.

A selector that matches no rule is a mistake that would otherwise pass in
silence: `--select GK999` would lint nothing and exit 0, and a CI gate would
go green. Like ruff, an unknown selector is a usage error naming the closest
real ones.
"""

from __future__ import annotations

import difflib


_LOOKALIKES = str.maketrans("OIL", "011")  # GK1O1 typed for GK101


def _letters(code: str) -> int:
    """How many capital letters the code starts with (2 in GK101)."""
    return len(code) - len(code.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def known_prefixes(rule_ids) -> set[str]:
    """Every rule id and every prefix of one that a selector may name (GK, GK1, GK10, GK101)."""
    prefixes = set()
    for rule_id in rule_ids:
        for end in range(max(_letters(rule_id), 1), len(rule_id) + 1):
            prefixes.add(rule_id[:end])
    return prefixes


def unknown(selectors, rule_ids) -> list[tuple[str, list[str]]]:
    """The selectors that match no rule, each with up to three close matches."""
    prefixes = known_prefixes(rule_ids)
    ids = sorted(rule_ids)
    missing = []
    for selector in selectors:
        if selector in prefixes:
            continue
        wanted = selector.strip().upper()
        lead = min(_letters(wanted), 2)
        typed = wanted[:lead] + wanted[lead:].translate(_LOOKALIKES)
        if typed in prefixes:
            close = [typed]
        elif wanted in prefixes:
            close = [wanted]
        else:
            close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6)
        missing.append((selector, close))
    return missing


def describe(selector: str, close: list[str]) -> str:
    hint = f"；是否想用 {'、'.join(close)}？" if close else "；`gklint rules` 列出全部规则"
    return f"没有与 `{selector}` 相符的规则{hint} (unknown rule selector)"
