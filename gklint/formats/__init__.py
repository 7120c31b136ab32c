"""Output formats: each a module with render(results, rules, **options) -> str.

Imported lazily by name so that a run loads only the format it prints.
"""

from __future__ import annotations

import importlib

FORMATS = ("text", "json", "sarif", "github", "html")


def render(name: str, results, rules, **options) -> str:
    module = importlib.import_module(f"{__name__}.{name}")
    return module.render(results, rules, **options)
