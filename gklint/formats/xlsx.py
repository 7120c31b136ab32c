"""The summary as an Excel workbook, as evaluators exchange score sheets.

One worksheet per table (评分表, 失分明细, 雷同, 报告), a frozen header row,
column widths fitted to the (CJK) content, and values written as values: a
cell read from a report that looks like a formula stays text.
"""

from __future__ import annotations

import io

SHEET_NAMES = {"agencies": "评分表", "deductions": "失分明细", "copies": "雷同", "reports": "报告"}


def workbook(tables: dict[str, tuple[list[str], list[list]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..output import printable
    from .text import width

    book = Workbook()
    book.remove(book.active)
    for key, (headers, rows) in tables.items():
        sheet = book.create_sheet(SHEET_NAMES.get(key, key))
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([printable(v) if isinstance(v, str) else v for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text from a report, never a formula
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, 1):
            widest = max([width(str(header))] + [width(str(row[index - 1])) for row in rows[:500]])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(60, widest + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

