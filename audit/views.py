"""/audit/ for coordinators: the audit log, filtered by who, what and when, and its CSV export."""

import datetime

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from audit import permissions, selectors
from audit.forms import AuditFilterForm
from audit.models import AuditEntry
from audit.services import audit_record
from csweek.core.csv import csv_response
from csweek.core.views import allowed_only

PAGE_SIZE = 50

coordinator_required = allowed_only(permissions.can_view_audit, "Only coordinators can read the audit log.")


def _filtered(request) -> tuple[AuditFilterForm, dict, QuerySet[AuditEntry]]:
    form = AuditFilterForm(request.GET)
    form.is_valid()  # a wrong field is left out of the filters and shown with its error
    filters = form.filters()
    entries = selectors.audit_entries_search(
        viewer=request.user, zone=timezone.get_current_timezone(), **filters
    )
    return form, filters, entries


def _without_page(params) -> str:
    """The filters as a query string, for the export link (which has no pages)."""
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


@coordinator_required
@require_GET
def entry_list(request):
    form, filters, entries = _filtered(request)
    context = {
        "form": form,
        "page": Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page")),
        "filtered": any(filters.values()),
        "export_query": _without_page(request.GET),
    }
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "audit/entry_list.html#results" if fragment else "audit/entry_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@coordinator_required
@require_GET
def entry_export(request):
    """The entries the same filters show on /audit/, every page of them; the export is itself logged."""
    _, filters, entries = _filtered(request)
    zone_name = timezone.get_current_timezone_name()
    header = [
        "time_utc",
        f"time ({zone_name})",
        "actor",
        "action",
        "action_label",
        "object_type",
        "object_id",
        "object",
        "detail",
    ]
    rows = [
        (
            entry.created_at.astimezone(datetime.UTC).isoformat(),
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_repr,
            entry.action,
            entry.action_label,
            entry.object_type.name if entry.object_type else "",
            entry.object_id,
            entry.object_repr,
            entry.detail_text,
        )
        for entry in entries.iterator(chunk_size=2000)
    ]
    audit_record(
        actor=request.user,
        action="export.audit_csv",
        detail={"rows": len(rows), **{key: value for key, value in filters.items() if value}},
    )
    return csv_response("csweek-audit-log.csv", header, rows)
