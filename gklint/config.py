"""Configuration: `[tool.gklint]` in pyproject.toml or `.gklint.yaml`, found by
walking up from the linted file (as ruff does), or given with --config.

Keys (all optional):
    select, ignore            rule ids or prefixes (GK4 = every GK4xx rule)
    fail-on                   error | warning | info   (exit 1 at or above it)
    severity                  {rule id: error|warning|info}  per-rule override
    rules                     extra rule directories (relative to the config file)
    era                       2007 | 2019 | 2021   (force the format era)
    agency-kind               government | department | subdistrict | zone
    include, exclude          glob patterns for directory walks
    per-file-ignores          {glob: [rule ids]}
    suppressions              [{rule, file, match | fingerprint, justification}] (see gklint.suppress)
    docs-url                  each rule's page, for SARIF helpUri: a URL with {id} or {anchor}
                              (gk101), or a base that gets `#gk101` appended
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import regexes
from .document import AGENCY_KINDS, ERAS
from .finding import Severity
from .limits import check_yaml_shape, plain_error, read_side_text

CONFIG_NAMES = (".gklint.yaml", ".gklint.yml", "pyproject.toml")
KEYS = {"select", "ignore", "fail-on", "severity", "rules", "era", "agency-kind", "include", "exclude",
        "per-file-ignores", "suppressions", "docs-url"}
_RULE_CODE = regexes.compile(r"^[A-Z]{2,5}\d{0,4}$")


class ConfigError(Exception):
    """A bad configuration file or value: the message names the file (and line)."""


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.error
    severity: dict[str, Severity] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)
    era: str | None = None
    agency_kind: str | None = None
    # .doc/.wps/.odt/.rtf are converted by LibreOffice, or reported with what to do, and .ofd is named as
    # unreadable: never passed over in silence.
    include: list[str] = field(default_factory=lambda: ["*.txt", "*.md", "*.docx", "*.html", "*.htm", "*.pdf",
                                                        "*.doc", "*.wps", "*.odt", "*.rtf", "*.ofd"])
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    suppressions: list = field(default_factory=list)
    docs_url: str | None = None
    path: str | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # key -> line in the file

    def selectors(self) -> list[tuple[str, str]]:
        """(key, selector) for every rule selector the file names, to check against the rules."""
        named = [("select", s) for s in self.select] + [("ignore", s) for s in self.ignore]
        named += [("per-file-ignores", s) for ids in self.per_file_ignores.values() for s in ids]
        return named + [("severity", s) for s in self.severity]

    def where(self, key: str) -> str:
        line = self.lines.get(key)
        return f"{self.path}:{line}" if line else str(self.path)

    def selects(self, rule_id: str, file: str | None = None) -> bool:
        if self.select and not any(rule_id.startswith(s) for s in self.select):
            return False
        if any(rule_id.startswith(s) for s in self.ignore):
            return False
        if file is not None:
            for pattern, ids in self.per_file_ignores.items():
                if _matches(file, pattern) and any(rule_id.startswith(s) for s in ids):
                    return False
        return True


def _matches(file: str, pattern: str) -> bool:
    """`pattern` against the file's path and name; `\\` and `/` separate folders alike."""
    path = Path(file.replace("\\", "/"))
    pattern = pattern.replace("\\", "/")
    return fnmatch.fnmatch(path.as_posix(), pattern) or fnmatch.fnmatch(path.name, pattern) or path.match(pattern)


def find(start: Path) -> Path | None:
    """The nearest config file at or above `start` (a pyproject.toml counts
    only when it has a [tool.gklint] table)."""
    directory = start if start.is_dir() else start.parent
    for folder in [directory.resolve(), *directory.resolve().parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "[tool.gklint]" in path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def load(path: Path, trusted: bool = False) -> Config:
    """`trusted`: named on the command line (--config); a config found by
    walking up may sit in a repository somebody else controls, so its rule
    packs must lie inside its own directory tree."""
    if path.name == "pyproject.toml":
        data, lines = _toml_table(path)
    else:
        data, lines = _yaml_table(path)
    return _build(data, path, lines, trusted)


def _toml_table(path: Path) -> tuple[dict, dict]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        text = read_side_text(path)
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read ({err})") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: invalid TOML: {err}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    table = data.get("tool", {}).get("gklint", {})
    lines = {}
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped.startswith("[tool.gklint")
        elif in_table and "=" in stripped:
            lines.setdefault(stripped.split("=", 1)[0].strip().strip('"'), number)
    return table, lines


def load_yaml(path: Path):
    """A YAML file with line positions (ruamel round-trip), or ConfigError."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        text = read_side_text(path)
        check_yaml_shape(text, str(path))
        return YAML(typ="rt").load(text)
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read ({err})") from None
    except (ValueError, RecursionError) as err:  # check_yaml_shape: bombs and deep nesting
        message = plain_error(err) if isinstance(err, ValueError) else "nested too deeply"
        raise ConfigError(message if message.startswith(str(path)) else f"{path}: invalid YAML: {message}") from None
    except YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: invalid YAML: {getattr(err, 'problem', err)}") from None


def _yaml_table(path: Path) -> tuple[dict, dict]:
    data = load_yaml(path)
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the configuration must be a mapping of keys")
    lines = {key: data.lc.key(key)[0] + 1 for key in data} if hasattr(data, "lc") else {}
    return dict(data), lines


def _build(data: dict, path: Path, lines: dict, trusted: bool = False) -> Config:
    def fail(key: str, message: str):
        line = lines.get(key)
        raise ConfigError(f"{path}{f':{line}' if line else ''}: `{key}`: {message}")

    config = Config(path=str(path), lines=dict(lines))
    for key, value in data.items():
        if key not in KEYS:
            fail(key, f"unknown key (known: {', '.join(sorted(KEYS))})")
        if key in ("select", "ignore", "include", "exclude", "rules"):
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                fail(key, "must be a list of strings")
            if key in ("select", "ignore"):
                for code in value:
                    if not _RULE_CODE.match(code):
                        fail(key, f"`{code}` is not a rule id or prefix (like GK201 or GK2)")
            if key == "rules":
                value = [_rule_pack(path, v, trusted, lambda m, key=key: fail(key, m)) for v in value]
            setattr(config, key, list(value))
        elif key == "fail-on":
            config.fail_on = _severity(value, lambda m, key=key: fail(key, m))
        elif key == "severity":
            if not isinstance(value, dict):
                fail(key, "must be a mapping of rule id to error, warning or info")
            config.severity = {str(k): _severity(v, lambda m, key=key: fail(key, m)) for k, v in value.items()}
        elif key == "era":
            if str(value) not in ERAS:
                fail(key, f"must be one of {', '.join(ERAS)}")
            config.era = str(value)
        elif key == "agency-kind":
            if value not in AGENCY_KINDS:
                fail(key, f"must be one of {', '.join(AGENCY_KINDS)}")
            config.agency_kind = value
        elif key == "suppressions":
            from .suppress import parse_entries

            config.suppressions = parse_entries(value, path, path.parent)
        elif key == "docs-url":
            if not isinstance(value, str) or not re.match(r"^https?://\S+$", value):
                fail(key, "must be an http(s) URL, with {id} or {anchor} where the rule goes")
            config.docs_url = value
        elif key == "per-file-ignores":
            if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
                fail(key, "must be a mapping of glob to a list of rule ids")
            config.per_file_ignores = {str(k): [str(x) for x in v] for k, v in value.items()}
    return config


def _rule_pack(config: Path, entry: str, trusted: bool, fail) -> str:
    home = config.parent.resolve()
    resolved = (home / entry).resolve()
    if not trusted and (Path(entry).is_absolute() or not resolved.is_relative_to(home)):
        fail(f"`{entry}`: a configuration found beside the reports may only name rule packs inside its own "
             "folder (use --rules or --config to trust others)")
    return str(resolved)


def _severity(value, fail) -> Severity:
    if value not in Severity.__members__:
        fail(f"`{value}` must be error, warning or info")
    return Severity[value]
