""".doc, .wps, .odt and .rtf: converted by LibreOffice when it is there, a
clear message when it is not, and never a renamed or broken file linted as text."""

import shutil
import subprocess

import pytest
from test_cli import gklint
from test_readers import TEMPLATE, findings

from gklint.inputs import office
from gklint.parse import parse
from gklint.inputs import read_any
from gklint.source import InputError

SOFFICE = office.soffice()
needs_soffice = pytest.mark.skipif(not SOFFICE or not TEMPLATE.exists(),
                                   reason="LibreOffice or the shared template not available (.ci/run installs it)")


def convert(source, suffix, tmp_path):
    filters = {".doc": "doc:MS Word 97", ".odt": "odt", ".rtf": "rtf"}
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", filters[suffix], "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    return tmp_path / (source.stem + suffix)


@needs_soffice
@pytest.mark.parametrize("suffix", [".doc", ".odt", ".rtf"])
def test_word_processor_files_give_the_docx_findings(tmp_path, suffix):
    original = tmp_path / "年报.docx"
    shutil.copy(TEMPLATE, original)
    converted = convert(original, suffix, tmp_path)
    want = [rule for rule, _ in findings(parse(read_any(original)))]
    got = [rule for rule, _ in findings(parse(read_any(converted)))]
    assert got == want and "GK340" in got


@needs_soffice
def test_a_wps_file_is_read_like_a_doc(tmp_path):
    original = tmp_path / "年报.docx"
    shutil.copy(TEMPLATE, original)
    wps = convert(original, ".doc", tmp_path).rename(tmp_path / "年报.wps")
    run = gklint("--isolated", "--format", "json", wps)
    assert run.returncode == 1, run.stderr.decode()
    assert b"GK340" in run.stdout


def test_without_libreoffice_the_message_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: None)
    doc = tmp_path / "年报.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    with pytest.raises(InputError, match="另存为 .docx.*安装 LibreOffice"):
        read_any(doc)


def test_renamed_or_broken_files_are_refused_not_linted_as_text(tmp_path):
    for name, data in (("a.doc", "某县政府2023年度报告".encode("utf-8")), ("b.wps", b"x" * 600),
                       ("c.rtf", b"plain"), ("d.odt", b"\xd0\xcf\x11\xe0" + bytes(600))):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(InputError, match="不是有效的"):
            read_any(tmp_path / name)
    run = gklint("--isolated", tmp_path)  # a folder of them is reported, not "no files found"
    err = run.stderr.decode()
    assert run.returncode == 2 and err.count("不是有效的") == 4 and "没有找到" not in err


def test_a_docx_saved_as_doc_is_read_as_docx(tmp_path):
    if not TEMPLATE.exists():
        pytest.skip("shared corpus not beside the checkout")
    shutil.copy(TEMPLATE, tmp_path / "年报.doc")
    assert len(parse(read_any(tmp_path / "年报.doc")).tables()) == 3


def test_an_unreadable_folder_is_an_error_not_a_silent_gap(tmp_path, monkeypatch):
    import os

    from gklint.config import Config
    from gklint.run import UnreadableFolder, discover

    gone = tmp_path / "无权限"
    gone.mkdir()
    real_scandir = os.scandir

    def scandir(path):  # as root, chmod 000 does not stop a listing; refuse it here
        if str(path) == str(gone):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(UnreadableFolder, match="无权限: 无法读取文件夹"):
        discover([str(tmp_path)], lambda _: Config())


def _ofd(path):
    """The shell of an OFD package (GB/T 33190): a zip whose first entry is OFD.xml."""
    import zipfile

    with zipfile.ZipFile(path, "w") as package:
        package.writestr("OFD.xml", '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>')
        package.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return path


@pytest.mark.parametrize("name", ["年报.ofd", "年报.pdf", "年报.txt"])
def test_an_ofd_file_is_named_as_ofd_whatever_it_is_called(tmp_path, name):
    with pytest.raises(InputError, match=r"这是 OFD 版式文件.*另存为 PDF"):
        read_any(_ofd(tmp_path / name))


def test_an_ofd_in_a_folder_is_reported_not_skipped(tmp_path):
    _ofd(tmp_path / "某县财政局2023年年报.ofd")
    (tmp_path / "ok.txt").write_text("某县财政局2023年政府信息公开工作年度报告\n\n一、总体情况\n全年主动公开信息120条。\n",
                                     encoding="utf-8")
    run = gklint(tmp_path, "--exit-zero")
    assert run.returncode == 2 and "某县财政局2023年年报.ofd: 这是 OFD 版式文件" in run.stderr.decode()
    assert "ok.txt" in run.stdout.decode()
