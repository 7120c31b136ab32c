"""Linting files: discovery, configuration per file, parallel workers."""

from __future__ import annotations

import fnmatch
import glob
import os
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from . import regexes
from . import config as config_module
from . import inputs, suppress
from .config import Config
from .document import Published
from .finding import Finding, Severity
from .limits import FILE_TIME_BUDGET, MAX_REPORT_CHARS, RULE_TIME_BUDGET, TimeLimit, time_limit
from .source import InputError

STDIN = "-"
_GLOB = regexes.compile(r"[*?\[]")
PARALLEL_MIN_FILES = 8


@dataclass
class Options:
    """What the command line says; None means: take it from the config file."""

    select: list[str] | None = None
    ignore: list[str] | None = None
    fail_on: object = None
    rules: list[str] = field(default_factory=list)
    era: str | None = None
    agency_kind: str | None = None
    published: date | None = None  # --published: the deadline check's date for every file
    config_file: str | None = None
    isolated: bool = False
    stdin_filename: str | None = None
    keep_documents: bool = False  # the HTML page renders the report itself
    fingerprints: bool = False  # narrative fingerprints for copying across agencies (SARIF, summary)
    previous: str | None = None  # the same agency's report for the year before, for every file
    max_chars: int = MAX_REPORT_CHARS  # a longer report is one error (--max-size)
    rule_budget: float = RULE_TIME_BUDGET  # seconds one rule may take on one report


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    agency: str | None = None
    year: int | None = None
    era: str | None = None
    chars: int = 0
    error: str | None = None
    suppressions_used: list[str] = field(default_factory=list)  # Suppression.source of each used entry
    suppressions_seen: list[str] = field(default_factory=list)  # entries that apply to this report
    document: object = None
    fail_on: Severity = Severity.error  # from this report's configuration
    agency_kind: str | None = None  # department | government | township | unknown
    published: date | None = None
    published_source: str | None = None  # signature | page | dateline | option
    prints: object = None  # similarity.Prints, when Options.fingerprints


def _prints(doc):
    from .similarity import fingerprints

    return fingerprints(doc)


def discover(paths: list[str], config_for, skipped: list[str] | None = None,
             excluded: list[str] | None = None) -> list[str]:
    """Files to lint: directories walked for their configuration's include
    globs minus its exclude globs; files named on the command line (as
    pre-commit names them) taken whatever their suffix, unless excluded;
    '-' is standard input. In a walked folder only regular files are taken:
    a FIFO named `*.txt` would block the run, a device would never end.
    Those go to `skipped`, excluded named files to `excluded`."""
    found: list[str] = []
    for raw in paths:
        if raw == STDIN:
            found.append(STDIN)
            continue
        path = Path(raw)
        if not path.exists() and _GLOB.search(raw):
            # Windows shells do not expand `reports\*.docx`; gklint does, the same everywhere.
            matches = sorted(glob.glob(raw, recursive=True))
            found += discover(matches, config_for, skipped, excluded) if matches else [raw]
            continue
        if path.is_dir():
            found += _walk(path, config_for(raw), skipped)
        elif _excluded(path, config_for(raw)):
            if excluded is not None:
                excluded.append(raw)
        else:
            found.append(raw)
    return found


class UnreadableFolder(InputError):
    """A folder (or one inside it) that cannot be listed: its reports would be missed in silence."""


def _walk(folder: Path, cfg: Config, skipped: list[str] | None) -> list[str]:
    found = []

    def refuse(err: OSError):
        raise UnreadableFolder(f"{err.filename}: 无法读取文件夹（{err.strerror or err}），其中的报告未检查 (unreadable folder)")

    for root, dirs, files in os.walk(folder, onerror=refuse):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _excluded(Path(root) / d, cfg))
        for name in sorted(files):
            candidate = Path(root) / name
            if any(fnmatch.fnmatch(name, g) for g in cfg.include) and not _excluded(candidate, cfg):
                if candidate.is_file():
                    found.append(str(candidate))
                elif skipped is not None:
                    skipped.append(str(candidate))
    return found


def _excluded(path: Path, cfg: Config) -> bool:
    """A glob matches the file's name, its path as given, or its path from the
    configuration's folder (`drafts/*`, `**/旧版/*`); `\\` and `/` are the same."""
    if not cfg.exclude:
        return False
    shown = path.as_posix().replace("\\", "/")
    forms = [path.name, shown]
    if cfg.path:
        try:
            forms.append(path.resolve().relative_to(Path(cfg.path).resolve().parent).as_posix())
        except ValueError:
            pass
    for pattern in cfg.exclude:
        glob = pattern.replace("\\", "/").rstrip("/")
        if any(fnmatch.fnmatch(form, glob) or fnmatch.fnmatch(form, glob + "/*") for form in forms):
            return True
    return False


class Linter:
    """Holds the loaded rules and configs; lints one file at a time."""

    def __init__(self, options: Options):
        self.options = options
        self._configs: dict[str, Config] = {}
        self._rules: dict[tuple, list] = {}
        self._suppressions: dict[str, list] = {}
        self._previous: dict[str, object] = {}

    def config_for(self, path: str) -> Config:
        opts = self.options
        if opts.isolated:
            key = "<isolated>"
        elif opts.config_file:
            key = opts.config_file
        else:
            start = Path.cwd() if path == STDIN else Path(path).resolve()
            start = start if start.is_dir() else start.parent
            key = str(start)
        if key not in self._configs:
            own = self._file_config(key)
            merged = self._merge(own)
            self._check_selectors(own, merged)
            self._configs[key] = merged
        return self._configs[key]

    def _check_selectors(self, own: Config, merged: Config) -> None:
        """An unknown selector on the command line or in the file stops the run (exit 2)."""
        from . import selectors

        ids = [r.id for r in self.rules_for(merged)]
        opts = self.options
        for option, values in (("--select", opts.select), ("--ignore", opts.ignore)):
            for selector, close in selectors.unknown(values or [], ids):
                raise config_module.ConfigError(f"{option}: {selectors.describe(selector, close)}")
        for key, selector in own.selectors():
            for _, close in selectors.unknown([selector], ids):
                raise config_module.ConfigError(f"{own.where(key)}: `{key}`: {selectors.describe(selector, close)}")

    def _file_config(self, key: str) -> Config:
        opts = self.options
        if key == "<isolated>":
            return Config()
        if opts.config_file:
            path = Path(opts.config_file)
            if not path.is_file():
                raise config_module.ConfigError(f"{path}: configuration file not found")
            return config_module.load(path, trusted=True)
        found = config_module.find(Path(key))
        return config_module.load(found) if found else Config()

    def _merge(self, cfg: Config) -> Config:
        opts = self.options
        return replace(
            cfg,
            select=opts.select if opts.select is not None else cfg.select,
            ignore=(opts.ignore or []) + cfg.ignore,
            fail_on=opts.fail_on or cfg.fail_on,
            rules=cfg.rules + list(opts.rules),
            era=opts.era or cfg.era,
            agency_kind=opts.agency_kind or cfg.agency_kind,
        )

    def rules_for(self, cfg: Config) -> list:
        from . import ruleset

        key = tuple(cfg.rules)
        if key not in self._rules:
            self._rules[key] = ruleset.load(list(cfg.rules))
        return self._rules[key]

    def previous_document(self, path: str | None, cfg: Config):
        """The parsed report for the year before (cached); None if unreadable."""
        from .parse import parse

        if not path:
            return None
        if path not in self._previous:
            try:
                self._previous[path] = parse(inputs.read_any(path, self.options.max_chars), era=cfg.era)
            except InputError:
                self._previous[path] = None
        return self._previous[path]

    def lint(self, path: str, data: bytes | None = None, previous: str | None = None) -> FileResult:
        """One report's result; a report that cannot be read, or that breaks
        gklint, is a result with an error, never an exception."""
        display = (self.options.stdin_filename or "<stdin>") if path == STDIN else path
        try:
            return self._lint(path, display, data, previous)
        except InputError as err:
            return FileResult(path=display, error=str(err))
        except (config_module.ConfigError, *_rule_errors()):
            raise  # a broken side file stops the run: every report would be wrong
        except Exception as err:  # a bug, or a file no reader foresaw: report it and go on
            return FileResult(path=display, error=internal_error(display, err))

    def _lint(self, path: str, display: str, data: bytes | None, previous: str | None) -> FileResult:
        from . import engine
        from .parse import parse

        cfg = self.config_for(path)
        rules = [r for r in self.rules_for(cfg) if cfg.selects(r.id, display)]
        try:
            with time_limit(FILE_TIME_BUDGET):
                src = self._read(path, display, data)
                doc = parse(src, era=cfg.era)
                if self.options.published:
                    doc.published = Published(self.options.published, "option", self.options.published.isoformat())
                before = self.previous_document(previous or self.options.previous, cfg)
        except TimeLimit:
            raise InputError(f"{display}: 读取和解析超过 {FILE_TIME_BUDGET:g} 秒，未检查 (timed out)") from None
        findings = engine.lint(doc, rules, agency_kind=cfg.agency_kind, previous=before,
                               budget=self.options.rule_budget)
        findings = suppress.inline_filter(src.lines, findings)
        entries = [s for s in self.suppressions_for(path, cfg) if s.applies_to(display)]
        used = {s.source for s in entries for f in findings if s.covers(f)}
        findings = [f for f in findings if not any(s.covers(f) for s in entries)]
        for finding in findings:
            if finding.rule in cfg.severity:
                finding.severity = cfg.severity[finding.rule]
        kind = cfg.agency_kind or ("township" if doc.agency_kind.township else doc.agency_kind.kind)
        return FileResult(path=display, findings=findings, agency=doc.agency, year=doc.year,
                          era=doc.era.name, chars=len(src.text), suppressions_used=sorted(used),
                          suppressions_seen=[s.source for s in entries],
                          document=doc if self.options.keep_documents else None, fail_on=cfg.fail_on,
                          agency_kind=kind, published=doc.published.date if doc.published else None,
                          published_source=doc.published.source if doc.published else None,
                          prints=_prints(doc) if self.options.fingerprints else None)

    def _read(self, path: str, display: str, data: bytes | None):
        from . import source

        limit = self.options.max_chars
        if data is None:
            return inputs.read_any(path, limit)
        if len(data) > 4 * limit:
            raise InputError(f"{display}: 输入过大，未检查；可用 --max-size 调整 (input too large)")
        decoded = source.decode(data, display)
        source.check_size(decoded.text, display, limit)
        return decoded

    def suppressions_for(self, path: str, cfg: Config) -> list:
        """The config's suppressions and those in a .gklint-suppressions.yaml beside the report."""
        if path == STDIN:
            return list(cfg.suppressions)
        beside = Path(path).resolve().parent / suppress.FILE_NAME
        key = str(beside)
        if key not in self._suppressions:
            self._suppressions[key] = suppress.load_file(beside) if beside.is_file() else []
        return list(cfg.suppressions) + self._suppressions[key]


def _rule_errors() -> tuple:
    from .ruleset import RuleError

    return (RuleError,)


def debugging() -> bool:
    return os.environ.get("GKLINT_DEBUG", "") not in ("", "0")


def internal_error(display: str, err: BaseException) -> str:
    """One line for a report that broke gklint; the traceback only with --debug."""
    if debugging():
        import traceback

        traceback.print_exception(err)
    detail = str(err).replace("\n", " ")[:160]
    return (f"{display}: 内部错误，未能检查此文件（{type(err).__name__}: {detail}）；"
            f"请报告此问题，--debug 可显示详情 (internal error)")


_worker: Linter | None = None


def _init_worker(options: Options) -> None:
    """Workers leave Ctrl-C to the parent, which stops them."""
    import signal

    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = Linter(options)


def _lint_in_worker(job: tuple[str, str | None]) -> FileResult:
    return _worker.lint(job[0], previous=job[1])


def identify(path: str) -> tuple[str, int] | None:
    """(agency, report year) from the head of a report, cheaply; None if unknown."""
    from .parse.era import detect_year
    from .parse.meta import agency_from_text, find_title

    try:
        with time_limit(FILE_TIME_BUDGET):
            if Path(path).suffix.lower() in inputs.READERS:
                lines = inputs.read_any(path).lines
            else:
                with open(path, "rb") as handle:  # the head is enough: title and preamble
                    lines = _decode_head(handle.read(8192), path)
    except Exception:  # unreadable or hostile: its own lint says why; pairing just skips it
        return None
    head = lines[:60]
    title = find_title(head, len(head))
    text = "\n".join(head)
    agency = (title.agency if title else None) or agency_from_text(text[:2000])
    year, _ = detect_year(text, title.year if title else None, None)
    if not agency or not year:
        return None
    return re.sub(r"\s+", "", agency), year


def _decode_head(data: bytes, path: str) -> list[str]:
    """Decode the first bytes of a file; a multi-byte character cut at the end is dropped."""
    from . import source

    for cut in range(4):
        try:
            return source.decode(data[: len(data) - cut] if cut else data, path).lines
        except InputError:
            continue
    raise InputError(f"{path}: undecodable head")


def pair_years(files: list[str]) -> dict[str, str]:
    """In a set of reports, each one's report by the same agency for the year before."""
    known = {}
    for path in files:
        if path != STDIN:
            found = identify(path)
            if found:
                known[path] = found
    by_key = {value: path for path, value in known.items()}
    return {path: by_key[(agency, year - 1)] for path, (agency, year) in known.items()
            if (agency, year - 1) in by_key}


def stale_suppressions(results) -> list[str]:
    """Entries that apply to a linted report but suppressed nothing."""
    seen = {s for r in results for s in r.suppressions_seen}
    used = {s for r in results for s in r.suppressions_used}
    return sorted(seen - used)


def lint_all(linter: Linter, files: list[str], jobs: int, stdin_data: bytes | None = None, progress=None,
             previous_of: dict[str, str] | None = None):
    """Lint every file, in parallel when there are many; yields results in order.
    `previous_of` pairs a report with the same agency's report for the year before."""
    previous_of = previous_of or {}
    if jobs > 1 and len(files) >= PARALLEL_MIN_FILES and STDIN not in files:
        # Configuration errors surface here, once, before workers start.
        for path in files:
            cfg = linter.config_for(path)
            linter.rules_for(cfg)
            linter.suppressions_for(path, cfg)
        jobs_list = [(path, previous_of.get(path)) for path in files]
        for result in _in_pool(linter.options, jobs_list, jobs):
            if progress:
                progress(1)
            yield result
        return
    for path in files:
        result = linter.lint(path, stdin_data if path == STDIN else None, previous=previous_of.get(path))
        if progress:
            progress(1)
        yield result


def _in_pool(options: Options, jobs_list: list[tuple], jobs: int):
    """Results in order from worker processes. A worker that dies (killed for
    memory, a crash in a library) costs only the report it was on: the rest
    are linted again one at a time, and the one that kills a worker again is
    a result with an error."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(options,))
    try:
        chunk = max(1, len(jobs_list) // (jobs * 8))
        for result in pool.map(_lint_in_worker, jobs_list, chunksize=chunk):
            done += 1
            yield result
    except BrokenProcessPool:
        _stop(pool)
        for path, previous in jobs_list[done:]:
            pool = ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=(options,))
            try:
                yield pool.submit(_lint_in_worker, (path, previous)).result()
            except BrokenProcessPool:
                yield FileResult(path=path, error=f"{path}: 检查此文件时工作进程异常退出（可能内存不足）(worker died)")
            finally:
                _stop(pool)
        return
    finally:
        _stop(pool)


def _stop(pool) -> None:
    """Shut a pool down now: pending work cancelled, workers terminated (on
    Ctrl-C or SIGTERM the parent must not leave them running)."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
