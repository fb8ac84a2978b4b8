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
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_record
from csweek.core.csv import csv_response
from csweek.core.media import media_response
from csweek.core.views import allowed_only, form_add_service_errors
from people.models import User
from recognition import permissions, selectors, services
from recognition.certificates import PAPER_LABELS, PAPERS, certificate_for, certificate_pdf
from recognition.forms import ApproveForm, AwardPhotoForm, BulkApproveForm, DeclineForm, NominationForm
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
            messages.success(
                request, f"{nomination.nominee.name}'s nomination for {nomination.category.name} is approved."
            )
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
    awards = selectors.awards_for_export(week=week)
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
    """Ask first (GET), then mark the week's awards announced (POST); coordinators only."""
    week = _wall_week(request)
    if week is None:
        raise Http404("No published week.")
    wall_url = reverse("recognition:wall") + f"?week={week.year}"
    if request.method == "POST":
        try:
            count = services.awards_mark_announced(week=week, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{count} {'award' if count == 1 else 'awards'} marked announced.")
        return redirect(wall_url)
    waiting = selectors.awards_not_announced_count(week=week)
    recipients = selectors.announcement_audience_count(week=week)
    preview = ""
    if waiting and recipients:
        preview = render_to_string(
            "emails/award_announcement/body.txt",
            {
                "week": week,
                "awards": selectors.awards_waiting_announcement(week=week),
                "person": request.user,
                "site_url": settings.SITE_URL,
                "wall_path": wall_url,
            },
        )
    context = {
        "week": week,
        "waiting": waiting,
        "wall_url": wall_url,
        "recipients": recipients,
        "preview": preview,
        "subject": f"The awards of Customer Service Week {week.year}",
    }
    return render(request, "recognition/announce_confirm.html", context)


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
