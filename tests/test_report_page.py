"""The per-report HTML page as a browser lays it out: notes beside their
paragraph or row and never over a table cell, label cells wide enough to
read, merged template cells shown merged, and an index of every finding."""

import json
import re

import pytest
from conftest import FIXTURES, SEEDS
from test_cli import gklint
from test_summary import ARTIFACTS, chromium, headless

from gklint.formats.html import _merged_spans

# Measures the laid-out page and writes the result into the DOM, for --dump-dom to carry out.
MEASURE = """<script>
window.addEventListener("load", function () {
  var notes = Array.from(document.querySelectorAll(".note"));
  var cells = Array.from(document.querySelectorAll("table.report-table td:not(.row-notes), table.report-table th"));
  var overlaps = 0;
  notes.forEach(function (n) {
    var a = n.getBoundingClientRect();
    cells.forEach(function (c) {
      var b = c.getBoundingClientRect();
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps++;
    });
  });
  var narrow = cells.filter(function (c) {
    var text = c.textContent.trim();
    if (!/^[\\u4e00-\\u9fff]{4}$/.test(text)) return false;
    var size = parseFloat(getComputedStyle(c).fontSize);
    return c.getBoundingClientRect().width < 4 * size;
  }).map(function (c) { return c.textContent.trim(); });
  document.body.setAttribute("data-measured", JSON.stringify({notes: notes.length, cells: cells.length,
                                                              overlaps: overlaps, narrow: narrow}));
});
</script></body>"""


def measured(page, width: int) -> dict:
    probe = page.with_name(page.stem + f"-probe-{width}.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE, 1), encoding="utf-8")
    dom = headless(probe.as_uri(), "--dump-dom", f"--window-size={width},900")
    found = re.search(r'data-measured="([^"]*)"', dom)
    assert found, dom[-500:]
    return json.loads(found.group(1).replace("&quot;", '"'))


@pytest.mark.skipif(chromium() is None, reason="Chromium not installed (.ci/run installs it)")
@pytest.mark.parametrize("report", [SEEDS["003"], SEEDS["002"], FIXTURES / "003_17306181f9b38851.html"])
def test_no_note_covers_a_table_cell_and_labels_are_readable(report):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = ARTIFACTS / f"page-{report.stem}{report.suffix.replace('.', '-')}.html"
    gklint("--isolated", "--format", "html", "-o", page, report)
    for width in (1280, 800):  # a desktop and a narrow window
        result = measured(page, width)
        assert result["notes"] >= 3 and result["cells"] > 50, result
        assert result["overlaps"] == 0, result
        assert result["narrow"] == [], result


def test_the_page_indexes_every_finding_and_links_each_to_its_note(tmp_path):
    page = tmp_path / "r.html"
    gklint("--isolated", "--format", "html", "-o", page, SEEDS["003"])
    html = page.read_text(encoding="utf-8")
    findings = json.loads(gklint("--isolated", "--format", "json", SEEDS["003"]).stdout)["findings"]
    index = html.split('<details class="index" open>', 1)[1].split("</details>", 1)[0]
    assert index.count("<li>") == len(findings) > 3
    for number in range(len(findings)):
        assert f'href="#f{number}"' in index and f'id="f{number}"' in html
    # table notes sit in their row, not in a column beside the whole table
    assert html.count('class="row-notes"') > 0 and '<td class="row-notes"><div class="note warning" id="f' in html


def test_merged_template_cells_are_shown_merged():
    grid = [["", "申请人情况", "", "", "总计"],
            ["三、本年度办理结果", "（一）予以公开", "3", "1", "4"],
            ["", "（二）部分公开", "0", "1", "1"],
            ["四、结转下年度继续办理", "", "0", "0", "0"]]
    spans = _merged_spans(grid, [True, False, False, False], {0, 1})
    assert spans[(0, 1)] == (1, 3)  # 申请人情况 over its columns
    assert spans[(1, 0)] == (2, 1) and (2, 0) not in spans  # 三、本年度办理结果 down over its items
    assert spans[(3, 0)] == (1, 2)  # a label merged across both label columns
    assert spans[(2, 2)] == (1, 1)  # a figure is never merged
    headers = [["（本列数据的勾稽关系为：…）", "", "申请人情况", "", ""],
               ["", "", "自然人", "法人或其他组织", "总计"],
               ["", "", "", "商业企业", ""]]
    spans = _merged_spans(headers, [True, True, True], {0, 1})
    assert spans[(0, 0)] == (3, 2) and spans[(0, 2)] == (1, 3)
    assert spans[(1, 2)] == (2, 1) and spans[(1, 4)] == (2, 1) and spans[(2, 3)] == (1, 1)
