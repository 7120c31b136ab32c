"""The command line: `gklint [lint] PATH...`, `gklint tree`, `gklint rules`, `gklint explain`.

Exit codes as ruff: 0 clean, 1 findings at or above the failing severity,
2 usage, input or configuration error (one line on stderr, never a traceback).
"""

from __future__ import annotations

import json
import sys

import click

from . import __version__
from .source import InputError

ERAS = ("2007", "2019", "2021")


class _DefaultGroup(click.Group):
    """`gklint report.txt` is short for `gklint lint report.txt`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["lint", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gklint")
def main() -> None:
    """Lint 政府信息公开工作年度报告 (government information disclosure annual reports)."""


def _fail(message: str) -> None:
    click.echo(f"gklint: {message}", err=True)
    sys.exit(2)


def _write(text: str) -> None:
    """Write output whole; survive consoles that cannot encode Chinese (GBK on Windows)."""
    stream = sys.stdout
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.buffer.write(text.encode(encoding, errors="replace"))
    stream.flush()


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--era", type=click.Choice(ERAS), help="Force the format era instead of detecting it.")
def tree(path: str, fmt: str, era: str | None) -> None:
    """Print the document tree of a report (what rules can address)."""
    from .parse import parse
    from .source import decode, read
    from .tree import render_text, to_json

    try:
        src = decode(sys.stdin.buffer.read(), "<stdin>") if path == "-" else read(path)
    except InputError as err:
        _fail(str(err))
    doc = parse(src, era=era)
    if fmt == "json":
        _write(json.dumps(to_json(doc), ensure_ascii=False, indent=2) + "\n")
    else:
        _write(render_text(doc))
