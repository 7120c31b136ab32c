"""The command line: `gklint [lint] PATH...`, `gklint tree`, `gklint rules`, `gklint explain`.

Exit codes as ruff: 0 clean, 1 findings at or above the failing severity,
2 usage, input or configuration error (one line on stderr, never a traceback).
"""

from __future__ import annotations

import json
import os
import signal
import sys

import click

from . import __version__
from .document import AGENCY_KIND_NAMES, AGENCY_KINDS, ERAS
from .formats import FORMATS
from .source import InputError


class _DefaultGroup(click.Group):
    """`gklint report.txt` is short for `gklint lint report.txt`. Every command
    ends in an exit code, never a traceback: Ctrl-C 130, SIGTERM 143, an
    internal error one line and 2 (the traceback with --debug)."""

    def parse_args(self, ctx, args):
        lead = [a for a in args[:1] if a == "--debug"]
        rest = args[len(lead):]
        if rest and rest[0] not in self.commands and rest[0] not in ("--help", "-h", "--version"):
            rest = ["lint", *rest]
        return super().parse_args(ctx, [*lead, *rest])

    def invoke(self, ctx):
        signal.signal(signal.SIGTERM, _terminated)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("gklint: 已中断 (interrupted)", err=True)
            sys.exit(130)
        except BrokenPipeError:
            _quiet_stdout()
            sys.exit(2)  # the reader went away: never report success
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as err:
            from .run import debugging

            if debugging():
                raise
            _fail(f"内部错误（{type(err).__name__}: {str(err)[:200]}）；请报告此问题，--debug 可显示详情 (internal error)")


def _terminated(signum, frame) -> None:
    """SIGTERM unwinds like Ctrl-C, so workers are stopped and no output is left half-written."""
    raise SystemExit(128 + signum)


def _quiet_stdout() -> None:
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError:
        pass


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gklint")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors (or set GKLINT_DEBUG=1).")
def main(debug: bool) -> None:
    """Lint 政府信息公开工作年度报告 (government information disclosure annual reports)."""
    if debug:
        os.environ["GKLINT_DEBUG"] = "1"  # inherited by the workers


def _fail(message: str) -> None:
    _note(message)
    sys.exit(2)


def _note(message: str) -> None:
    """One line on stderr; a file name or report text in it is shown escaped."""
    from .output import printable

    click.echo(f"gklint: {printable(message)}", err=True)


def _write(text: str, utf8: bool = False) -> None:
    """Write output whole; survive consoles that cannot encode Chinese (GBK on Windows).
    Machine formats (`utf8`) are UTF-8 bytes whatever the console's code page."""
    stream = sys.stdout
    try:
        try:
            if utf8 and hasattr(stream, "buffer"):
                stream.flush()
                stream.buffer.write(text.encode("utf-8"))
            else:
                stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(stream, "encoding", None) or "ascii"
            stream.buffer.write(text.encode(encoding, errors="replace"))
        stream.flush()
    except BrokenPipeError:
        raise  # `gklint … | head`: handled where the run ends
    except OSError as err:  # a full disk, a closed descriptor
        _quiet_stdout()  # so the interpreter's own flush at exit does not fail again
        _fail(f"无法写入标准输出 ({err.strerror or err})")


def _emit(text: str, output: str | None, encoding: str = "utf-8", fmt: str = "text") -> None:
    """Output to a file (-o) or standard output."""
    from .output import encodable

    text = encodable(text, json_text=fmt in ("json", "sarif"))
    if not output:
        _write(text, utf8=fmt in ("json", "sarif", "github", "csv"))
        return
    from .output import OutputError, write_atomic

    try:
        write_atomic(output, text, encoding)
    except OutputError as err:
        _fail(str(err))


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--era", type=click.Choice(ERAS), help="Force the format era instead of detecting it.")
def tree(path: str, fmt: str, era: str | None) -> None:
    """Print the document tree of a report (what rules can address)."""
    from .parse import parse
    from .inputs import read_any
    from .source import decode
    from .tree import render_text, to_json

    from .limits import FILE_TIME_BUDGET, MAX_REPORT_CHARS, TimeLimit, time_limit
    from .source import check_size

    try:
        with time_limit(FILE_TIME_BUDGET):
            if path == "-":
                src = decode(sys.stdin.buffer.read(4 * MAX_REPORT_CHARS + 1), "<stdin>")
                check_size(src.text, "<stdin>", MAX_REPORT_CHARS)
            else:
                src = read_any(path)
            doc = parse(src, era=era)
    except InputError as err:
        _fail(str(err))
    except TimeLimit:
        _fail(f"{path}: 读取和解析超过 {FILE_TIME_BUDGET:g} 秒 (timed out)")
    if fmt == "json":
        _write(json.dumps(to_json(doc), ensure_ascii=False, indent=2) + "\n")
    else:
        _write(render_text(doc))


def _codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [c.strip() for c in value.split(",") if c.strip()]


class _GroupedCommand(click.Command):
    """`--help` with the options in groups, as ruff shows them."""

    groups: dict[str, tuple[str, ...]] = {}

    def format_options(self, ctx, formatter):
        records = {p.name: p.get_help_record(ctx) for p in self.get_params(ctx)}
        shown = set()
        for title, names in self.groups.items():
            rows = [records[n] for n in names if records.get(n)]
            shown.update(names)
            with formatter.section(title):
                formatter.write_dl(rows)
        rest = [r for n, r in records.items() if r and n not in shown]
        if rest:
            with formatter.section("其他 (other)"):
                formatter.write_dl(rest)


class _LintCommand(_GroupedCommand):
    groups = {
        "规则选择 (rule selection)": ("select", "ignore", "rule_dirs", "era", "agency_kind", "published", "previous"),
        "文件 (files)": ("stdin_filename", "max_size", "rule_timeout", "jobs"),
        "输出 (output)": ("fmt", "output", "show", "statistics", "quiet", "no_snippets", "pretty", "full_rules"),
        "修正 (fixes)": ("fix", "unsafe_fixes", "diff"),
        "退出码 (exit status)": ("fail_on", "exit_zero"),
        "配置与基线 (configuration)": ("config_file", "isolated", "show_settings", "baseline_file", "write_baseline"),
    }


_SEVERITIES = click.Choice(["error", "warning", "info"])


@main.command(cls=_LintCommand)
@click.argument("paths", nargs=-1, required=True)
@click.option("--select", help="只检查这些规则编号或前缀，逗号分隔（GK2,GK401）；没有相符规则的编号是错误。")
@click.option("--ignore", help="不检查这些规则编号或前缀，逗号分隔。")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="另外的规则目录或文件（可重复）。")
@click.option("--era", type=click.Choice(ERAS), help="指定格式年代，不自动识别。")
@click.option("--agency-kind", type=click.Choice(AGENCY_KINDS),
              help="发布机关类别：government（人民政府，3月31日）、department（部门，1月31日）、subdistrict（街道办事处）、"
                   "zone（管委会/开发区）；不指定则按机关名称识别（gklint tree 显示依据）。")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="报告的发布日期 YYYY-MM-DD：期限检查用它，不用落款或网页日期。")
@click.option("--previous", type=click.Path(dir_okay=False),
              help="同一机关上一年度的报告（跨年度检查）；一个文件夹里的多年报告会自动配对。")
@click.option("--stdin-filename", help="从标准输入读取时显示的文件名。")
@click.option("--max-size", "max_size", type=click.FloatRange(min=0.001), default=20.0, show_default=True,
              help="单个报告的最大文字量（百万字符）；超过的报告记为错误，其余照常检查。")
@click.option("--rule-timeout", type=click.FloatRange(min=0.01), default=5.0, show_default=True,
              help="一条规则在一个报告上最多运行的秒数，超时记为提示。")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="并行进程数 [默认：CPU 核数]。")
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "docx"]), default="text", show_default=True,
              help="输出格式；html 为带问题标注的报告页面，docx 为带批注的 Word 副本（都需 -o；多个报告时 -o 指定文件夹）。")
@click.option("-o", "--output", type=click.Path(writable=True), help="输出写入此文件（html 多个报告时为文件夹）。")
@click.option("--show", type=_SEVERITIES, help="只显示此严重程度及以上的问题；退出码仍按 --fail-on 计算全部问题。")
@click.option("--statistics", is_flag=True, help="只列出每条规则的问题数。")
@click.option("-q", "--quiet", is_flag=True, help="只输出问题，不输出汇总行和提示。")
@click.option("--no-snippets", is_flag=True, help="输出中不含报告原文（报告里有姓名和电话）。")
@click.option("--pretty/--compact", "pretty", default=None,
              help="JSON 与 SARIF 缩进输出 [默认：一个报告缩进，多个报告紧凑]。")
@click.option("--full-rules", is_flag=True, help="SARIF 中列出全部规则，而不只是有结果的规则。")
@click.option("--fix", is_flag=True,
              help="自动修正标有 [*] 的问题：.txt/.md 就地修改，.docx 另存为 *.fixed.docx；PDF 和网页不修改；不改动任何数字。")
@click.option("--unsafe-fixes", is_flag=True, help="同时应用不安全的修正（改动措辞，如标题、表格标签、重复用字）。")
@click.option("--diff", is_flag=True, help="只显示修正会做的改动，不写任何文件（有改动时退出码 1）。")
@click.option("--fail-on", "--severity-threshold", "fail_on", type=_SEVERITIES,
              help="有此严重程度及以上的问题时退出码为 1 [默认：error]。")
@click.option("--exit-zero", is_flag=True, help="有问题也以 0 退出。")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="使用此配置文件。")
@click.option("--isolated", is_flag=True, help="忽略所有配置文件。")
@click.option("--show-settings", is_flag=True, help="显示对第一个路径生效的配置，然后退出。")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="只报告基线文件中没有的问题。")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False),
              help="把当前问题记入基线文件（退出码 0），以后只报告新问题。")
def lint(paths, fmt, output, select, ignore, fail_on, exit_zero, rule_dirs, era, agency_kind, published, config_file,
         isolated, jobs, stdin_filename, no_snippets, baseline_file, write_baseline, max_size, rule_timeout,
         pretty, full_rules, previous, show, statistics, quiet, show_settings, fix, unsafe_fixes, diff) -> None:
    """检查年度报告（文件、文件夹，或 - 表示标准输入）。 Lint reports."""
    from . import baseline
    from .config import ConfigError
    from .finding import Severity
    from .output import OutputError, refuse_inputs
    from .ruleset import RuleError
    from .run import Linter, Options, discover, pair_years, stale_suppressions

    options = Options(
        select=_codes(select), ignore=_codes(ignore), fail_on=Severity[fail_on] if fail_on else None,
        rules=list(rule_dirs), era=era, agency_kind=agency_kind, config_file=config_file, isolated=isolated,
        published=published.date() if published else None,
        stdin_filename=stdin_filename, keep_documents=fmt == "html", fingerprints=fmt == "sarif", previous=previous,
        max_chars=int(max_size * 1_000_000), rule_budget=rule_timeout,
    )
    linter = Linter(options)
    note = (lambda message: None) if quiet else _note
    try:
        base = linter.config_for(paths[0] if paths[0] != "-" else "-")
        if show_settings:
            _write(_settings_text(base, linter.rules_for(base), paths[0]))
            sys.exit(0)
        skipped: list[str] = []
        excluded: list[str] = []
        files = discover(list(paths), linter.config_for, skipped, excluded)
        for path in skipped:
            _note(f"{path}: 不是普通文件（管道、设备或套接字），已跳过 (not a regular file)")
        if not files and excluded:
            note(f"{len(excluded)} 个文件被配置的 exclude 排除，未检查 (all files excluded)")
            sys.exit(0)
        if not files:
            _fail("没有找到要检查的文件 (no files to lint)")
        # One byte past the limit is enough to refuse it; an endless pipe is never read whole.
        stdin_data = sys.stdin.buffer.read(4 * options.max_chars + 1) if "-" in files else None
        if previous and not os.path.isfile(previous):
            _fail(f"{previous}: 文件不存在 (no such file)")
        if fmt == "docx":
            _check_docx_inputs(files, output)
        several_pages = fmt in ("html", "docx") and len(files) > 1
        if several_pages and not output:
            _fail(f"多个报告的 {fmt} 输出需要用 -o 指定一个文件夹，每个报告写一个文件 ({fmt} needs -o DIR for several reports)")
        pages = _page_names(files, output, f".{fmt}") if several_pages else {}
        refuse_inputs({"-o": None if several_pages else output, "--write-baseline": write_baseline,
                       "--baseline": None, **pages},
                      [*files, *([previous] if previous else []), *([baseline_file] if baseline_file else [])])
        pairs = pair_years(files) if len(files) > 1 and not previous else {}
        workers = 1 if fmt == "html" else jobs or os.cpu_count() or 1  # html keeps every parsed report
        results = list(_run(linter, files, workers, stdin_data, pairs))
        rules = linter.rules_for(base)
        if write_baseline:
            count = baseline.write(write_baseline, results)
            note(f"已把 {count} 个问题写入基线 {write_baseline}")
            sys.exit(2 if any(r.error for r in results) else 0)
        if baseline_file:
            dropped = baseline.apply(results, baseline.read(baseline_file))
            if dropped:
                note(f"基线中已有的 {dropped} 个问题未列出")
    except (ConfigError, RuleError, OutputError, InputError) as err:
        _fail(str(err))
    for result in results:
        if result.error:
            _note(result.error)
    for source in stale_suppressions(results):
        note(f"{source}: 忽略项没有匹配任何问题，可以删除 (stale suppression)")
    if results and all(r.error for r in results):
        sys.exit(2)  # nothing could be read: the errors above say why
    if diff:
        changes = _fix_all(results, unsafe_fixes, write=False)
        note(f"可修正 {changes} 处" if changes else "没有可自动修正的问题")
        sys.exit(2 if any(r.error for r in results) else 1 if changes else 0)
    if fix:
        made = _fix_all(results, unsafe_fixes, write=True)
        note(f"已修正 {made} 处 (fixed)")
    failing = any(f.severity >= r.fail_on for r in results for f in r.findings)
    shown, hidden = _shown(results, Severity[show] if show else None)
    if hidden:
        note(f"另有 {hidden} 个低于 --show {show} 的问题未显示 (hidden by --show)")
    if fmt == "docx":
        _write_word_copies(shown, rules, pages or {"-o": output})
    elif several_pages:
        _write_pages(shown, output, pages)
    else:
        _emit(_rendered(fmt, shown, rules, output, statistics=statistics, quiet=quiet, snippets=not no_snippets,
                        pretty=len(results) == 1 if pretty is None else pretty, full_rules=full_rules,
                        unsafe_fixes=unsafe_fixes,
                        docs_url=base.docs_url), output, fmt=fmt)
    if any(r.error for r in results):
        sys.exit(2)
    sys.exit(1 if failing and not exit_zero else 0)


def _fix_all(results, unsafe: bool, write: bool) -> int:
    """Apply (or, with write=False, print as a diff) every report's fixes; the findings
    fixed leave the results. How many edits were made (or would be)."""
    from .fix import mend

    total = 0
    for result in results:
        if result.error or result.path == "<stdin>" or not any(f.fix for f in result.findings):
            continue
        try:
            mended = mend(result.path, result.findings, unsafe, write)
        except (OSError, UnicodeError, InputError) as err:
            _note(f"{result.path}: 无法修正（{err}）")
            continue
        if mended.diff:
            _write(mended.diff)
        if mended.copy:
            _note(f"{result.path}: 修正后的副本已写入 {mended.copy}（原文件未改动）")
        if mended.unfixable:
            _note(f"{result.path}: PDF 和网页不能自动修正，请在原稿中修改 (not fixable)")
        total += mended.edits
        if write and mended.edits:
            result.findings = [f for f in result.findings if id(f) not in mended.fixed]
    return total


def _shown(results, threshold):
    """Results with the findings below the display threshold left out, and how many were."""
    from dataclasses import replace

    if threshold is None:
        return results, 0
    shown = [replace(r, findings=[f for f in r.findings if f.severity >= threshold]) for r in results]
    return shown, sum(len(r.findings) for r in results) - sum(len(r.findings) for r in shown)


def _rendered(fmt, results, rules, output, statistics=False, quiet=False, **options) -> str:
    import shutil

    from .formats import render

    if statistics:
        from .formats.text import statistics as table

        return table(results, rules, as_json=fmt == "json")
    color = fmt == "text" and output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    columns = shutil.get_terminal_size((120, 24)).columns if output is None else 120
    return render(fmt, results, rules, color=color, columns=columns, summary=not quiet, **options)


def _check_docx_inputs(files: list[str], output: str | None) -> None:
    """Word comments go into copies of Word files; say so before linting anything."""
    others = [f for f in files if not f.lower().endswith(".docx")]
    if others:
        _fail(f"{others[0]}: 只有 .docx 报告能写成带批注的副本 (--format docx needs .docx reports)")
    if not output:
        _fail("--format docx 需要用 -o 指定副本的文件名（不会改动原文件）(--format docx needs -o)")
    if len(files) == 1 and not output.lower().endswith(".docx"):
        _fail(f"{output}: 副本的文件名应以 .docx 结尾 (-o must end in .docx)")


def _write_word_copies(results, rules, targets: dict[str, str]) -> None:
    """A copy of each .docx with the findings as comments (gklint.annotate)."""
    from .annotate import annotated
    from .output import OutputError, write_atomic

    fixes = {r.id: r.fix for r in rules if r.fix}
    for result, target in zip(results, targets.values()):
        if result.error:
            continue
        try:
            os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
            write_atomic(target, annotated(result.path, result.findings, fixes))
        except (OutputError, InputError) as err:
            _fail(str(err))


def _page_names(files: list[str], folder: str, suffix: str = ".html") -> dict[str, str]:
    """`--format html|docx -o DIR`: the file each report gets, and for pages the index last
    (all checked against the inputs before linting)."""
    import re

    index = os.path.join(folder, "index.html")
    taken = {index}
    names = {}
    for path in files:
        stem = re.sub(r"[^\w\-.]+", "_", os.path.splitext(os.path.basename(path))[0])[:80] or "report"
        name, number = os.path.join(folder, f"{stem}{suffix}"), 2
        while name in taken:
            name, number = os.path.join(folder, f"{stem}-{number}{suffix}"), number + 1
        taken.add(name)
        names[f"-o（{os.path.basename(name)}）"] = name
    if suffix == ".html":
        names["-o（index.html）"] = index
    return names


def _write_pages(results, folder: str, pages: dict[str, str]) -> None:
    """A page for each report that could be read, and an index linking them."""
    from .formats.html import index_page, render_report
    from .output import OutputError, write_atomic

    if os.path.exists(folder) and not os.path.isdir(folder):
        _fail(f"{folder}: 多个报告的 html 输出需要一个文件夹，这是一个文件 (not a directory)")
    *targets, index = pages.values()
    try:
        os.makedirs(folder, exist_ok=True)
        linked = []
        for result, target in zip(results, targets):
            if result.document is not None:
                write_atomic(target, render_report(result.document, result.findings))
                linked.append((os.path.basename(target), result))
        write_atomic(index, index_page(linked))
    except OSError as err:
        _fail(f"{folder}: 无法写入 ({err.strerror or err})")
    except OutputError as err:
        _fail(str(err))


def _settings_text(cfg, rules, path: str) -> str:
    """`--show-settings`: the configuration in effect for `path`, as gklint resolved it."""
    active = [r.id for r in rules if cfg.selects(r.id, path)]
    lines = [
        f"路径 (path): {path}",
        f"配置文件 (config): {cfg.path or '无 (none: defaults)'}",
        f"select: {', '.join(cfg.select) or '全部 (all)'}",
        f"ignore: {', '.join(cfg.ignore) or '-'}",
        f"fail-on: {cfg.fail_on.name}",
        f"severity: {', '.join(f'{k}={v.name}' for k, v in cfg.severity.items()) or '-'}",
        f"rules: {', '.join(cfg.rules) or '-'}",
        f"era: {cfg.era or '自动识别 (detected)'}",
        f"agency-kind: {cfg.agency_kind or '自动识别 (detected)'}",
        f"include: {', '.join(cfg.include)}",
        f"exclude: {', '.join(cfg.exclude) or '-'}",
        f"per-file-ignores: {'; '.join(k + ': ' + ','.join(v) for k, v in cfg.per_file_ignores.items()) or '-'}",
        f"suppressions: {len(cfg.suppressions)}",
        f"docs-url: {cfg.docs_url or '-'}",
        f"启用的规则 (active rules): {len(active)} / {len(rules)}",
        "  " + " ".join(active),
    ]
    return "\n".join(lines) + "\n"


def _run(linter, files, jobs, stdin_data, pairs=None):
    from .run import lint_all

    if len(files) >= 20 and sys.stderr.isatty():
        with click.progressbar(length=len(files), label="gklint", file=sys.stderr) as bar:
            yield from lint_all(linter, files, jobs, stdin_data, progress=bar.update, previous_of=pairs)
    else:
        yield from lint_all(linter, files, jobs, stdin_data, previous_of=pairs)


@main.command(name="rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Extra rule directory or file.")
def list_rules(fmt, rule_dirs) -> None:
    """List every rule: id, name, severity, eras."""
    rules = _load_rules(rule_dirs)
    if fmt == "json":
        records = [{"id": r.id, "name": r.name, "severity": r.severity.name, "basis": r.basis, "eras": sorted(r.eras),
                    "agency": list(r.agency) if r.agency else None, "check": r.check.name, "autofix": r.autofix,
                    "description": r.description} for r in rules]
        _write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "markdown":
        _write(rules_markdown(rules))
        return
    lines = [f"{r.id}  {r.name:<40} {r.severity.name:<8} {r.basis or '-':<11} {','.join(sorted(r.eras)):<15} "
             f"{r.description}"
             for r in sorted(rules, key=lambda r: r.id)]
    _write("\n".join(lines) + "\n")


_BASIS_NAMES = {"law": "《条例》条文 (law)", "format": "全国统一格式 (format)", "arithmetic": "报告自身的数字关系 (arithmetic)",
                "convention": "年报惯例 (convention)", "style": "文字与排版规范 (style)"}
def _kinds(scope: tuple[str, ...]) -> str:
    return "、".join(AGENCY_KIND_NAMES[k] for k in scope)


_ERA_NAMES = {"2007": "2019年以前", "2019": "2019格式", "2021": "2021格式"}
_ERA_TITLES = {"2007": "2019年以前（2007年《条例》）", "2019": "2019年试行格式", "2021": "2021年格式"}


def _load_rules(rule_dirs):
    from .ruleset import RuleError, load

    try:
        return load(list(rule_dirs))
    except RuleError as err:
        _fail(str(err))


def rules_markdown(rules) -> str:
    """docs/rules.md: every rule with what it checks, why, an example and the fix."""
    out = ["# gklint rules", "", "Generated by `gklint rules --format markdown`; do not edit by hand.", "",
           "Severity follows the basis of each rule: see [severity.md](severity.md).", "",
           "| id | name | severity | basis | eras | checks |", "|---|---|---|---|---|---|"]
    ordered = sorted(rules, key=lambda r: r.id)
    for r in ordered:
        eras = "、".join(_ERA_NAMES[e] for e in sorted(r.eras))
        out.append(f"| [{r.id}](#{r.id.lower()}) | {r.name} | {r.severity.name} | {r.basis or '-'} | {eras} "
                   f"| {r.description} |")
    for r in ordered:
        out += ["", f"## {r.id}", "", f"`{r.name}` · {r.severity.name} · 依据 {_BASIS_NAMES.get(r.basis, '-')}"
                f" · check `{r.check.name}`" + (f" · 仅{_kinds(r.agency)}" if r.agency else ""), "",
                f"**检查什么** {r.description}", "", f"**为什么** {r.rationale}"]
        if r.example:
            out += ["", f"**示例** `{r.example}`"]
        if r.fix:
            out += ["", f"**如何修改** {r.fix}"]
        if r.autofix:
            out += ["", f"**自动修正** {_AUTOFIX_NAMES[r.autofix]}"]
    return "\n".join(out) + "\n"


_AUTOFIX_NAMES = {"safe": "安全，`--fix` 即应用", "unsafe": "会改动措辞，需 `--unsafe-fixes`（先用 `--diff` 查看）"}


@main.command()
@click.argument("rule_id")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Extra rule directory or file.")
def explain(rule_id, rule_dirs) -> None:
    """Explain a rule: what it checks, why, an example, how to fix."""
    rules = _load_rules(rule_dirs)
    wanted = rule_id.strip()
    rule = next((r for r in rules if r.id == wanted.upper() or r.name == wanted), None)
    if rule is None:
        _fail(f"没有规则 {rule_id} (unknown rule; see `gklint rules`)")
    eras = "、".join(_ERA_TITLES[e] for e in sorted(rule.eras))
    parts = [
        f"{rule.id} {rule.name}  [{rule.severity.name}]",
        f"依据：{_BASIS_NAMES.get(rule.basis, '未注明')}（严重程度随依据而定，见 docs/severity.md）",
        f"适用：{eras}" + (f"；仅{_kinds(rule.agency)}" if rule.agency else ""),
        "",
        "检查什么", f"  {rule.description}",
        "",
        "为什么", f"  {rule.rationale}",
    ]
    if rule.example:
        parts += ["", "示例", f"  {rule.example}"]
    if rule.fix:
        parts += ["", "如何修改", f"  {rule.fix}"]
    if rule.autofix:
        parts += ["", "自动修正", f"  {_AUTOFIX_NAMES[rule.autofix].replace('`', '')}"]
    parts += ["", f"检查方法：{rule.check.name}；规则文件：{rule.source}"]
    _write("\n".join(parts) + "\n")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json", "html", "xlsx"]), default="text",
              show_default=True, help="输出格式；xlsx 为含全部表格的工作簿（需 -o）。")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="把汇总写入文件。")
@click.option("--roster", type=click.Path(dir_okay=False),
              help="应公开年报的机关名册（CSV：名称、类型、上级、报告、发布日期、别名），据此列出未公开的机关。")
@click.option("--scoring", type=click.Path(dir_okay=False),
              help="评分表（YAML），代替 gklint 内置的示例；写 extends: gklint 可按 id 修改内置各项（见 docs/scoring.md）。")
@click.option("--year", type=click.IntRange(1990, 2100), help="评查年度［默认：有名册时为报告最多的年度，否则取各机关最新一份报告］。")
@click.option("--table", type=click.Choice(["reports", "agencies", "deductions", "copies"]), default="reports",
              show_default=True, help="--format csv 输出哪一张表：报告、机关评分、扣分明细或雷同。")
@click.option("--common-above", type=click.IntRange(min=1),
              help="超过这么多个机关共有的文字视为通用表述，不算雷同［默认 3，或机关数的 1%］。")
@click.option("--no-snippets", is_flag=True, help="不输出原文片段（报告中有姓名和电话）。")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="并行检查报告的进程数［默认：CPU 核数］。")
@click.option("--isolated", is_flag=True, help="检查报告时不读取配置文件。")
def summary(inputs, fmt, output, roster, scoring, year, table, common_above, no_snippets, jobs, isolated) -> None:
    """汇总多份报告或 SARIF 日志（文件或文件夹）：谁未公开、谁逾期、谁雷同，以及评分表。"""
    from pathlib import Path

    from . import sheet as sheet_module
    from . import summary as summary_module

    if fmt == "xlsx" and not output:
        _fail("--format xlsx 需要 -o 指定输出文件 (an .xlsx workbook is not written to the terminal)")
    rules = summary_module.builtin_rule_info()
    agencies, sheet = _side_files(roster, scoring, rules)
    walked = {raw: sorted(Path(raw).rglob("*")) if Path(raw).is_dir() else [Path(raw)] for raw in inputs}
    _refuse_summary_output(walked, output, [p for p in (roster, scoring) if p])
    reports, errors = _summary_reports(walked, rules, snippets=not no_snippets, jobs=jobs, isolated=isolated)
    for error in errors:
        _note(error)
    board = sheet_module.build(reports, rules, roster=agencies, sheet=sheet, year=year, common_above=common_above)
    result = summary_module.Summary(reports=reports, rules=rules, errors=errors, board=board)
    if fmt == "xlsx":
        from .formats.xlsx import workbook
        from .output import OutputError, write_atomic

        try:
            write_atomic(output, workbook(summary_module.tables(result)))
        except OutputError as err:
            _fail(str(err))
    else:
        _emit(summary_module.render(result, fmt, snippets=not no_snippets, table=table), output,
              encoding="utf-8-sig" if fmt == "csv" else "utf-8", fmt=fmt)  # a BOM so spreadsheets read the CSV as UTF-8
    sys.exit(2 if errors else 0)


def _side_files(roster: str | None, scoring: str | None, rules: dict):
    """The roster's agencies (None without one) and the scoring sheet, or exit 2."""
    from . import roster as roster_module
    from . import scoring as scoring_module

    try:
        agencies = roster_module.load(roster) if roster else None
        return agencies, scoring_module.load(scoring, rule_ids=list(rules))
    except (roster_module.RosterError, scoring_module.ScoringError) as err:
        _fail(str(err))


def _refuse_summary_output(walked: dict, output: str | None, side: list[str]) -> None:
    """-o must not name a report, a log or a side file being read."""
    from .output import OutputError, refuse_inputs

    try:
        refuse_inputs({"-o": output}, [str(p) for found in walked.values() for p in found if p.exists()] + side)
    except OutputError as err:
        _fail(str(err))


def _summary_reports(walked: dict, rules: dict, snippets: bool, jobs: int | None, isolated: bool):
    """Reports from the SARIF logs among the inputs (`walked`: each input and
    the files found in it), and from linting the other files (fingerprints
    included); plus one message per unreadable input."""
    from pathlib import Path

    from . import summary as summary_module
    from .config import ConfigError
    from .ruleset import RuleError
    from .run import Linter, Options, discover, lint_all, pair_years

    sarif = (".sarif", ".sarif.json")
    reports, errors, texts = [], [], []
    for raw, found in walked.items():
        path = Path(raw)
        if not path.exists():
            errors.append(f"{raw}: 文件不存在 (no such file)")
            continue
        for candidate in found:
            if candidate.is_file() and candidate.name.endswith(sarif):
                try:
                    reports += summary_module.read_sarif(candidate, rules, snippets=snippets)
                except summary_module.SummaryInputError as err:
                    errors.append(str(err))
        if path.is_dir() or not path.name.endswith(sarif):
            texts.append(raw)
    if not texts:
        return reports, errors
    try:
        linter = Linter(Options(isolated=isolated, fingerprints=True))
        files = [f for f in discover(texts, linter.config_for) if not f.endswith(sarif)]
        for result in lint_all(linter, files, jobs or os.cpu_count() or 1, previous_of=pair_years(files)):
            if result.error:
                errors.append(result.error)
            else:
                reports += summary_module.from_results([result])
    except (ConfigError, RuleError) as err:
        _fail(str(err))
    return reports, errors
