"""Writing gklint's own files: never over a report, never half-written.

A slip of the hand (`gklint report.txt -o report.txt`) or a script that
passes one path twice must not replace the clerk's only copy of a report, so
every output path is compared with every input before anything is read or
written: by the file's identity (device and inode, which also catches
symlinks, hard links and case folding) when it exists, by its resolved path
otherwise. Files are written beside their target and renamed into place, so
an interrupted run leaves the old file or the whole new one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from . import regexes


class OutputError(Exception):
    """An output gklint must not or cannot write; one line, exit 2."""


def _identity(path: str) -> tuple | str:
    try:
        info = os.stat(path)
        return (info.st_dev, info.st_ino)
    except OSError:
        return os.path.normcase(os.path.realpath(path))


def refuse_inputs(outputs: dict[str, str | None], inputs: list[str]) -> None:
    """Raise OutputError if an output (option name → path) is one of the inputs."""
    wanted = {option: path for option, path in outputs.items() if path and path != "-"}
    if not wanted:
        return
    known = {}
    for path in inputs:
        if path != "-":
            known.setdefault(_identity(path), path)
            known.setdefault(os.path.normcase(os.path.realpath(path)), path)
    for option, path in wanted.items():
        clash = known.get(_identity(path)) or known.get(os.path.normcase(os.path.realpath(path)))
        if clash is not None:
            raise OutputError(f"{path}: {option} 指向被检查的报告 {clash}，不会覆盖报告 (refusing to write over an input)")


def write_atomic(target: str, data: str | bytes, encoding: str = "utf-8") -> None:
    """Write `data` to `target` through a temporary file in the same folder."""
    final = os.path.realpath(target)
    folder = os.path.dirname(final) or "."
    payload = data if isinstance(data, bytes) else data.encode(encoding, errors="backslashreplace")
    if os.path.exists(target) and not os.path.isfile(target):
        _write_through(target, payload)  # /dev/stdout, a pipe: there is no file to replace
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{Path(final).name[:40]}.", suffix=".tmp")
    except OSError as err:
        raise OutputError(f"{target}: 无法写入 ({err.strerror or err})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        _copy_mode(final, temporary)
        os.replace(temporary, final)
    except OSError as err:
        raise OutputError(f"{target}: 无法写入 ({err.strerror or err})") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _write_through(target: str, payload: bytes) -> None:
    """Write to a device or FIFO in place: renaming over it would replace
    the device node (`-o /dev/null`) with a regular file."""
    if os.path.isdir(target):
        raise OutputError(f"{target}: 是目录，无法写入 (is a directory)")
    try:
        with open(target, "wb") as stream:
            stream.write(payload)
    except OSError as err:
        raise OutputError(f"{target}: 无法写入 ({err.strerror or err})") from None


def _copy_mode(final: str, temporary: str) -> None:
    """Keep an existing file's permissions; a new one gets the umask's."""
    try:
        mode = os.stat(final).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temporary, mode)


# Characters a report or a file name may carry that must not reach a terminal
# raw: C0/C1 controls (ESC starts colour and OSC sequences, CR overwrites the
# line, BEL rings) and the bidirectional overrides that reorder what is shown.
_UNSHOWABLE = regexes.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A file name that is not valid UTF-8 reaches Python as lone surrogates
# (os.fsdecode's surrogateescape); they cannot be encoded for any output.
_UNDECODED = regexes.compile("[\udc80-\udcff]")


def printable(text: str) -> str:
    """`text` safe to show: controls and undecodable bytes as `\\xNN` / `\\uNNNN`."""
    text = _UNDECODED.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)
    return _UNSHOWABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                           else f"\\u{ord(m.group()):04x}", text)


def encodable(text: str, json_text: bool = False) -> str:
    """Rendered output with undecodable file-name bytes escaped, so it can be
    written as UTF-8. In JSON the escape's backslash is itself escaped (they
    only ever occur inside strings)."""
    escape = "\\\\x" if json_text else "\\x"
    return _UNDECODED.sub(lambda m: f"{escape}{ord(m.group()) - 0xDC00:02x}", text)
