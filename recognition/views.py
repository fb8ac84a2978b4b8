"""Views for nominating, reviewing and the recognition wall: parse, call one service or selector, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_record
from csweek.core import versions
from csweek.core.csv import csv_response
from csweek.core.media import media_response
from csweek.core.pagecache import cached_page
from csweek.core.views import allowed_only, form_add_service_errors
from people.models import User
from recognition import permissions, selectors, services
from recognition.certificates import PAPER_LABELS, PAPERS, certificate_for, certificate_pdf
from recognition.forms import (
    ApproveForm,
    AwardPhotoForm,
    BulkApproveForm,
    CategoryForm,
    CategoryMoveForm,
    DeclineForm,
    NominationForm,
)
from recognition.models import Nomination, Reaction

PAGE_SIZE = 20


def _int_or_none(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


# --- Nominating -------------------------------------------------------------------------------


def _person(pk: int | None) -> User | None:
    return selectors.active_person(pk) if pk else None


@login_required
@require_http_methods(["GET", "POST"])
def nomination_new(request):
    """Pick a colleague, a category open now, tell the story; preview; send."""
    categories = selectors.categories_open()
    action = request.POST.get("action", "preview") if request.method == "POST" else ""
    if action in ("search", "edit") or request.method == "GET":
        # Searching again or going back from the preview shows the form as typed, without errors yet.
        initial = request.POST.dict() if request.method == "POST" else {}
        form = NominationForm(initial=initial, categories=categories)
        nominee_id = _int_or_none(initial.get("nominee"))
    else:
        form = NominationForm(request.POST, categories=categories)
        nominee_id = _int_or_none(request.POST.get("nominee"))
    person_query = (request.POST.get("person_q") or request.GET.get("person_q", "")).strip()
    if action in ("preview", "send") and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "send":
                nomination = services.nomination_create(nominator=request.user, **data)
            else:
                services.nomination_check(
                    nominator=request.user,
                    nominee=data["nominee"],
                    category=data["category"],
                    story=data["story"],
                )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            if action == "send":
                messages.success(
                    request,
                    f"Your nomination of {nomination.nominee.name} for {nomination.category.name} is sent; "
                    "their manager will review it.",
                )
                return redirect("recognition:mine")
            return render(request, "recognition/nomination_preview.html", {"form": form, "data": data})
    selected = _person(nominee_id)
    results = selectors.people_search(viewer=request.user, query=person_query) if person_query else []
    context = {
        "form": form,
        "categories": categories,
        "selected": selected,
        "person_query": person_query,
        "results": [person for person in results if selected is None or person.pk != selected.pk],
        "searched": bool(person_query),
    }
    return render(request, "recognition/nomination_form.html", context)


@login_required
@require_GET
def people_search(request):
    """The htmx fragment of colleagues matching the name typed."""
    query = request.GET.get("person_q", "").strip()
    # The person already ticked stays ticked while the search changes around them.
    selected = _person(_int_or_none(request.GET.get("nominee")))
    results = selectors.people_search(viewer=request.user, query=query)
    response = render(
        request,
        "recognition/_people_results.html",
        {
            "selected": selected,
            "results": [person for person in results if selected is None or person.pk != selected.pk],
            "searched": bool(query),
            "person_query": query,
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
@cached_page(versions.WEEK_DATA, versions.PAGE_DATA)
def nominations_mine(request):
    user = request.user
    sent = Paginator(selectors.nominations_sent_by(user), PAGE_SIZE).get_page(request.GET.get("page"))
    received = Paginator(selectors.awards_received_by(user), PAGE_SIZE).get_page(
        request.GET.get("received_page")
    )
    received.object_list = selectors.award_links(viewer=user, awards=list(received.object_list))
    context = {
        "sent": sent,
        "received": received,
        "pending_about_me": selectors.nominations_pending_about_count(user),
    }
    return render(request, "recognition/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_withdraw(request, pk: int):
    """Ask first (GET), then withdraw (POST): only the nominator, only while it waits for review."""
    nomination = selectors.nomination_of_nominator(user=request.user, pk=pk)
    if nomination is None:
        raise Http404("No such nomination of yours.")
    if request.method == "POST":
        try:
            services.nomination_withdraw(nomination=nomination, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Your nomination of {nomination.nominee.name} is withdrawn.")
        return redirect("recognition:mine")
    return render(request, "recognition/withdraw_confirm.html", {"nomination": nomination})


# --- Review -----------------------------------------------------------------------------------


reviewer_required = allowed_only(
    permissions.can_open_review, "Only managers and coordinators review nominations."
)


@reviewer_required
@require_GET
@cached_page(versions.WEEK_DATA, versions.PAGE_DATA)
def review(request):
    status = request.GET.get("status") or Nomination.Status.SUBMITTED
    queue = selectors.review_queue(
        user=request.user,
        status=status,
        category_name=request.GET.get("category", ""),
        team_id=_int_or_none(request.GET.get("team")),
    )
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    nominations = list(page.object_list)
    notes = selectors.review_notes(nominations)
    for nomination in nominations:
        nomination.note = notes[nomination.pk]
    context = {
        "page": page,
        "nominations": nominations,
        "filters": request.GET,
        "status": status,
        "statuses": Nomination.Status.choices,
        "category_names": selectors.category_names(),
        "teams": selectors.review_teams(request.user),
        "bulk_form": BulkApproveForm(),
        "can_manage_photos": permissions.can_manage_award_photos(request.user),
    }
    return render(request, "recognition/review.html", context)


def _reviewable_or_404(request, pk: int) -> Nomination:
    nomination = selectors.nomination_for_reviewer(user=request.user, pk=pk)
    if nomination is None:
        raise Http404("No such nomination among the people you review.")
    return nomination


def _decide_page(request, *, verb: str, nomination: Nomination, form):
    """The nomination with its comment form: the decline form, or a refused decision kept as typed."""
    return render(
        request,
        "recognition/decide.html",
        {
            "verb": verb,
            "nomination": nomination,
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@reviewer_required
@require_POST
def nomination_approve(request, pk: int):
    nomination = _reviewable_or_404(request, pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.nomination_approve(
                nomination=nomination, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            held_back = ""
            if nomination.announced_at is None:
                moment = timezone.localtime(nomination.category.announce_at)
                held_back = (
                    f" It stays between its reviewers and the coordinators until its announcement on "
                    f"{date_format(moment, 'j F Y, H:i')} ({request.user.time_zone})."
                )
            approved = f"{nomination.nominee.name}'s nomination for {nomination.category.name} is approved."
            messages.success(request, approved + held_back)
            return redirect(_safe_next(request, reverse("recognition:review")))
    # Refused (say, the category's award limit is reached): the reviewer's comment is kept.
    return _decide_page(request, verb="approve", nomination=nomination, form=form)


@reviewer_required
@require_http_methods(["GET", "POST"])
def nomination_decline(request, pk: int):
    nomination = _reviewable_or_404(request, pk)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_decline(
                nomination=nomination, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"The nomination of {nomination.nominee.name} is declined.")
            return redirect(_safe_next(request, reverse("recognition:review")))
    return _decide_page(request, verb="decline", nomination=nomination, form=form)


@reviewer_required
@require_POST
def nominations_bulk_approve(request):
    ids = [_int_or_none(value) for value in request.POST.getlist("ids")]
    if not ids:
        messages.error(request, "Tick at least one nomination to approve.")
        return redirect(_safe_next(request, reverse("recognition:review")))
    if None in ids:
        raise Http404("No such nomination.")
    nominations = selectors.reviewable_among(viewer=request.user, ids=ids)
    if len(nominations) != len(set(ids)):
        # One guessed or foreign id and nothing is done: another team's nomination is a 404.
        raise Http404("No such nomination among the people you review.")
    form = BulkApproveForm(request.POST)
    form.is_valid()
    result = services.nominations_bulk_approve(
        nominations=nominations, by=request.user, comment=form.cleaned_data["comment"]
    )
    if result.approved:
        messages.success(
            request,
            f"{len(result.approved)} nomination{'' if len(result.approved) == 1 else 's'} approved.",
        )
    for nomination, reason in result.refused:
        messages.error(request, f"{nomination.nominee.name} ({nomination.category.name}): {reason}")
    return redirect(_safe_next(request, reverse("recognition:review")))


# --- The wall ---------------------------------------------------------------------------------


def _wall_week(request):
    year = _int_or_none(request.GET.get("week") or request.POST.get("week"))
    if year is not None:
        week = selectors.wall_week_of_year(year)
        if week is None:
            raise Http404("No published week for that year.")
        return week
    return selectors.wall_week_current()


@login_required
@require_GET
@cached_page(versions.WEEK_DATA, versions.REACTIONS, versions.PAGE_DATA)
def wall(request):
    week = _wall_week(request)
    category_name = request.GET.get("category", "")
    team_id = _int_or_none(request.GET.get("team"))
    page = selectors.wall_page(
        viewer=request.user,
        week=week,
        number=request.GET.get("page"),
        category_name=category_name,
        team_id=team_id,
    )
    selectors.award_links(viewer=request.user, awards=page.object_list)
    context = {
        "week": week,
        "weeks": selectors.wall_weeks(),
        "page": page,
        "can_manage_photos": permissions.can_manage_award_photos(request.user),
        "filters": request.GET,
        "category_names": selectors.week_category_names(week) if week else [],
        "teams": selectors.teams_all(),
        "reaction_kinds": Reaction.Kind.choices,
        "can_export": permissions.can_export_awards(request.user),
        "can_announce": permissions.can_announce_awards(request.user),
    }
    return render(request, "recognition/wall.html", context)


@login_required
@require_POST
def reaction_toggle(request, pk: int):
    award = selectors.award_for_wall(viewer=request.user, pk=pk)
    if award is None:
        raise Http404("No such award.")
    try:
        services.reaction_toggle(nomination=award, user=request.user, kind=request.POST.get("kind", ""))
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain; charset=utf-8")
    if not request.htmx:
        return redirect(_safe_next(request, reverse("recognition:wall") + f"?week={award.week.year}"))
    award = selectors.award_for_wall(viewer=request.user, pk=pk)
    response = render(
        request, "recognition/_reactions.html", {"award": award, "reaction_kinds": Reaction.Kind.choices}
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@allowed_only(permissions.can_export_awards, "Only coordinators export the awards.")
@require_GET
def wall_export(request):
    week = _wall_week(request)
    if week is None:
        raise Http404("No published week.")
    awards = selectors.awards_for_export(week=week, viewer=request.user)
    header = [
        "category",
        "nominee",
        "nominee_email",
        "team",
        "nominator",
        "story",
        "customer_said",
        "reference",
        "approved_at_utc",
        "announced_at_utc",
    ]
    rows = [
        (
            award.category.name,
            award.nominee.name,
            award.nominee.email,
            award.nominee.team.name if award.nominee.team else "",
            "(anonymous)" if award.anonymous else award.nominator.name,
            award.story,
            award.evidence_quote,
            award.evidence_reference,
            award.reviewed_at.isoformat() if award.reviewed_at else "",
            award.announced_at.isoformat() if award.announced_at else "",
        )
        for award in awards
    ]
    audit_record(actor=request.user, action="export.wall_csv", obj=week, detail={"rows": len(rows)})
    return csv_response(f"csweek-{week.year}-awards.csv", header, rows)


@allowed_only(permissions.can_announce_awards, "Only coordinators announce the awards.")
@require_http_methods(["GET", "POST"])
def wall_announce(request):
    """Announce every award of the week held back so far: ask first (GET), then announce (POST)."""
    week = _wall_week(request)
    if week is None:
        raise Http404("No published week.")
    wall_url = reverse("recognition:wall") + f"?week={week.year}"
    if request.method == "POST":
        _announce(request, week=week, category=None)
        return redirect(wall_url)
    return _announce_page(request, week=week, category=None, back_url=wall_url)


# --- Categories, windows and the announcement (coordinators) ----------------------------------

category_manager_required = allowed_only(
    permissions.can_manage_categories, "Only coordinators manage the award categories."
)


def _week_or_404(year: int):
    week = selectors.week_of_year(year)
    if week is None:
        raise Http404("No week for that year.")
    return week


def _category_or_404(week, pk: int):
    category = selectors.category_of_week(week=week, pk=pk)
    if category is None:
        raise Http404("No such category in this week.")
    return category


def _categories_context(request, week) -> dict:
    page = Paginator(selectors.categories_of_week(week), selectors.CATEGORIES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return {
        "week": week,
        "page": page,
        "categories": list(page.object_list),
        "library": selectors.library_unused(week=week, library=services.CATEGORY_LIBRARY),
        "source_week": services.categories_source_week(week=week),
        "now": timezone.now(),
    }


@category_manager_required
@require_GET
def categories_current(request):
    """The navigation's entry: the categories of the coming (or current) week."""
    week = selectors.week_for_categories()
    if week is None:
        messages.info(request, "Create a week first; its award categories are planned on its own page.")
        return redirect("events:week_list")
    return redirect("recognition:categories", year=week.year)


@category_manager_required
@require_GET
def categories(request, year: int):
    week = _week_or_404(year)
    return render(request, "recognition/categories.html", _categories_context(request, week))


@category_manager_required
@require_http_methods(["GET", "POST"])
def category_new(request, year: int):
    """A new category: blank with the week's default moments, or picked from the library (?library=)."""
    week = _week_or_404(year)
    moments = services.category_default_moments(week=week)
    initial = {
        "opens_at": moments.opens_at,
        "closes_at": moments.closes_at,
        "announce_at": moments.announce_at,
        "eligible": "everyone",
    }
    picked = services.category_library_entry(request.GET.get("library", ""))
    if picked:
        initial.update(picked)
    form = CategoryForm(request.POST if request.method == "POST" else None, week=week, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_create(week=week, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{category.name} is added to {week.year}.")
            return redirect("recognition:categories", year=week.year)
    return render(request, "recognition/category_form.html", {"week": week, "form": form, "category": None})


@category_manager_required
@require_http_methods(["GET", "POST"])
def category_edit(request, year: int, pk: int):
    week = _week_or_404(year)
    category = _category_or_404(week, pk)
    form = CategoryForm(request.POST if request.method == "POST" else None, week=week, category=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_update(category=category, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{category.name} is saved.")
            return redirect("recognition:categories", year=week.year)
    return render(
        request, "recognition/category_form.html", {"week": week, "form": form, "category": category}
    )


@category_manager_required
@require_POST
def category_move(request, year: int, pk: int):
    """Up or down one place; htmx swaps the table, without JS the page reloads."""
    week = _week_or_404(year)
    category = _category_or_404(week, pk)
    form = CategoryMoveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            "Move a category up or down.", status=400, content_type="text/plain; charset=utf-8"
        )
    services.category_move(category=category, by=request.user, direction=form.cleaned_data["direction"])
    if not request.htmx:
        return redirect("recognition:categories", year=week.year)
    response = render(
        request, "recognition/categories.html#category-table", _categories_context(request, week)
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@category_manager_required
@require_http_methods(["GET", "POST"])
def category_retire(request, year: int, pk: int):
    """Ask first (GET), then retire (POST): no new nominations; awards and waiting nominations stay."""
    week = _week_or_404(year)
    category = _category_or_404(week, pk)
    if request.method == "POST":
        try:
            services.category_retire(category=category, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{category.name} is retired: it takes no new nominations.")
        return redirect("recognition:categories", year=week.year)
    counts = selectors.categories_of_week(week).get(pk=category.pk)
    return render(request, "recognition/category_retire.html", {"week": week, "category": counts})


@category_manager_required
@require_POST
def category_restore(request, year: int, pk: int):
    """Undo a retirement (nothing is emailed, so no question first)."""
    week = _week_or_404(year)
    category = _category_or_404(week, pk)
    try:
        services.category_restore(category=category, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{category.name} takes nominations again.")
    return redirect("recognition:categories", year=week.year)


@category_manager_required
@require_http_methods(["GET", "POST"])
def categories_copy(request, year: int):
    """Ask first (GET, listing what would be copied), then copy last year's categories (POST)."""
    week = _week_or_404(year)
    source = services.categories_source_week(week=week)
    if request.method == "POST":
        try:
            copies = services.categories_copy_last_year(week=week, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if copies:
                messages.success(
                    request,
                    f"{len(copies)} categor{'y' if len(copies) == 1 else 'ies'} copied, "
                    f"dates moved to {week.year}.",
                )
            else:
                messages.info(request, f"{week.year} already has every category of last year.")
        return redirect("recognition:categories", year=week.year)
    missing = []
    if source is not None:
        names = {name.lower() for name in selectors.week_category_names(week)}
        missing = [
            c
            for c in selectors.categories_of_week(source).filter(retired_at__isnull=True)
            if c.name.lower() not in names
        ]
    return render(
        request, "recognition/categories_copy.html", {"week": week, "source": source, "missing": missing}
    )


def _announce_page(request, *, week, category, back_url: str):
    waiting = selectors.awards_waiting(week=week, category=category)
    count = waiting.count()
    recipients = selectors.announcement_recipients_count(week=week, category=category) if count else 0
    awards = list(waiting[:PAGE_SIZE])
    preview = ""
    if awards and week.is_published:
        # The email everyone who keeps nomination news on receives (the first awards of it).
        preview = render_to_string(
            "emails/award_announcement/body.txt",
            {
                "week": week,
                "awards": awards,
                "person": request.user,
                "site_url": settings.SITE_URL,
                "wall_path": reverse("recognition:wall") + f"?week={week.year}",
            },
        )
    context = {
        "week": week,
        "category": category,
        "waiting": count,
        "awards": awards,
        "recipients": recipients,
        "back_url": back_url,
        "preview": preview,
        "subject": f"The awards of Customer Service Week {week.year}",
    }
    return render(request, "recognition/announce_confirm.html", context)


def _announce(request, *, week, category) -> None:
    try:
        count = services.awards_announce_now(week=week, by=request.user, category=category)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{count} {'award' if count == 1 else 'awards'} announced.")


@category_manager_required
@require_http_methods(["GET", "POST"])
def category_announce(request, year: int, pk: int):
    """Announce now (per category): ask first, saying how many people it emails; then announce."""
    week = _week_or_404(year)
    category = _category_or_404(week, pk)
    back_url = reverse("recognition:categories", args=[week.year])
    if request.method == "POST":
        _announce(request, week=week, category=category)
        return redirect(back_url)
    return _announce_page(request, week=week, category=category, back_url=back_url)


# --- Certificates and photos ------------------------------------------------------------------


def _paper(request) -> str:
    paper = request.GET.get("paper", "a4")
    return paper if paper in PAPERS else "a4"


@login_required
@require_GET
def certificate(request, pk: int):
    """The print-ready certificate (A4 or Letter, landscape): the nominee, their managers and the
    coordinators; anyone else, or the nominee before the announcement, gets a 404."""
    award = selectors.award_for_certificate(viewer=request.user, pk=pk)
    if award is None:
        raise Http404("No such certificate.")
    context = {"certificate": certificate_for(award), "paper": _paper(request), "papers": PAPER_LABELS}
    return render(request, "recognition/certificate.html", context)


@login_required
@require_GET
def certificate_download(request, pk: int):
    award = selectors.award_for_certificate(viewer=request.user, pk=pk)
    if award is None:
        raise Http404("No such certificate.")
    paper = _paper(request)
    response = HttpResponse(
        certificate_pdf(certificate_for(award), paper=paper), content_type="application/pdf"
    )
    filename = f"certificate-{award.week.year}-{award.pk}-{paper}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def award_photo(request, pk: int, token: str):
    """An award's photo, to whoever may see the award (before its announcement: reviewers and
    coordinators only)."""
    award = selectors.award_for_photo(viewer=request.user, pk=pk)
    if award is None or not award.photo or award.photo != f"awards/{token}.jpg":
        raise Http404("No such photo.")
    return media_response(award.photo)


photo_manager_required = allowed_only(
    permissions.can_manage_award_photos, "Only coordinators add photos to awards."
)


@photo_manager_required
@require_http_methods(["GET", "POST"])
def award_photo_edit(request, pk: int):
    award = selectors.award_for_photo_edit(viewer=request.user, pk=pk)
    if award is None:
        raise Http404("No such award.")
    form = AwardPhotoForm(request.POST, request.FILES) if request.method == "POST" else AwardPhotoForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.award_photo_set(award=award, by=request.user, photo=form.cleaned_data["photo"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"The photo of {award.nominee.name}'s award is saved.")
            return redirect("recognition:award_photo_edit", pk=award.pk)
    return render(request, "recognition/award_photo.html", {"award": award, "form": form})


@photo_manager_required
@require_POST
def award_photo_remove(request, pk: int):
    award = selectors.award_for_photo_edit(viewer=request.user, pk=pk)
    if award is None:
        raise Http404("No such award.")
    services.award_photo_remove(award=award, by=request.user)
    messages.success(request, f"The photo of {award.nominee.name}'s award is removed.")
    return redirect("recognition:award_photo_edit", pk=award.pk)
