"""Check primitives: small, general judgements named from rule files.

A primitive receives the lint context and its parameters and yields Hits; it
never knows its rule id, severity or the output format (the engine stamps
those). Each declares its parameters so the loader can reject bad ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..document import Span


@dataclass
class Hit:
    """What a check found: where, the values for the message, and a key that
    identifies it independently of line numbers (for the fingerprint)."""

    span: Span
    values: dict = field(default_factory=dict)
    key: str = ""
    edits: tuple = ()  # gklint.fix.Edit: how to mend it, offered when the rule has `autofix`


@dataclass(frozen=True)
class Param:
    """A primitive's parameter. kind: str, int, float, bool, regex, expr,
    ref (a row label), list (of str), items (list of mappings), mapping, choice."""

    kind: str
    required: bool = True
    default: Any = None
    choices: tuple = ()
    doc: str = ""


@dataclass(frozen=True)
class Primitive:
    name: str
    function: Callable
    params: dict[str, Param]
    doc: str
    values: tuple[str, ...] = ()  # the names its hits fill in, for rule messages


PRIMITIVES: dict[str, Primitive] = {}


def primitive(values: tuple[str, ...] = (), **params: Param):
    """Declare a check primitive, the values its hits carry (what a rule's
    message may name) and its parameters."""

    def register(function: Callable) -> Callable:
        PRIMITIVES[function.__name__] = Primitive(function.__name__, function, params, function.__doc__ or "",
                                                  tuple(values))
        return function

    return register


def load_all() -> dict[str, Primitive]:
    """Import the primitive modules (explicitly: no plugin discovery)."""
    from . import dates, history, narrative, numbers, structure, tables, text  # noqa: F401

    return PRIMITIVES
