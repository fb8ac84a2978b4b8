"""Views for profiles, people, teams, invitations and the staff import: parse, call, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csweek.core import versions
from csweek.core.media import media_response
from csweek.core.pagecache import cached_page
from csweek.core.views import allowed_only, form_add_service_errors
from people import permissions, selectors, services
from people.forms import (
    InvitationAcceptForm,
    InviteForm,
    PersonForm,
    ProfileForm,
    StaffImportConfirmForm,
    StaffImportUploadForm,
    TeamForm,
)
from people.models import Role, Team
from people.staff_import import staff_import_apply, staff_import_parse

PAGE_SIZE = 50
IMPORT_PREVIEW_PAGE_SIZE = 100


coordinator_required = allowed_only(
    permissions.can_manage_people, "Only coordinators can manage people and teams."
)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                user=request.user,
                **form.profile_data(),
                email_choices=form.email_choices(),
                **form.photo_data(),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("people:profile")
    return render(request, "people/profile.html", {"form": form})


@login_required
@require_GET
def photo(request, pk: int, token: str):
    """A profile photo, for any signed-in person (it shows beside the name on the shared pages)."""
    name = selectors.photo_of(pk=pk)
    if not name or name != f"avatars/{token}.jpg":
        raise Http404("No such photo.")
    return media_response(name)


@allowed_only(permissions.can_view_people, "Only coordinators and managers can see the people list.")
@cached_page(versions.WEEK_DATA, versions.PAGE_DATA, versions.DELIVERIES)
def person_list(request):
    team_id = request.GET.get("team") or None
    people = selectors.people_search(
        viewer=request.user,
        query=request.GET.get("q", "").strip(),
        team_id=int(team_id) if team_id and team_id.isdigit() else None,
        role=request.GET.get("role", ""),
        status=request.GET.get("status", ""),
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "teams": selectors.teams_visible_to(request.user),
        "roles": Role.values,
        "filters": request.GET,
        "can_manage": permissions.can_manage_people(request.user),
    }
    # Going back to a page htmx no longer has in its history cache asks for the whole page.
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "people/person_list.html#results" if fragment else "people/person_list.html"
    response = render(request, template, context)
    # One URL, two bodies: caches must tell the fragment from the page.
    patch_vary_headers(response, ["HX-Request"])
    return response


@coordinator_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = selectors.person_for_viewer(viewer=request.user, pk=pk)
    if person is None:
        raise Http404("No such person.")
    if not permissions.can_edit_person(request.user, person):
        raise PermissionDenied("Only a site administrator can change a site administrator.")
    saved_name = person.name  # the heading shows the saved name, not what the form is trying
    form = PersonForm(request.POST if request.method == "POST" else None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{person.name} is saved.")
            return redirect("people:person_list")
    return render(
        request, "people/person_form.html", {"form": form, "person": person, "person_name": saved_name}
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def person_invite(request):
    form = InviteForm(
        request.POST if request.method == "POST" else None, initial={"time_zone": settings.TIME_ZONE}
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.person_invite(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.user.email}.")
            return redirect("people:person_list")
    return render(request, "people/invite.html", {"form": form})


@coordinator_required
@require_POST
def person_resend_invitation(request, pk: int):
    person = selectors.person_for_viewer(viewer=request.user, pk=pk)
    if person is None:
        raise Http404("No such person.")
    try:
        services.invitation_resend(by=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"A new invitation is on its way to {person.email}.")
    return redirect("people:person_edit", pk=person.pk)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404("This invitation link is not valid.")
    if not invitation.is_usable:
        return render(request, "people/invitation_unusable.html", {"invitation": invitation}, status=410)
    form = InvitationAcceptForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(invitation=invitation, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to csweek! Check your profile: time zone and emails.")
            return redirect("people:profile")
    return render(request, "people/invitation_accept.html", {"form": form, "invitation": invitation})


@coordinator_required
def team_list(request):
    return render(request, "people/team_list.html", {"teams": selectors.teams_with_counts()})


@coordinator_required
@require_http_methods(["GET", "POST"])
def team_form(request, pk: int | None = None):
    team = get_object_or_404(Team, pk=pk) if pk else None
    saved_name = team.name if team else ""  # the heading keeps the saved name while the form has errors
    form = TeamForm(request.POST if request.method == "POST" else None, instance=team)
    if request.method == "POST" and form.is_valid():
        data = {"name": form.cleaned_data["name"], "managers": form.cleaned_data["managers"]}
        try:
            if team is None:
                team = services.team_create(by=request.user, **data)
            else:
                services.team_update(by=request.user, team=team, **data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"Team “{team.name}” is saved.")
            return redirect("people:team_list")
    return render(request, "people/team_form.html", {"form": form, "team": team, "team_name": saved_name})


@coordinator_required
@require_http_methods(["GET", "POST"])
def team_delete(request, pk: int):
    team = get_object_or_404(selectors.teams_with_counts(), pk=pk)
    if request.method == "POST":
        name = team.name
        services.team_delete(by=request.user, team=team)
        messages.success(request, f"Team “{name}” is deleted; its members now have no team.")
        return redirect("people:team_list")
    return render(request, "people/team_confirm_delete.html", {"team": team})


@coordinator_required
@require_http_methods(["GET", "POST"])
def staff_import(request):
    """Upload → preview (nothing written) → confirm (atomic write, invitations after commit)."""
    if request.method == "POST" and "confirm" in request.POST:
        confirm = StaffImportConfirmForm(request.POST)
        if not confirm.is_valid():
            messages.error(request, " ".join(confirm.errors.get("content", [])) or "Upload the file again.")
            return redirect("people:staff_import")
        content = confirm.cleaned_data["content"]
        try:
            result = staff_import_apply(by=request.user, content=content)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return render(request, "people/import_preview.html", _preview_context(content, by=request.user))
        messages.success(request, result.summary)
        return redirect("people:person_list")
    if request.method == "POST" and "content" in request.POST:
        # Another page of the preview: the file comes back in the form, as it does to be confirmed.
        pages = StaffImportConfirmForm(request.POST)
        if not pages.is_valid():
            messages.error(request, " ".join(pages.errors.get("content", [])) or "Upload the file again.")
            return redirect("people:staff_import")
        context = _preview_context(pages.cleaned_data["content"], by=request.user, pages=request.POST)
        return render(request, "people/import_preview.html", context)
    form = StaffImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        context = _preview_context(form.cleaned_data["file"], by=request.user)
        if not context["plan"].file_error:
            return render(request, "people/import_preview.html", context)
        form.add_error("file", context["plan"].file_error)
    return render(request, "people/import_upload.html", {"form": form})


def _preview_context(content: str, *, by, pages=None) -> dict:
    """The plan's counts, and one page of its changes and of its errors (a file may hold 25,000 rows)."""
    plan = staff_import_parse(content, by=by)
    pages = pages or {}
    changes = [row for row in plan.rows if row.action != "unchanged"]
    return {
        "plan": plan,
        "confirm_form": StaffImportConfirmForm(content=content),
        "changes_page": Paginator(changes, IMPORT_PREVIEW_PAGE_SIZE).get_page(pages.get("changes_page")),
        "errors_page": Paginator(plan.errors, IMPORT_PREVIEW_PAGE_SIZE).get_page(pages.get("errors_page")),
    }
