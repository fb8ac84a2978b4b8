"""Views for the week plan, the schedule, activities and calendars: parse, call, render."""

import datetime
import zoneinfo

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_record
from csweek.core import versions
from csweek.core.csv import csv_response
from csweek.core.pagecache import cached_page
from csweek.core.views import allowed_only, form_add_service_errors
from events import calendars, permissions, plan_links, selectors, services
from events.forms import (
    ACTIVITY_ERROR_FIELDS,
    ActivityForm,
    CheckInForm,
    DayThemeForm,
    TeamCoverageForm,
    WeekCloneForm,
    WeekCreateForm,
    WeekForm,
)
from events.models import Activity, Registration, Week, default_week_dates
from people import selectors as people_selectors
from people.models import User

planner_required = allowed_only(permissions.can_plan, "Only coordinators can plan the week.")


def _week_or_404(year: int) -> Week:
    week = selectors.week_of_year(year)
    if week is None:
        raise Http404("No week for that year.")
    return week


def _planned_activity_or_404(pk: int) -> Activity:
    activity = selectors.activity_to_plan(pk)
    if activity is None:
        raise Http404("No such activity.")
    return activity


def _vary(response):
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Coordinator: weeks and the plan ------------------------------------------------------------


def _week_create_form(data=None) -> WeekCreateForm:
    """Pre-filled with the first year whose week is neither over nor planned yet, by the date rule."""
    today = timezone.localdate()
    next_year = today.year if default_week_dates(today.year)[1] >= today else today.year + 1
    planned = selectors.week_years_from(next_year)
    while next_year in planned:
        next_year += 1
    initial = {
        "year": next_year,
        "starts_on": default_week_dates(next_year)[0],
        "time_zone": settings.TIME_ZONE,
    }
    return WeekCreateForm(data, initial=initial)


@planner_required
@require_http_methods(["GET", "POST"])
def week_list(request):
    form = _week_create_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            week = services.week_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"The week of {week.year} is created as a draft.")
            return redirect("events:week_plan", year=week.year)
    return _week_list_page(request, form=form)


def _week_list_page(request, *, form, coverage_bound: dict | None = None):
    context = {
        "weeks": selectors.weeks_with_counts(),
        "form": form,
        "coverage_rows": _coverage_rows(coverage_bound),
    }
    return render(request, "events/week_list.html", context)


def _coverage_rows(bound: dict | None = None) -> list[dict]:
    """One small form per team; `bound` replaces the form of the team that was just posted."""
    rows = []
    for team in selectors.teams_with_coverage():
        coverage = getattr(team, "coverage", None)
        percent = coverage.max_away_percent if coverage else 100
        form = (bound or {}).get(team.pk) or TeamCoverageForm(
            initial={"max_away_percent": percent}, prefix=f"team-{team.pk}"
        )
        rows.append({"team": team, "form": form, "percent": percent})
    return rows


@planner_required
@require_POST
def team_coverage_edit(request, team_id: int):
    team = people_selectors.team_by_pk(team_id)
    if team is None:
        raise Http404("No such team.")
    form = TeamCoverageForm(request.POST, prefix=f"team-{team.pk}")
    saved = False
    if form.is_valid():
        services.team_coverage_set(by=request.user, team=team, **form.cleaned_data)
        saved = True
    if request.htmx:
        row = next(r for r in _coverage_rows({} if saved else {team.pk: form}) if r["team"].pk == team.pk)
        row["saved"] = saved
        return _vary(render(request, "events/week_list.html#coverage-row", {"row": row}))
    if saved:
        messages.success(request, f"Team coverage of {team.name} is saved.")
        return redirect("events:week_list")
    # Without JavaScript: the whole page again, this team's form showing what was typed and why not.
    return _week_list_page(request, form=_week_create_form(), coverage_bound={team.pk: form})


def _plan_context(week: Week) -> dict:
    return {"week": week, "plan_links": plan_links.links_for(week.year), **selectors.plan_for(week=week)}


def _day_response(request, week: Week, date: datetime.date):
    context = _plan_context(week)
    context["day"] = next(day for day in context["days"] if day.date == date)
    return render(request, "events/week_plan.html#day", context)


@planner_required
@require_GET
@cached_page(versions.WEEK_DATA, versions.SIGNUPS, versions.PAGE_DATA)
def week_plan(request, year: int):
    return _week_plan_page(request, _week_or_404(year))


def _week_plan_page(request, week: Week, *, clone_form: WeekCloneForm | None = None):
    context = _plan_context(week)
    context["clone_form"] = clone_form or WeekCloneForm(initial={"year": week.year + 1})
    return render(request, "events/week_plan.html", context)


@planner_required
@require_http_methods(["GET", "POST"])
def week_edit(request, year: int):
    week = _week_or_404(year)
    form = WeekForm(request.POST if request.method == "POST" else None, week=week)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirmed") != "1":
            preview = services.week_move_preview(
                week=week, starts_on=form.cleaned_data["starts_on"], time_zone=form.cleaned_data["time_zone"]
            )
            if preview.recipient_count:
                context = {"week": week, "form": form, "preview": preview}
                return render(request, "events/week_move_confirm.html", context)
        try:
            services.week_update(by=request.user, week=week, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"The week of {week.year} is saved.")
            return redirect("events:week_plan", year=week.year)
    return render(request, "events/week_edit.html", {"week": week, "form": form})


@planner_required
@require_POST
def week_publish(request, year: int):
    week = _week_or_404(year)
    services.week_publish(by=request.user, week=week)
    messages.success(request, f"The week of {week.year} is published: everyone can see it.")
    return redirect("events:week_plan", year=week.year)


@planner_required
@require_POST
def week_unpublish(request, year: int):
    week = _week_or_404(year)
    services.week_unpublish(by=request.user, week=week)
    messages.success(request, f"The week of {week.year} is back to draft: only coordinators see it.")
    return redirect("events:week_plan", year=week.year)


@planner_required
@require_POST
def week_clone(request, year: int):
    source = _week_or_404(year)
    form = WeekCloneForm(request.POST)
    if form.is_valid():
        try:
            target = services.week_clone(by=request.user, source=source, year=form.cleaned_data["year"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"The week of {source.year} is copied into {target.year} as a draft.")
            return redirect("events:week_plan", year=target.year)
    # The plan again, the copy form showing the year typed and what is wrong with it.
    return _week_plan_page(request, source, clone_form=form)


def _day_or_404(week: Week, day: str) -> datetime.date:
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404("No such day.") from None
    if date not in week.days:
        raise Http404("That day is not part of the week.")
    return date


@planner_required
@require_GET
def week_day(request, year: int, day: str):
    """One day of the board (what "Close" on an inline form brings back)."""
    week = _week_or_404(year)
    return _vary(_day_response(request, week, _day_or_404(week, day)))


@planner_required
@require_http_methods(["GET", "POST"])
def day_theme_edit(request, year: int, day: str):
    week = _week_or_404(year)
    date = _day_or_404(week, day)
    current = selectors.day_theme_on(week, date)
    initial = {"title": current.title, "description": current.description} if current else {}
    form = DayThemeForm(
        request.POST if request.method == "POST" else None, initial=initial, auto_id=f"theme-{date}-%s"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.day_theme_set(by=request.user, week=week, date=date, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            if request.htmx:
                return _vary(_day_response(request, week, date))
            messages.success(request, f"The theme of {date:%A} is saved.")
            return redirect("events:week_plan", year=week.year)
    context = {"week": week, "date": date, "form": form, "library": selectors.plan_for(week=week)["library"]}
    template = "events/day_theme_form.html#form" if request.htmx else "events/day_theme_form.html"
    return _vary(render(request, template, context))


def _activity_form_response(request, *, week, form, activity=None, date=None):
    context = {"week": week, "form": form, "activity": activity, "date": date}
    template = "events/activity_form.html#form" if request.htmx else "events/activity_form.html"
    return _vary(render(request, template, context))


def _origin_day(request, week: Week) -> datetime.date | None:
    """The day of the board an inline form was opened from (its section is what htmx replaces)."""
    raw = request.POST.get("origin") if request.method == "POST" else request.GET.get("day")
    try:
        date = datetime.date.fromisoformat(raw or "")
    except ValueError:
        return None
    return date if date in week.days else None


def _saved_response(request, week: Week, origin, activity: Activity):
    local = activity.starts_at.astimezone(zoneinfo.ZoneInfo(week.time_zone)).date()
    if request.htmx:
        if origin != local:
            # The activity moved to another day: two sections change, so reload the board.
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            messages.success(request, f"“{activity.title}” is saved.")
            return response
        return _vary(_day_response(request, week, local))
    messages.success(request, f"“{activity.title}” is saved.")
    return redirect("events:week_plan", year=week.year)


@planner_required
@require_http_methods(["GET", "POST"])
def activity_create(request, year: int):
    week = _week_or_404(year)
    origin = _origin_day(request, week)
    initial = {"day": origin, "host": request.user.pk, "signup_required": True}
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        week=week,
        initial=initial,
        # Several inline forms may be open on the board at once: their ids must differ.
        auto_id=f"new-{origin or 'week'}-%s",
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(by=request.user, week=week, **form.service_kwargs())
        except ValidationError as error:
            form_add_service_errors(form, error, mapping=ACTIVITY_ERROR_FIELDS)
        else:
            return _saved_response(request, week, origin, activity)
    return _activity_form_response(request, week=week, form=form, date=origin)


@planner_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = _planned_activity_or_404(pk)
    week = activity.week
    zone = zoneinfo.ZoneInfo(week.time_zone)
    origin = _origin_day(request, week) or activity.starts_at.astimezone(zone).date()
    confirmed = selectors.confirmed_count(activity)
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        week=week,
        activity=activity,
        confirmed=confirmed,
        auto_id=f"activity-{activity.pk}-%s",
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_update(by=request.user, activity=activity, **form.service_kwargs())
        except ValidationError as error:
            form_add_service_errors(form, error, mapping=ACTIVITY_ERROR_FIELDS)
        else:
            return _saved_response(request, week, origin, activity)
    return _activity_form_response(request, week=week, form=form, activity=activity, date=origin)


def _confirm_or_act(request, pk: int, *, action: str):
    activity = _planned_activity_or_404(pk)
    week = activity.week
    local = activity.starts_at.astimezone(zoneinfo.ZoneInfo(week.time_zone)).date()
    date = min(week.ends_on, max(week.starts_on, local))
    preview = services.activity_cancel_preview(activity=activity) if action == "cancel" else None
    error = ""
    if request.method == "POST":
        try:
            if action == "cancel":
                services.activity_cancel(by=request.user, activity=activity)
                done = f"“{activity.title}” is cancelled; {preview.recipient_count} people are told by email."
            else:
                services.activity_delete(by=request.user, activity=activity)
                done = f"“{activity.title}” is deleted."
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if request.htmx:
                return _vary(_day_response(request, week, date))
            messages.success(request, done)
            return redirect("events:week_plan", year=week.year)
    context = {
        "activity": activity,
        "week": week,
        "action": action,
        "preview": preview,
        "error": error,
        "date": date,
    }
    template = "events/activity_confirm.html#confirm" if request.htmx else "events/activity_confirm.html"
    return _vary(render(request, template, context, status=400 if error else 200))


@planner_required
@require_http_methods(["GET", "POST"])
def activity_cancel(request, pk: int):
    return _confirm_or_act(request, pk, action="cancel")


@planner_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, pk: int):
    return _confirm_or_act(request, pk, action="delete")


# --- Agents and managers: the schedule ------------------------------------------------------------


def _schedule_context(request, week: Week, *, kind: str, mine: bool, activity_format: str = "") -> dict:
    return {
        "week": week,
        "kinds": Activity.Kind.choices,
        "kind": kind,
        "formats": Activity.Format.choices,
        "format": activity_format,
        "mine": mine,
        "now": timezone.now(),
        "today": timezone.localdate(),
        "tz_name": timezone.get_current_timezone_name(),
        "weeks": selectors.published_weeks_visible_to(request.user),
        "can_plan": permissions.can_plan(request.user),
        **selectors.schedule_for(
            viewer=request.user, week=week, kind=kind, mine=mine, activity_format=activity_format
        ),
    }


@login_required
@require_GET
@cached_page(versions.WEEK_DATA, versions.SIGNUPS, versions.PAGE_DATA)
def schedule(request, year: int | None = None):
    if year is None:
        week = selectors.schedule_week_for(request.user)
        if week is None:
            return render(request, "events/schedule_empty.html")
    else:
        week = selectors.week_for_viewer(viewer=request.user, year=year)
        if week is None:
            raise Http404("No week for that year.")
    kind = request.GET.get("kind", "")
    mine = request.GET.get("mine") == "1"
    activity_format = request.GET.get("format", "")
    context = _schedule_context(request, week, kind=kind, mine=mine, activity_format=activity_format)
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "events/schedule.html#body" if fragment else "events/schedule.html"
    return _vary(render(request, template, context))


def _activity_for_viewer_or_404(request, pk: int) -> Activity:
    activity = selectors.activity_for_viewer(viewer=request.user, pk=pk)
    if activity is None:
        raise Http404("No such activity.")
    return activity


def _after_signup(request, activity: Activity):
    if request.htmx:
        kind = request.POST.get("kind", "")
        mine = request.POST.get("mine") == "1"
        activity_format = request.POST.get("format", "")
        context = _schedule_context(
            request, activity.week, kind=kind, mine=mine, activity_format=activity_format
        )
        return _vary(render(request, "events/schedule.html#body", context))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("events:schedule_year", args=[activity.week.year])
    return redirect(target)


@login_required
@require_POST
def activity_signup(request, pk: int):
    activity = _activity_for_viewer_or_404(request, pk)
    try:
        registration = services.registration_create(user=request.user, activity=activity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, f"You are signed up for “{activity.title}”.")
        else:
            reason = registration.get_waitlist_reason_display()
            messages.warning(request, f"You are on the waitlist for “{activity.title}” ({reason}).")
    return _after_signup(request, activity)


@login_required
@require_POST
def activity_withdraw(request, pk: int):
    activity = _activity_for_viewer_or_404(request, pk)
    registration = selectors.my_registration(viewer=request.user, activity=activity)
    if registration is None:
        raise Http404("You are not signed up for this activity.")
    services.registration_cancel(by=request.user, registration=registration)
    messages.success(request, f"Your place in “{activity.title}” is cancelled.")
    return _after_signup(request, activity)


@login_required
@require_GET
@cached_page(versions.WEEK_DATA, versions.SIGNUPS, versions.PAGE_DATA)
def activity_detail(request, pk: int):
    activity = _activity_for_viewer_or_404(request, pk)
    local_day = activity.starts_at.astimezone(zoneinfo.ZoneInfo(activity.week.time_zone)).date()
    registration = selectors.my_registration(viewer=request.user, activity=activity)
    can_see_registrants = permissions.can_see_registrants(request.user, activity)
    context = {
        "activity": activity,
        "theme": selectors.day_theme_on(activity.week, local_day),
        "registration": registration,
        "position": selectors.waitlist_position(registration) if registration else None,
        "can_attend": permissions.can_attend(request.user, activity),
        "can_see_registrants": can_see_registrants,
        "can_mark": permissions.can_mark_attendance(request.user, activity),
        "checkin_code": selectors.checkin_code(activity)
        if activity.is_onsite and permissions.can_mark_attendance(request.user, activity)
        else "",
        "can_plan": permissions.can_plan(request.user),
        "registrants_page": selectors.registrants_page(activity, request.GET.get("page"))
        if can_see_registrants
        else None,
        "registrant_counts": selectors.registrant_status_counts(activity) if can_see_registrants else None,
        "show_join_link": _shows_join_link(request.user, activity, registration),
        "tz_name": timezone.get_current_timezone_name(),
    }
    return render(request, "events/activity_detail.html", context)


def _shows_join_link(user: User, activity: Activity, registration: Registration | None) -> bool:
    """The join link is for those taking part: registered, or everyone when no sign-up is needed."""
    if not activity.is_online or not activity.join_url:
        return False
    if permissions.can_see_registrants(user, activity) or not activity.signup_required:
        return True
    return registration is not None and registration.status == Registration.Status.CONFIRMED


@login_required
@require_GET
def activity_registrants_csv(request, pk: int):
    activity = _activity_for_viewer_or_404(request, pk)
    if not permissions.can_see_registrants(request.user, activity):
        raise PermissionDenied("Only coordinators and the host can see who signed up.")
    tz_name = timezone.get_current_timezone_name()
    header = ["name", "email", "team", "status", "waitlist reason", f"signed up at ({tz_name})"]
    rows = [
        (
            registration.user.name,
            registration.user.email,
            registration.user.team.name if registration.user.team else "",
            registration.status,
            registration.get_waitlist_reason_display() if registration.waitlist_reason else "",
            timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
        )
        for registration in selectors.registrants_of(activity)
    ]
    audit_record(
        actor=request.user, action="export.registrants_csv", obj=activity, detail={"rows": len(rows)}
    )
    return csv_response(f"activity-{activity.pk}-registrants.csv", header, rows)


# --- Calendars ----------------------------------------------------------------------------------


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def activity_ics(request, pk: int):
    activity = _activity_for_viewer_or_404(request, pk)
    registration = selectors.my_registration(viewer=request.user, activity=activity)
    show = _shows_join_link(request.user, activity, registration)
    body = calendars.calendar_bytes(
        [activity],
        themes=selectors.day_themes_by_week_date([activity]),
        name=activity.title,
        show_join_link=lambda _activity: show,
    )
    return _ics_response(body, f"activity-{activity.pk}.ics")


def _feed_bytes(user) -> bytes:
    activities = list(selectors.feed_activities_for(user))
    return calendars.calendar_bytes(
        activities,
        themes=selectors.day_themes_by_week_date(activities),
        name="Customer Service Week",
    )


@require_GET
def calendar_feed(request, token: str):
    """The private feed: no login, the unguessable token is the key (regenerating revokes it)."""
    user = people_selectors.calendar_owner(token)
    if user is None:
        raise Http404("No such calendar.")
    # Calendar apps poll the feed: it is built once per version of the week data it reads.
    body = versions.cached(
        f"events:calendar-feed:{user.pk}:{token}",
        (versions.WEEK_DATA, versions.SIGNUPS),
        lambda: _feed_bytes(user),
    )
    response = _ics_response(body, "csweek.ics")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def calendar_token_regenerate(request):
    services.calendar_token_regenerate(user=request.user)
    messages.success(request, "Your calendar address is new; the old one no longer works.")
    return redirect("people:profile")


@login_required
@require_POST
def registration_attendance(request, pk: int):
    """Tick or untick one line of the register; htmx gets the row back."""
    registration = selectors.registration_for_register(viewer=request.user, pk=pk)
    if registration is None:
        raise Http404("No such sign-up.")
    attended = request.POST.get("attended") == "1"
    try:
        registration = services.registration_mark_attendance(
            registration=registration, by=request.user, attended=attended
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        context = {"registrant": registration, "activity": registration.activity, "can_mark": True}
        return _vary(render(request, "events/activity_detail.html#registrant-row", context))
    return redirect("events:activity_detail", pk=registration.activity_id)


@login_required
@require_POST
def activity_attendance_all(request, pk: int):
    activity = _activity_for_viewer_or_404(request, pk)
    count = services.activity_mark_all_attended(activity=activity, by=request.user)
    messages.success(
        request, f"{count} people marked as attended." if count != 1 else "1 person marked as attended."
    )
    return redirect("events:activity_detail", pk=activity.pk)


@login_required
@require_http_methods(["GET", "POST"])
def activity_check_in(request, pk: int):
    """On-site check-in: the code (typed, or filled in by the QR code's link), then a tick."""
    activity = _activity_for_viewer_or_404(request, pk)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                services.registration_check_in(
                    user=request.user, activity=activity, code=form.cleaned_data["code"]
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, f"You are checked in to “{activity.title}”. Enjoy it!")
                return redirect("events:activity_detail", pk=activity.pk)
        status = 400
    else:
        form = CheckInForm(initial={"code": request.GET.get("code", "")[:12]})
        status = 200
    return render(
        request, "events/activity_check_in.html", {"activity": activity, "form": form}, status=status
    )


@login_required
@require_GET
def activity_check_in_qr(request, pk: int):
    """The QR code hosts show on site: it opens the check-in page with the code filled in."""
    activity = _activity_for_viewer_or_404(request, pk)
    if not permissions.can_mark_attendance(request.user, activity):
        raise PermissionDenied("Only the host or a coordinator can show the check-in code.")
    path = reverse("events:activity_check_in", args=[activity.pk])
    url = f"{settings.SITE_URL.rstrip('/')}{path}?code={selectors.checkin_code(activity)}"
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    response = HttpResponse(image.to_string(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def activity_join(request, pk: int):
    """csweek's join link: records attendance when opened during the activity, then goes on to the
    meeting. Only for those who may see the link."""
    activity = _activity_for_viewer_or_404(request, pk)
    registration = selectors.my_registration(viewer=request.user, activity=activity)
    if not _shows_join_link(request.user, activity, registration):
        raise PermissionDenied("The join link is for people with a confirmed place.")
    services.registration_join(user=request.user, activity=activity)
    return redirect(activity.join_url)
