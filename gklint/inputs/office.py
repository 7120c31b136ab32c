"""Word processor files gklint cannot read itself (.doc, .wps, .odt, .rtf),
converted to .docx by LibreOffice when it is installed.

Conversion runs `soffice --headless --convert-to docx` in a temporary folder,
with a throw-away user profile (so parallel workers and a running desktop
LibreOffice do not share one) and a time limit. Macros are never run:
LibreOffice does not execute document macros during a headless conversion.
Without LibreOffice the message says what to do instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..source import InputError

CONVERTIBLE = {".doc": "旧版 Word（.doc）", ".wps": "WPS 文字（.wps）", ".odt": "OpenDocument（.odt）",
               ".rtf": "RTF（.rtf）", ".dot": "Word 模板（.dot）", ".wpt": "WPS 模板（.wpt）"}
CONVERT_SECONDS = 120
# What each kind's bytes start with: LibreOffice imports anything else as plain text, and a
# renamed or broken file would be linted as nonsense.
_MAGIC = {".doc": (b"\xd0\xcf\x11\xe0",), ".dot": (b"\xd0\xcf\x11\xe0",), ".wps": (b"\xd0\xcf\x11\xe0",),
          ".wpt": (b"\xd0\xcf\x11\xe0",), ".odt": (b"PK\x03\x04",), ".rtf": (b"{\\rtf",)}


def soffice() -> str | None:
    """LibreOffice's command, if installed (GKLINT_SOFFICE names another)."""
    return os.environ.get("GKLINT_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(path: str, data: bytes) -> bytes:
    """The file's content as .docx bytes, or InputError saying how to get there."""
    name = str(path)
    suffix = Path(name).suffix.lower()
    kind = CONVERTIBLE[suffix]
    if data.startswith(b"PK\x03\x04") and suffix in (".doc", ".wps"):
        return data  # a .docx saved under the old name, as WPS sometimes does: read it as it is
    if not data.startswith(_MAGIC[suffix]) or len(data) < 512 and suffix != ".rtf":
        raise InputError(f"{name}: 不是有效的{kind}文件（已损坏或扩展名不对），未检查 (not a {suffix} file)")
    command = soffice()
    if not command:
        raise InputError(f"{name}: {kind}文件需要先转换：请在 Word 或 WPS 中另存为 .docx，"
                         "或安装 LibreOffice（apt-get install libreoffice-writer-nogui）后由 gklint 自动转换 (unsupported format)")
    with tempfile.TemporaryDirectory(prefix="gklint-office-") as work:
        source = Path(work) / ("report" + Path(name).suffix.lower())
        source.write_bytes(data)
        profile = Path(work, "profile").as_uri()
        try:
            run = subprocess.run(
                [command, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", "docx", "--outdir", work, str(source)],
                capture_output=True, timeout=CONVERT_SECONDS, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise InputError(f"{name}: LibreOffice 转换超过 {CONVERT_SECONDS} 秒，未检查 (conversion timed out)") from None
        except OSError as err:
            raise InputError(f"{name}: 无法运行 LibreOffice（{err.strerror or err}）") from None
        converted = Path(work) / "report.docx"
        if run.returncode != 0 or not converted.is_file():
            raise InputError(f"{name}: LibreOffice 无法转换此{kind}文件（文件可能已损坏），请另存为 .docx 后再检查")
        return converted.read_bytes()
