"""Nothing is ever written over a report; outputs are whole or not there."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import SEEDS

from gklint import output


def gklint(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gklint", *map(str, args)], capture_output=True, cwd=cwd,
                          timeout=120)


@pytest.fixture()
def report(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    path = folder / "report.txt"
    path.write_bytes(SEEDS["002"].read_bytes())
    return path


def _aliases(report):
    link = report.parent / "link.txt"
    link.symlink_to(report)
    hard = report.parent / "hard.txt"
    os.link(report, hard)
    return [report, link, hard, report.parent / ".." / "x" / "report.txt", "./x/../x/report.txt"]


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_output_onto_the_report_is_refused(report, option):
    before = report.read_bytes()
    for alias in _aliases(report):
        run = gklint(report, option, alias, "--format", "sarif", cwd=report.parent.parent)
        assert run.returncode == 2, (alias, run.stdout[:200])
        err = run.stderr.decode().strip()
        assert len(err.splitlines()) == 1 and "不会覆盖报告" in err, err
        assert report.read_bytes() == before
        for name in os.listdir(report.parent):
            assert not name.endswith(".tmp")


def test_output_onto_a_report_found_in_a_walked_folder_is_refused(report):
    other = report.parent / "other.txt"
    other.write_bytes(SEEDS["003"].read_bytes())
    before = other.read_bytes()
    run = gklint(report.parent, "-o", other)
    assert run.returncode == 2 and other.read_bytes() == before


def test_summary_output_onto_an_input_is_refused(report):
    log = report.parent / "a.sarif"
    assert gklint(report, "--format", "sarif", "-o", log).returncode == 1
    before = log.read_bytes()
    run = gklint("summary", report.parent, "-o", log)
    assert run.returncode == 2 and log.read_bytes() == before


def test_write_keeps_the_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "out.sarif"
    target.write_text("OLD", encoding="utf-8")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(str(target), "NEW" * 1000)
    assert target.read_text(encoding="utf-8") == "OLD"
    assert os.listdir(tmp_path) == ["out.sarif"]


def test_write_replaces_whole_and_keeps_permissions(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("OLD", encoding="utf-8")
    target.chmod(0o640)
    output.write_atomic(str(target), "新内容")
    assert target.read_text(encoding="utf-8") == "新内容"
    assert target.stat().st_mode & 0o777 == 0o640


def test_killed_run_leaves_old_or_whole_output(tmp_path):
    """Ctrl-C at some point of a batch run: the SARIF log is the old one or complete."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for index in range(60):
        (folder / f"r{index}.txt").write_bytes(SEEDS["002"].read_bytes())
    target = tmp_path / "out.sarif"
    for delay in (0.2, 0.6, 1.0):
        target.write_text("OLD", encoding="utf-8")
        process = subprocess.Popen([sys.executable, "-m", "gklint", str(folder), "--format", "sarif", "-o",
                                    str(target), "-j", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
        text = target.read_text(encoding="utf-8")
        assert text == "OLD" or json.loads(text)["version"] == "2.1.0"
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_output_to_a_fifo_writes_through_and_leaves_the_fifo_a_fifo(tmp_path):
    import stat
    import threading

    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    run = gklint(SEEDS["003"], "--isolated", "--format", "json", "-o", fifo)
    reader.join(timeout=30)
    assert run.returncode in (0, 1), run.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # not replaced by a regular file
    assert json.loads(received[0])["findings"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_on_standard_output_is_one_line_exit_2():
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "gklint", SEEDS["003"], "--isolated"], stdout=full,
                             stderr=subprocess.PIPE, timeout=60)
    err = run.stderr.decode()
    assert run.returncode == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "无法写入标准输出" in err
