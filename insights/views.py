"""The reports, their exports and the week recap: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_record
from csweek.core import versions
from csweek.core.pagecache import cached_page
from csweek.core.views import allowed_only, form_add_service_errors
from insights import exports, permissions, selectors, services
from insights.forms import RecapNoteForm
from insights.sections import RECAP_SECTIONS

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
@cached_page(versions.WEEK_DATA, versions.SIGNUPS, versions.PAGE_DATA, versions.DELIVERIES)
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


recap_managers_only = allowed_only(
    permissions.can_manage_recap, "Only coordinators can edit or send the recap."
)


def _recap_week_or_404(request, year: int):
    week = selectors.recap_week_for(viewer=request.user, year=year)
    if week is None:
        raise Http404("No recap for this week yet.")
    return week


def _recap_page(request, week, *, form=None, status=200):
    recap = selectors.recap_of(week)
    can_manage = permissions.can_manage_recap(request.user)
    context = {
        "week": week,
        "recap": recap,
        "content": selectors.recap_for(week),
        "is_over": selectors.week_is_over(week),
        "ends_at": selectors.week_ends_at(week),
        "can_manage": can_manage,
        "form": form or (RecapNoteForm(instance=recap) if can_manage else None),
        "sections": RECAP_SECTIONS.render_list(week, request.user),
    }
    return render(request, "insights/recap.html", context, status=status)


@login_required
@require_GET
@cached_page(versions.WEEK_DATA, versions.SIGNUPS, versions.PAGE_DATA, versions.DELIVERIES)
def recap(request, year: int):
    return _recap_page(request, _recap_week_or_404(request, year))


@recap_managers_only
@require_POST
def recap_note(request, year: int):
    week = _recap_week_or_404(request, year)
    form = RecapNoteForm(request.POST, instance=selectors.recap_of(week))
    if not form.is_valid():
        return _recap_page(request, week, form=form, status=400)
    try:
        services.recap_note_set(week=week, by=request.user, note=form.cleaned_data["thank_you_note"])
    except ValidationError as error:
        form_add_service_errors(form, error)
        return _recap_page(request, week, form=form, status=400)
    messages.success(request, "The thank-you note is saved.")
    return redirect("insights:recap", year=week.year)


@recap_managers_only
@require_http_methods(["GET", "POST"])
def recap_send(request, year: int):
    """GET: the preview and how many people it will email; POST: send."""
    week = _recap_week_or_404(request, year)
    if request.method == "POST":
        try:
            count = services.recap_send(week=week, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"The recap is on its way to {count} {'person' if count == 1 else 'people'}."
            )
        return redirect("insights:recap", year=week.year)
    recap = selectors.recap_of(week)
    context = {
        "week": week,
        "recap": recap,
        "content": selectors.recap_for(week),
        "count": selectors.recap_recipients(recap).count(),
        "is_over": selectors.week_is_over(week),
        "email": selectors.recap_email_preview(week=week, recap=recap, viewer=request.user),
    }
    return render(request, "insights/recap_send.html", context)
