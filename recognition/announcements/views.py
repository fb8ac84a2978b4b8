"""/announcements/: the list with delivery counts, the composer, the preview that asks before
sending, scheduling and cancelling. One URL per step."""

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csweek.core.markdown import render_markdown
from csweek.core.views import allowed_only, form_add_service_errors
from outbox.services import email_preview_parts
from recognition.announcements import permissions, selectors, services
from recognition.announcements.forms import AnnouncementForm, ScheduleForm

PAGE_SIZE = 25

coordinator_required = allowed_only(
    permissions.can_manage_announcements, "Only coordinators can write and send announcements."
)

FORM_FIELDS = {"everyone": "audience_everyone", "activity": "activity", "teams": "teams", "roles": "roles"}


def _get(request, pk: int):
    announcement = selectors.announcement_visible_to(request.user, pk=pk)
    if announcement is None:
        raise Http404("No such announcement.")
    return announcement


@coordinator_required
@require_GET
def announcement_list(request):
    page = Paginator(selectors.announcements_visible_to(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = selectors.announcement_delivery_counts(page.object_list)
    empty = {"queued": 0, "sent": 0, "failed": 0, "skipped": 0}
    for announcement in page:
        announcement.counts = counts.get(announcement.pk, empty)
    return render(request, "recognition/announcements/list.html", {"page": page})


@coordinator_required
@require_http_methods(["GET", "POST"])
def announcement_new(request):
    form = AnnouncementForm(request.POST or None, initial={"audience_everyone": True})
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.announcement_create(by=request.user, **form.service_fields())
        except ValidationError as error:
            form_add_service_errors(form, error, FORM_FIELDS)
        else:
            messages.success(request, "The draft is saved. Check the preview, then send or schedule it.")
            return redirect("recognition:announcement_detail", announcement.pk)
    return render(request, "recognition/announcements/form.html", {"form": form, "announcement": None})


@coordinator_required
@require_http_methods(["GET", "POST"])
def announcement_edit(request, pk: int):
    announcement = _get(request, pk)
    if not announcement.is_editable:
        messages.error(request, "This announcement is sent: it can no longer be changed.")
        return redirect("recognition:announcement_detail", announcement.pk)
    if request.method == "POST":
        form = AnnouncementForm(request.POST)
        if form.is_valid():
            try:
                services.announcement_update(
                    by=request.user, announcement=announcement, **form.service_fields()
                )
            except ValidationError as error:
                form_add_service_errors(form, error, FORM_FIELDS)
            else:
                messages.success(request, "The announcement is saved.")
                return redirect("recognition:announcement_detail", announcement.pk)
    else:
        form = AnnouncementForm(initial=AnnouncementForm.initial_from(announcement))
    return render(
        request, "recognition/announcements/form.html", {"form": form, "announcement": announcement}
    )


def _detail(request, announcement, *, schedule_form=None, status: int = 200, error: str = ""):
    preview = email_preview_parts(kind=selectors.KIND, recipient=request.user, about=announcement)
    context = {
        "announcement": announcement,
        "reach": selectors.announcement_reach(announcement) if announcement.is_editable else None,
        "counts": selectors.announcement_delivery_counts([announcement]).get(announcement.pk),
        "subject": preview[0] if preview else announcement.subject,
        "text": preview[1] if preview else announcement.body,
        "body_html": render_markdown(announcement.body),
        "schedule_form": schedule_form or _schedule_form(request, announcement),
        "time_zone": timezone.get_current_timezone_name(),
        "error": error,
    }
    return render(request, "recognition/announcements/detail.html", context, status=status)


def _schedule_form(request, announcement, data=None) -> ScheduleForm:
    initial = {}
    if announcement.scheduled_at is not None:
        initial["send_at"] = timezone.localtime(announcement.scheduled_at).replace(tzinfo=None)
    form = ScheduleForm(data, initial=initial)
    form.fields["send_at"].help_text = f"In your time zone ({timezone.get_current_timezone_name()})."
    return form


@coordinator_required
@require_GET
def announcement_detail(request, pk: int):
    return _detail(request, _get(request, pk))


# The email exactly as a mail client gets it: its own page, since its styles are inline (as mail
# clients need) and the site's policy forbids those. Nothing on it may run or load from elsewhere.
@coordinator_required
@require_GET
@csp(
    {
        "default-src": [NONE],
        "style-src": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
    }
)
def announcement_preview_html(request, pk: int):
    announcement = _get(request, pk)
    preview = email_preview_parts(kind=selectors.KIND, recipient=request.user, about=announcement)
    if preview is None:
        raise Http404("Nothing to preview.")
    response = HttpResponse(preview[2], content_type="text/html; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@coordinator_required
@require_POST
def announcement_send(request, pk: int):
    announcement = _get(request, pk)
    try:
        services.announcement_send_now(by=request.user, announcement=announcement)
    except ValidationError as error:
        return _detail(request, announcement, status=200, error=" ".join(error.messages))
    messages.success(request, f"“{announcement.subject}” is on its way.")
    return redirect("recognition:announcement_list")


@coordinator_required
@require_POST
def announcement_schedule(request, pk: int):
    announcement = _get(request, pk)
    form = _schedule_form(request, announcement, request.POST)
    if form.is_valid():
        try:
            services.announcement_schedule(
                by=request.user, announcement=announcement, send_at=form.cleaned_data["send_at"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            local = timezone.localtime(form.cleaned_data["send_at"])
            messages.success(
                request, f"“{announcement.subject}” will be sent on {local:%A %-d %B %Y at %H:%M}."
            )
            return redirect("recognition:announcement_detail", announcement.pk)
    return _detail(request, announcement, schedule_form=form, status=200)


@coordinator_required
@require_POST
def announcement_cancel(request, pk: int):
    announcement = _get(request, pk)
    try:
        services.announcement_cancel(by=request.user, announcement=announcement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{announcement.subject}” will not be sent; it is a draft again.")
    return redirect("recognition:announcement_detail", announcement.pk)
