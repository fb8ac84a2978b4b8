"""The reports, their exports and the week recap: parse, call a selector or a service, render."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from audit.services import audit_record
from csweek.core.views import allowed_only
from insights import exports, permissions, selectors

reports_required = allowed_only(
    permissions.can_view_reports, "Only coordinators and managers can see reports."
)
EXPORT_FORMATS = {"csv": exports.table_csv, "xlsx": exports.table_xlsx}


@reports_required
@require_GET
def report_latest(request):
    years = selectors.report_years(request.user)
    if not years:
        return render(request, "insights/report_none.html")
    return redirect("insights:report", year=years[0])


@reports_required
@require_GET
def report(request, year: int):
    report = selectors.report_for(viewer=request.user, year=year)
    if report is None:
        raise Http404("No such week.")
    return render(request, "insights/report.html", {"report": report})


@reports_required
@require_GET
def report_export(request, year: int, key: str, fmt: str):
    export = EXPORT_FORMATS.get(fmt)
    report = selectors.report_for(viewer=request.user, year=year)
    table = report.table(key) if report is not None and export is not None else None
    if table is None:
        raise Http404("No such report table.")
    audit_record(
        actor=request.user, action="export.report", obj=report.week, detail={"table": key, "format": fmt}
    )
    return export(table, filename=f"csweek-{year}-{key}")
