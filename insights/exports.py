"""Report tables as CSV or XLSX, every cell safe from spreadsheet formulas."""

import io

from django.http import HttpResponse
from openpyxl import Workbook

from csweek.core.csv import csv_response, csv_safe
from insights.reports import Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    """Numbers stay numbers; text gets the same formula protection as the CSV exports."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return csv_safe(value)


def table_csv(table: Table, *, filename: str) -> HttpResponse:
    return csv_response(f"{filename}.csv", table.header, table.rows)


def table_xlsx(table: Table, *, filename: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31].replace(":", "")
    sheet.append([csv_safe(cell) for cell in table.header])
    for row in table.rows:
        sheet.append([_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
