"""A small safe parser for table identities (never `eval`).

    expr  := side (CMP side)+            chained: a <= b <= c
    side  := term (('+' | '-') term)*
    term  := NUMBER | ref | 'max' '(' side (',' side)* ')' | '(' side ')'
    ref   := NAME ('/' NAME)*            a row (or column) label; '/' names a parent
    NAME  := alternatives joined by '|': 本年新收|本年接收
    CMP   := == != <= >= < >

A ref is resolved by the caller (a row of a table, or a column of a row) to a
number, or to None when the cell is missing or blank: then the identity is not
judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Union

from . import regexes
from .parse.text import format_number

_TOKEN = regexes.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)(?![^\s+\-(),<>=!/])|(?P<cmp>==|!=|<=|>=|<|>)|(?P<op>[+\-(),/])|(?P<name>[^\s+\-(),<>=!/]+))")
_COMPARE = {
    "==": lambda a, b, t: abs(a - b) <= t,
    "!=": lambda a, b, t: abs(a - b) > t,
    "<=": lambda a, b, t: a <= b + t,
    ">=": lambda a, b, t: a + t >= b,
    "<": lambda a, b, t: a < b - t,
    ">": lambda a, b, t: a > b + t,
}


class ExprError(ValueError):
    """A malformed expression; `position` is the 0-based offset in the text."""

    def __init__(self, message: str, position: int):
        super().__init__(message)
        self.position = position


@dataclass(frozen=True)
class Ref:
    path: tuple[tuple[str, ...], ...]  # parts, each a tuple of alternatives

    def __str__(self) -> str:
        return "/".join("|".join(alts) for alts in self.path)


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Max:
    args: tuple


@dataclass(frozen=True)
class Sum:
    terms: tuple  # ((sign, node), ...)


Node = Union[Ref, Num, Max, Sum]
Resolver = Callable[[Ref], "tuple[float | None, str]"]


@dataclass(frozen=True)
class Expr:
    text: str
    sides: tuple  # (Sum, ...)
    ops: tuple  # ("==", ...)

    def refs(self) -> list[Ref]:
        found: list[Ref] = []

        def visit(node):
            if isinstance(node, Ref):
                found.append(node)
            elif isinstance(node, Max):
                for arg in node.args:
                    visit(arg)
            elif isinstance(node, Sum):
                for _, term in node.terms:
                    visit(term)

        for side in self.sides:
            visit(side)
        return found

    def anchor(self) -> Ref | None:
        """The ref a finding points at: the first one standing directly in a
        side (the total), not inside max()."""
        for side in self.sides:
            for _, term in side.terms:
                if isinstance(term, Ref):
                    return term
        refs = self.refs()
        return refs[0] if refs else None

    @cached_property
    def flat(self) -> tuple | None:
        """(refs, sides): each side as ((negate, position in refs or -1, constant), ...),
        so `holds` evaluates the identity from a list of numbers without a
        resolver call per term (a table identity checks every column of every
        report). None when a side holds max() or parentheses."""
        refs = list(dict.fromkeys(self.refs()))
        sides = []
        for side in self.sides:
            terms = []
            for sign, term in side.terms:
                if isinstance(term, Ref):
                    terms.append((sign == "-", refs.index(term), 0.0))
                elif isinstance(term, Num):
                    terms.append((sign == "-", -1, term.value))
                else:
                    return None
            sides.append(tuple(terms))
        return tuple(refs), tuple(sides)

    def holds(self, numbers: list, tolerance: float = 0.0) -> bool:
        """Whether the identity holds, given the number of each of `flat`'s refs
        (none missing); the same arithmetic, in the same order, as `check`."""
        values = []
        for terms in self.flat[1]:
            total = 0.0
            for negate, position, constant in terms:
                value = numbers[position] if position >= 0 else constant
                total += -value if negate else value
            values.append(total)
        return self._compares(values, tolerance)

    def check(self, resolve: Resolver, tolerance: float = 0.0):
        """Evaluate; returns None when a value is missing, else
        (holds, [(value, rendered) per side])."""
        values = []
        for side in self.sides:
            value = _value(side, resolve)
            if value is None:
                return None
            values.append(value)
        holds = self._compares(values, tolerance)
        if holds:  # rendering the terms is only needed for a message
            return True, [(v, "") for v in values]
        return False, [_evaluate(side, resolve) for side in self.sides]

    def _compares(self, values: list, tolerance: float) -> bool:
        return all(_COMPARE[op](values[k], values[k + 1], tolerance + 1e-9) for k, op in enumerate(self.ops))

    def __str__(self) -> str:
        return self.text


def _value(node, resolve: Resolver) -> float | None:
    """The number only (no text): the common, passing case."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        return resolve(node)[0]
    if isinstance(node, Max):
        values = [_value(arg, resolve) for arg in node.args]
        return None if any(v is None for v in values) else max(values)
    total = 0.0
    for sign, term in node.terms:
        value = _value(term, resolve)
        if value is None:
            return None
        total += value if sign == "+" else -value
    return total


def _evaluate(node, resolve: Resolver) -> tuple[float | None, str]:
    if isinstance(node, Num):
        return node.value, _fmt(node.value)
    if isinstance(node, Ref):
        value, label = resolve(node)
        return value, f"{label} {_fmt(value)}" if value is not None else label
    if isinstance(node, Max):
        parts = [_evaluate(arg, resolve) for arg in node.args]
        if any(v is None for v, _ in parts):
            return None, ""
        return max(v for v, _ in parts), "max(" + "，".join(t for _, t in parts) + ")"
    total, texts = 0.0, []
    for sign, term in node.terms:
        value, text = _evaluate(term, resolve)
        if value is None:
            return None, ""
        total += value if sign == "+" else -value
        texts.append(text if not texts and sign == "+" else f"{sign} {text}")
    rendered = " ".join(texts)
    if len(node.terms) > 1:
        rendered += f" = {_fmt(total)}"
    return total, rendered


def _fmt(value: float | None) -> str:
    return "空" if value is None else format_number(value)


def parse(text: str) -> Expr:
    tokens = _tokenize(text)
    parser = _Parser(tokens, text)
    sides, ops = [parser.side()], []
    while parser.peek("cmp"):
        ops.append(parser.take()[1])
        sides.append(parser.side())
    if not ops:
        raise ExprError("需要比较运算符（==、<=、>= …）", len(text))
    if parser.pos < len(tokens):
        raise ExprError(f"多余的内容“{tokens[parser.pos][1]}”", tokens[parser.pos][2])
    return Expr(text, tuple(sides), tuple(ops))


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExprError(f"无法识别的字符“{text[pos]}”", pos)
        kind = match.lastgroup
        tokens.append((kind, match.group(kind), match.start(kind)))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens, text):
        self.tokens, self.text, self.pos = tokens, text, 0

    def peek(self, kind: str, value: str | None = None) -> bool:
        if self.pos >= len(self.tokens):
            return False
        tok = self.tokens[self.pos]
        return tok[0] == kind and (value is None or tok[1] == value)

    def take(self):
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def expect(self, kind: str, value: str):
        if not self.peek(kind, value):
            where = self.tokens[self.pos][2] if self.pos < len(self.tokens) else len(self.text)
            raise ExprError(f"这里需要“{value}”", where)
        return self.take()

    def side(self) -> Sum:
        terms = [("+", self.term())]
        while self.peek("op", "+") or self.peek("op", "-"):
            sign = self.take()[1]
            terms.append((sign, self.term()))
        return Sum(tuple(terms))

    def term(self):
        if self.pos >= len(self.tokens):
            raise ExprError("表达式不完整", len(self.text))
        kind, value, where = self.tokens[self.pos]
        if kind == "num":
            self.take()
            return Num(float(value))
        if kind == "op" and value == "(":
            self.take()
            inner = self.side()
            self.expect("op", ")")
            return inner
        if kind == "name" and value == "max" and self.pos + 1 < len(self.tokens) and self.tokens[self.pos + 1][1] == "(":
            self.take()
            self.take()
            args = [self.side()]
            while self.peek("op", ","):
                self.take()
                args.append(self.side())
            self.expect("op", ")")
            return Max(tuple(args))
        if kind == "name":
            self.take()
            parts = [tuple(value.split("|"))]
            while self.peek("op", "/"):
                self.take()
                if not self.peek("name"):
                    raise ExprError("“/”后需要标签", where)
                parts.append(tuple(self.take()[1].split("|")))
            return Ref(tuple(parts))
        raise ExprError(f"这里不能是“{value}”", where)
