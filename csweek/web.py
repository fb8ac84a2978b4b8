"""Small pieces every app's views share: service errors onto forms, and safe CSV exports."""

import csv
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.http import HttpResponse

CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def form_add_service_errors(form, error: ValidationError, mapping: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one
    (`mapping` renames service fields to form fields), else at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = (mapping or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def csv_safe(value) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; a leading quote keeps them text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_STARTS) else text


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download whose every cell is safe to open in a spreadsheet."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)
    return response
