"""Rule files: load, validate with file:line:col errors, bind primitives.

Rule files are untrusted input: read with a safe loader, every key and value
checked against the rule schema and the primitive's declared parameters,
regexes compiled, expressions parsed by gklint.expr (never eval).

The built-in packs are validated by the test suite; at run time they are read
with the fast C loader. User packs (--rules, config) always get the full
validation with positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import regexes
from . import expr as expr_module
from .checks import PRIMITIVES, Param, Primitive, load_all
from .document import AGENCY_SCOPES, ERAS
from .finding import Severity
from .limits import check_yaml_shape, plain_error, read_side_text
from .scope import SCOPES
from .template import COMMON_VALUES, Template, TemplateError, compile_template

RULE_KEYS = {"id", "name", "severity", "basis", "eras", "agency", "check", "params", "message",
             "description", "rationale", "example", "fix", "autofix"}
AUTOFIX = ("safe", "unsafe")  # whether `--fix` applies the check's edits, or only `--unsafe-fixes`
REQUIRED_KEYS = ("id", "name", "severity", "check", "message", "description", "rationale")
ITEM_KEYS = {"name", "aliases", "mentions", "pattern", "row", "columns", "label", "table"}
_ID = regexes.compile(r"^[A-Z]{2,5}\d{3,4}$")
_NAME = regexes.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NUM_MACRO = "{num}"
# What a rule rests on (docs/severity.md): the 条例 of the era, the national
# format, the report's own figures, a convention of the genre, or style.
# Only the first three may be errors.
BASES = ("law", "format", "arithmetic", "convention", "style")
ERROR_BASES = ("law", "format", "arithmetic")


class RuleError(Exception):
    """A broken rule file: the message starts with file:line:col."""


class LazyPattern:
    """A rule's compiled regular expression that pickles as its source and
    compiles again on first use: a cached rule set loads without compiling
    the patterns of rules that never run (another era's)."""

    __slots__ = ("source", "_compiled")

    def __init__(self, source: str, compiled: re.Pattern | None = None):
        self.source = source
        self._compiled = compiled

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = regexes.compile(self.source)
        return self._compiled

    def __getattr__(self, name):  # search, finditer, match, groupindex, pattern…
        return getattr(self.compiled(), name)

    def __reduce__(self):
        return LazyPattern, (self.source,)

    def __repr__(self) -> str:
        return f"LazyPattern({self.source!r})"


@dataclass
class Rule:
    id: str
    name: str
    severity: Severity
    check: Primitive
    params: dict
    message: str
    description: str
    rationale: str
    eras: frozenset = frozenset(ERAS)
    agency: tuple[str, ...] | None = None  # the agency kinds it runs on (township: 乡镇 governments)
    basis: str | None = None
    example: str = ""
    fix: str = ""
    autofix: str | None = None  # safe | unsafe: the check's edits are offered as a fix
    source: str = ""
    template: Template | None = field(default=None, repr=False)

    def render(self, values: dict) -> str:
        """Fill the message from the values a check found (never code: gklint.template)."""
        if self.template is None:
            self.template = compile_template(self.message)
        return self.template.render(values)


def builtin_dir() -> Path:
    """rules/ inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleError(f"{here}: built-in rules not found")


def rule_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml"))


def load_builtin(validate: bool = False) -> list[Rule]:
    """The built-in rules; unless asked to validate them strictly, from the
    rule-set cache (gklint.rulecache) when it is current."""
    files = rule_files(builtin_dir())

    def build() -> list[Rule]:
        rules: list[Rule] = []
        for path in files:
            rules += load_file(path, validate=validate)
        return rules

    if validate:
        return build()
    from . import rulecache

    return rulecache.load(files, build)


def load(extra_dirs: list[str] = (), validate_builtin: bool = False) -> list[Rule]:
    """The built-in rules plus every rule file in `extra_dirs`; ids must be unique."""
    rules = load_builtin(validate=validate_builtin)
    for directory in extra_dirs:
        path = Path(directory)
        if path.is_file():
            rules += load_file(path, validate=True)
        elif path.is_dir():
            for file in rule_files(path):
                rules += load_file(file, validate=True)
        else:
            raise RuleError(f"{directory}: rule directory not found")
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"{rule.source}: rule id {rule.id} is already defined in {seen[rule.id].source}")
        seen[rule.id] = rule
    return rules


def load_file(path: Path, validate: bool = True) -> list[Rule]:
    try:
        text = read_side_text(path)
        check_yaml_shape(text, str(path))
    except (OSError, UnicodeDecodeError) as err:
        raise RuleError(f"{path}:1:1: cannot read rule file ({err})") from None
    except ValueError as err:
        raise RuleError(str(err)) from None
    if validate:
        data = _load_positions(path, text)
    else:
        import yaml

        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return _Validator(str(path), validate, text).document(data)


def _load_positions(path: Path, text: str):
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RuleError(f"{path}:{line}:{col}: invalid YAML: {err.problem or err.context}") from None
    except Exception as err:  # ruamel raises a few unmarked errors (duplicate keys)
        raise RuleError(f"{path}:1:1: invalid YAML: {plain_error(err)}") from None


class _Validator:
    """Checks rule data; positions come from ruamel's line/column info when present."""

    def __init__(self, source: str, strict: bool, text: str = ""):
        self.source = source
        self.strict = strict
        self.lines = text.split("\n")
        load_all()

    def error(self, node, key=None, message: str = "", index: int | None = None,
              at: str = "value", offset: int | None = None) -> RuleError:
        """`at`: point at the key or its value; `offset`: into a scalar value
        (an expression), past its opening quote."""
        line, col = 1, 1
        lc = getattr(node, "lc", None)
        try:
            if lc is not None and key is not None and key in node:
                on_key = at == "key" or isinstance(node.get(key), (dict, list))
                line, col = lc.key(key) if on_key else lc.value(key)
                line, col = line + 1, col + 1
                if offset is not None:
                    quoted = self.lines[line - 1][col - 1: col] in ("'", '"')
                    col += offset + (1 if quoted else 0)
            elif lc is not None and index is not None:
                line, col = (x + 1 for x in lc.item(index))
            elif lc is not None:
                line, col = lc.line + 1, lc.col + 1
        except (KeyError, TypeError, AttributeError, IndexError):
            pass
        return RuleError(f"{self.source}:{line}:{col}: {message}")

    def document(self, data) -> list[Rule]:
        if not isinstance(data, dict) or "rules" not in data:
            raise self.error(data, message="a rule file is a mapping with a `rules:` list")
        unknown = set(data) - {"rules", "version"}
        if unknown:
            key = sorted(unknown)[0]
            raise self.error(data, key, f"unknown top-level key `{key}` (expected `rules`)", at="key")
        rules = data["rules"]
        if not isinstance(rules, list):
            raise self.error(data, "rules", "`rules` must be a list")
        out = []
        for index, entry in enumerate(rules):
            if not isinstance(entry, dict):
                raise self.error(rules, message="each rule is a mapping", index=index)
            out.append(self.rule(entry))
        return out

    def rule(self, entry: dict) -> Rule:
        if self.strict:
            for key in entry:
                if key not in RULE_KEYS:
                    raise self.error(entry, key, f"unknown key `{key}` (allowed: {', '.join(sorted(RULE_KEYS))})",
                                     at="key")
            for key in REQUIRED_KEYS:
                if key not in entry:
                    raise self.error(entry, message=f"rule {entry.get('id', '?')}: missing key `{key}`")
            for key in ("id", "name", "severity", "check", "message", "description", "rationale", "example", "fix"):
                if key in entry and not isinstance(entry[key], str):
                    raise self.error(entry, key, f"`{key}` must be a string")
                if key in entry and isinstance(entry[key], str) and not entry[key].strip():
                    raise self.error(entry, key, f"`{key}` must not be empty")
            if not _ID.match(entry["id"]):
                raise self.error(entry, "id", f"id `{entry['id']}` must look like GK123")
            if not _NAME.match(entry["name"]):
                raise self.error(entry, "name", f"name `{entry['name']}` must be kebab-case")
            if entry["severity"] not in Severity.__members__:
                raise self.error(entry, "severity", f"severity `{entry['severity']}` must be error, warning or info")
        check = PRIMITIVES.get(entry["check"])
        if check is None:
            raise self.error(entry, "check", f"unknown check `{entry['check']}` (known: {', '.join(sorted(PRIMITIVES))})")
        eras = entry.get("eras", list(ERAS))
        if not isinstance(eras, list) or any(str(e) not in ERAS for e in eras):
            raise self.error(entry, "eras", f"`eras` must be a list of {', '.join(ERAS)}")
        basis = entry.get("basis")
        if basis is not None and basis not in BASES:
            raise self.error(entry, "basis", f"`basis` must be one of {', '.join(BASES)}")
        if basis is not None and entry["severity"] == "error" and basis not in ERROR_BASES:
            raise self.error(entry, "severity", f"severity error needs basis law, format or arithmetic, not {basis} "
                                                "(docs/severity.md)")
        agency = entry.get("agency")
        if agency is not None:
            names = [agency] if isinstance(agency, str) else agency
            if not isinstance(names, list) or not names or any(n not in AGENCY_SCOPES for n in names):
                raise self.error(entry, "agency", f"`agency` must be one or a list of {', '.join(AGENCY_SCOPES)}")
            agency = tuple(names)
        autofix = entry.get("autofix")
        if autofix is not None and autofix not in AUTOFIX:
            raise self.error(entry, "autofix", "`autofix` must be safe or unsafe")
        params = entry.get("params") or {}
        if not isinstance(params, dict):
            raise self.error(entry, "params", "`params` must be a mapping")
        checked = self.params(check, params, entry)
        return Rule(
            id=entry["id"], name=entry["name"], severity=Severity[entry["severity"]], check=check,
            params=checked, message=entry["message"].strip(), template=self.template(entry, check, checked),
            description=entry["description"].strip(), rationale=entry["rationale"].strip(),
            eras=frozenset(str(e) for e in eras), agency=agency, basis=basis,
            example=(entry.get("example") or "").strip(), fix=(entry.get("fix") or "").strip(), source=self.source,
            autofix=autofix,
        )

    def template(self, entry: dict, check: Primitive, params: dict) -> Template:
        """The message, checked against the values `check` documents (and the
        named groups of its regular expressions)."""
        allowed = set(COMMON_VALUES) | set(check.values)
        for value in params.values():
            if isinstance(value, (re.Pattern, LazyPattern)):
                allowed |= set(value.groupindex)
        try:
            return compile_template(entry["message"].strip(), allowed)
        except TemplateError as err:
            raise self.error_at(entry, "message", err.token, f"message template: {err}") from None

    def error_at(self, node, key, token: str, message: str) -> RuleError:
        """An error at `token` inside the value of `key`, whatever the scalar's
        style (plain, quoted, folded block): found in the file's lines."""
        error = self.error(node, key, message)
        lc = getattr(node, "lc", None)
        if lc is None or key not in node:
            return error
        first = lc.key(key)[0]
        for number in range(first, min(first + 200, len(self.lines))):
            column = self.lines[number].find(token[:40])
            if column >= 0:
                return RuleError(f"{self.source}:{number + 1}:{column + 1}: {message}")
        return error

    def params(self, check: Primitive, params: dict, entry: dict) -> dict:
        for key in params:
            if key not in check.params:
                raise self.error(params, key, f"check `{check.name}` has no parameter `{key}`"
                                              f" (parameters: {', '.join(check.params) or 'none'})", at="key")
        out = {}
        for key, spec in check.params.items():
            if key not in params:
                if spec.required and spec.default is None:
                    raise self.error(entry, "params", f"check `{check.name}` needs parameter `{key}`")
                out[key] = spec.default
                continue
            out[key] = self.value(spec, params[key], params, key)
        return out

    def value(self, spec: Param, value, parent, key):
        kind = spec.kind
        if kind in ("str", "choice"):
            if not isinstance(value, str):
                raise self.error(parent, key, f"`{key}` must be a string")
            if kind == "choice" and value not in spec.choices:
                raise self.error(parent, key, f"`{key}` must be one of {', '.join(spec.choices)}")
            if key == "scope":
                self.scope(value, parent, key)
            return value
        if kind == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                raise self.error(parent, key, f"`{key}` must be an integer")
            return value
        if kind == "float":
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise self.error(parent, key, f"`{key}` must be a number")
            return float(value)
        if kind == "bool":
            if not isinstance(value, bool):
                raise self.error(parent, key, f"`{key}` must be true or false")
            return value
        if kind == "regex":
            return self.regex(value, parent, key)
        if kind == "expr":
            return self.expr(value, parent, key)
        if kind == "ref":
            refs = self.rows(value, parent, key)
            if len(refs) != 1:
                raise self.error(parent, key, f"`{key}` must name one row")
            return refs[0]
        if kind == "list":
            if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
                raise self.error(parent, key, f"`{key}` must be a list of strings")
            return [str(v) for v in value]
        if kind == "mapping":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise self.error(parent, key, f"`{key}` must be a mapping of strings")
            return dict(value)
        if kind == "items":
            if not isinstance(value, list) or not value:
                raise self.error(parent, key, f"`{key}` must be a non-empty list of mappings")
            return [self.item(item, value, index) for index, item in enumerate(value)]
        raise self.error(parent, key, f"internal: unknown parameter kind {kind}")

    def scope(self, value: str, parent, key) -> None:
        if value in SCOPES or (value.startswith("section:") and len(value) > len("section:")):
            return
        raise self.error(parent, key, f"unknown scope `{value}` (scopes: {', '.join(SCOPES)}, section:<别名>)")

    def regex(self, value, parent, key) -> LazyPattern:
        if not isinstance(value, str):
            raise self.error(parent, key, f"`{key}` must be a regular expression string")
        from .checks.numbers import NUM

        source = value.replace(NUM_MACRO, NUM)
        try:
            return LazyPattern(source, regexes.compile(source))
        except re.error as err:
            raise self.error(parent, key, f"bad regular expression `{value}`: {err}") from None

    def expr(self, value, parent, key) -> expr_module.Expr:
        if not isinstance(value, str):
            raise self.error(parent, key, f"`{key}` must be an expression string")
        try:
            return expr_module.parse(value)
        except expr_module.ExprError as err:
            raise self.error(parent, key, f"bad expression `{value}`: {err}", offset=err.position) from None

    def item(self, item, items, index) -> dict:
        if not isinstance(item, dict):
            raise self.error(items, message="each item is a mapping", index=index)
        out = {}
        for key, value in item.items():
            if key not in ITEM_KEYS:
                raise self.error(item, key, f"unknown item key `{key}` (allowed: {', '.join(sorted(ITEM_KEYS))})",
                                 at="key")
            if key == "pattern":
                out[key] = self.regex(value, item, key)
            elif key == "mentions":
                if not isinstance(value, list):
                    raise self.error(item, key, "`mentions` must be a list of regular expressions")
                out[key] = [self.regex(v, item, key).pattern for v in value]
            elif key == "aliases":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise self.error(item, key, "`aliases` must be a list of strings")
                out[key] = list(value)
            elif key == "row":
                out["rows"] = self.rows(value, item, key)
            elif key == "columns":
                if not isinstance(value, list) or not all(isinstance(v, int) and v >= 0 for v in value):
                    raise self.error(item, key, "`columns` must be a list of column indexes (0, 1, …)")
                out[key] = list(value)
            else:
                if not isinstance(value, str):
                    raise self.error(item, key, f"`{key}` must be a string")
                out[key] = value
        if "name" not in out:
            raise self.error(items, message="each item needs a `name`", index=index)
        return out

    def rows(self, value, item, key) -> list[expr_module.Ref]:
        if not isinstance(value, str):
            raise self.error(item, key, "`row` must be a label or a sum of labels (A + B)")
        try:
            parsed = expr_module.parse(f"{value} == 0")
        except expr_module.ExprError as err:
            raise self.error(item, key, f"bad row reference `{value}`: {err}") from None
        side = parsed.sides[0]
        if any(sign != "+" or not isinstance(term, expr_module.Ref) for sign, term in side.terms):
            raise self.error(item, key, "`row` may only add labels (A + B)")
        return [term for _, term in side.terms]
