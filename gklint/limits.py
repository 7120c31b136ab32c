"""Bounds on the work one input may cost: size, time, nesting, output.

gklint reads files it did not write: reports from hundreds of sites, rule
packs and configs in repositories somebody else controls, SARIF logs sent in
by agencies. Each bound here turns a file that would hang or exhaust the
machine into one clear error for that file, and the batch goes on.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

MAX_REPORT_CHARS = 20_000_000  # text after extraction; --max-size changes it
MAX_DOCX_UNPACKED = 200_000_000  # bytes inflated from one .docx, all parts together
MAX_DOCX_ENTRIES = 10_000
MAX_PDF_PAGES = 2_000
MAX_PDF_STREAM = 100_000_000  # bytes inflated from one PDF stream
MAX_SIDE_FILE_BYTES = 5_000_000  # a config, rule pack or suppressions file
MAX_JSON_BYTES = 500_000_000  # a baseline or a SARIF log
MAX_YAML_DEPTH = 50
MAX_YAML_ALIASES = 100
MAX_FINDINGS_PER_RULE = 100  # per report: past it, one note says how it goes on
RULE_TIME_BUDGET = 5.0  # seconds one rule may take on one report
FILE_TIME_BUDGET = 120.0  # seconds to read and parse one report


class TimeLimit(Exception):
    """The time budget of a `time_limit` block ran out."""


def can_interrupt() -> bool:
    """SIGALRM interrupts Python code (and the re engine) in the main thread only."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None):
    """Raise TimeLimit inside the block after `seconds` (where the platform
    allows; elsewhere the block runs unbounded). Nested limits: the inner
    one wins while it runs, the outer is restored after."""
    if not seconds or seconds <= 0 or not can_interrupt():
        yield
        return

    def expired(signum, frame):
        raise TimeLimit()

    previous_handler = signal.signal(signal.SIGALRM, expired)
    previous_delay, _ = signal.getitimer(signal.ITIMER_REAL)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            signal.setitimer(signal.ITIMER_REAL, max(previous_delay - seconds, 0.001))


class RuleClock:
    """Time budgets for many short blocks in a row (each rule of a lint).

    One repeating timer ticks while the lint runs; `arm()` only notes when a
    rule began and `disarm()` forgets it, and a tick raises TimeLimit in a rule
    past its budget. (Arming the timer per rule cost two system calls a rule,
    a twentieth of a warm lint.) A rule is stopped within a tenth of its
    budget after it ran out. Use as `with RuleClock(s) as clock:` then
    `clock.arm()` / `clock.disarm()`."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds if seconds and seconds > 0 and can_interrupt() else None
        self._previous = None
        self._began: float | None = None

    def __enter__(self) -> "RuleClock":
        if self.seconds:
            self._previous = signal.signal(signal.SIGALRM, self._tick)
            tick = self.seconds / 10
            signal.setitimer(signal.ITIMER_REAL, tick, tick)
        return self

    def __exit__(self, *exc) -> None:
        if self.seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)

    def arm(self) -> None:
        self._began = time.perf_counter()

    def disarm(self) -> None:
        self._began = None

    def _tick(self, signum, frame) -> None:
        if self._began is not None and time.perf_counter() - self._began >= self.seconds:
            self._began = None
            raise TimeLimit()


def read_side_text(path, limit: int = MAX_SIDE_FILE_BYTES, encoding: str = "utf-8") -> str:
    """The text of a config, rule pack, suppressions file, baseline or SARIF
    log. Refuses what is not a regular file (a FIFO would block) and what is
    larger than `limit`, before reading it. Raises OSError or
    UnicodeDecodeError; callers turn them into their one-line error."""
    import os
    import stat

    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise OSError("not a regular file")
    if info.st_size > limit:
        raise OSError(f"file too large ({info.st_size} bytes; at most {limit})")
    with open(path, encoding=encoding) as handle:
        return handle.read(limit + 1)


def parse_json(text: str):
    """json.loads that turns hostile input into ValueError: deep nesting
    (RecursionError) and integers past Python's digit limit."""
    import json

    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except ValueError as err:
        raise ValueError(plain_error(err)) from None


def plain_error(err: Exception) -> str:
    """Python's message for a number past its digit limit, said briefly."""
    text = str(err)
    if "integer string conversion" in text:
        return "a number with more than 4300 digits"
    return text


def check_yaml_shape(text: str, path: str) -> None:
    """Refuse YAML that is built to explode: deep nesting, or aliases (a
    billion-laughs document is tiny on disk and huge once walked). Raises
    ValueError with `path:line:col: …`."""
    import yaml

    if len(text) > MAX_SIDE_FILE_BYTES:
        raise ValueError(f"{path}:1:1: file too large ({len(text)} characters; at most {MAX_SIDE_FILE_BYTES})")
    depth = aliases = 0
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise ValueError(_at(path, event, f"nested deeper than {MAX_YAML_DEPTH} levels"))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_YAML_ALIASES:
                    raise ValueError(_at(path, event, f"more than {MAX_YAML_ALIASES} aliases (*name)"))
    except yaml.YAMLError as err:
        if "nesting depth" in str(err):  # newer libyaml stops deep nesting itself
            raise ValueError(f"{path}:1:1: nested deeper than {MAX_YAML_DEPTH} levels") from None
        return  # malformed YAML: the loader that follows reports it with its position
    except RecursionError:  # PyYAML without libyaml parses flow collections recursively
        raise ValueError(f"{path}:1:1: nested deeper than {MAX_YAML_DEPTH} levels") from None


def _at(path: str, event, message: str) -> str:
    mark = event.start_mark
    return f"{path}:{mark.line + 1}:{mark.column + 1}: {message}"
