"""People pages: who may open what, the list with its htmx fragment, editing, inviting, escaping, queries."""

import re
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from people import services
from people.models import Invitation, Role, Team, User
from tests.factories import AgentFactory, CoordinatorFactory, ManagerFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG = '"><img src=x onerror=alert(1)>'
IMG_ESCAPED = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
ROLES = ["coordinator", "manager", "other_manager", "agent", "anonymous"]


@pytest.fixture
def invited(coordinator, team):
    """Someone invited who has not joined yet (no usable password)."""
    return services.person_invite(
        by=coordinator, email="newbie@example.com", first_name="Nina", team=team
    ).user


def login_as(client, request, role: str):
    """Sign `client` in as the fixture named `role` (anonymous stays signed out)."""
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def person_form_data(person: User, **changes) -> dict:
    """What the edit form posts for `person`, with `changes`; an unticked checkbox is not posted."""
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "display_name": person.display_name,
        "team": person.team_id or "",
        "role": person.role,
        "time_zone": person.time_zone,
        "is_active": person.is_active,
    }
    data.update(changes)
    if data.pop("is_active"):
        data["is_active"] = "on"
    return data


def result_emails(response) -> list[str]:
    return [person.email for person in response.context["page"].object_list]


# --- The permission matrix --------------------------------------------------------------------

COORDINATOR_ONLY = {"manager": 403, "other_manager": 403, "agent": 403, "anonymous": 302}


def _matrix():
    """(action id, url name, method, target, data builder, {role: status})."""
    rows = [
        (
            "person_list GET",
            "people:person_list",
            "get",
            None,
            {"coordinator": 200, "manager": 200, "other_manager": 200, "agent": 403, "anonymous": 302},
        ),
        ("person_edit GET", "people:person_edit", "get", "agent", {"coordinator": 200, **COORDINATOR_ONLY}),
        ("person_edit POST", "people:person_edit", "post", "agent", {"coordinator": 302, **COORDINATOR_ONLY}),
        ("person_invite GET", "people:person_invite", "get", None, {"coordinator": 200, **COORDINATOR_ONLY}),
        (
            "person_invite POST",
            "people:person_invite",
            "post",
            None,
            {"coordinator": 302, **COORDINATOR_ONLY},
        ),
        (
            "person_resend_invitation POST",
            "people:person_resend_invitation",
            "post",
            "invited",
            {"coordinator": 302, **COORDINATOR_ONLY},
        ),
        (
            "person_resend_invitation GET",
            "people:person_resend_invitation",
            "get",
            "invited",
            {"coordinator": 405, **COORDINATOR_ONLY},
        ),
        ("team_list GET", "people:team_list", "get", None, {"coordinator": 200, **COORDINATOR_ONLY}),
        ("team_create GET", "people:team_create", "get", None, {"coordinator": 200, **COORDINATOR_ONLY}),
        ("team_create POST", "people:team_create", "post", None, {"coordinator": 302, **COORDINATOR_ONLY}),
        ("team_edit GET", "people:team_edit", "get", "team", {"coordinator": 200, **COORDINATOR_ONLY}),
        ("team_edit POST", "people:team_edit", "post", "team", {"coordinator": 302, **COORDINATOR_ONLY}),
        ("team_delete GET", "people:team_delete", "get", "team", {"coordinator": 200, **COORDINATOR_ONLY}),
        ("team_delete POST", "people:team_delete", "post", "team", {"coordinator": 302, **COORDINATOR_ONLY}),
        ("staff_import GET", "people:staff_import", "get", None, {"coordinator": 200, **COORDINATOR_ONLY}),
    ]
    for action, name, method, target, statuses in rows:
        for role in ROLES:
            yield pytest.param(name, method, target, role, statuses[role], id=f"{action}-{role}")


def _post_data(name: str, request) -> dict:
    if name == "people:person_edit":
        return person_form_data(request.getfixturevalue("agent"), first_name="Changed")
    if name == "people:person_invite":
        return {"email": "fresh@example.com", "role": Role.AGENT, "time_zone": "Europe/Paris"}
    if name in ("people:team_create", "people:team_edit"):
        return {"name": "Renamed team"}
    return {}


@pytest.mark.parametrize(("name", "method", "target", "role", "expected"), list(_matrix()))
def test_people_url_answers_each_role_with_exact_status(
    client, request, manager, other_manager, agent, name, method, target, role, expected
):
    args = [request.getfixturevalue(target).pk] if target else []
    url = reverse(name, args=args)
    login_as(client, request, role)
    data = _post_data(name, request) if method == "post" else None
    before = _state()
    response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"] == f"{reverse('account_login')}?next={quote(url)}"
    if role != "coordinator" or expected == 405:
        assert _state() == before  # a refused request changes nothing


def _state():
    return (
        sorted(User.objects.values_list("email", "first_name", "team_id", "is_active")),
        sorted(Team.objects.values_list("name", flat=True)),
        Invitation.objects.count(),
    )


# --- Guessed ids and methods ------------------------------------------------------------------


def test_person_edit_unknown_id_is_404_for_coordinator(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("people:person_edit", args=[987654])).status_code == 404


def test_person_edit_unknown_id_is_403_for_manager(client, manager):
    client.force_login(manager)
    assert client.get(reverse("people:person_edit", args=[987654])).status_code == 403


def test_person_resend_invitation_unknown_id_is_404_for_coordinator(client, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("people:person_resend_invitation", args=[987654])).status_code == 404


def test_person_resend_invitation_get_is_405_and_sends_nothing(client, coordinator, invited):
    client.force_login(coordinator)
    response = client.get(reverse("people:person_resend_invitation", args=[invited.pk]))
    assert response.status_code == 405
    assert Invitation.objects.filter(user=invited).count() == 1


def test_person_edit_put_is_405(client, coordinator, agent):
    client.force_login(coordinator)
    assert client.put(reverse("people:person_edit", args=[agent.pk])).status_code == 405


def test_person_edit_inactive_coordinator_is_sent_to_login(client, coordinator, agent):
    client.force_login(coordinator)
    User.objects.filter(pk=coordinator.pk).update(is_active=False)
    response = client.get(reverse("people:person_edit", args=[agent.pk]))
    assert response.status_code == 302


def test_forbidden_page_uses_the_403_template_with_reason(client, agent):
    client.force_login(agent)
    response = client.get(reverse("people:team_list"))
    assert response.status_code == 403
    assert response.templates[0].name == "403.html"
    assert "Only coordinators can manage people and teams." in response.content.decode()


def test_not_found_page_uses_the_404_template(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("people:person_edit", args=[987654]))
    assert response.templates[0].name == "404.html"
    assert "We could not find that page" in response.content.decode()


# --- The list: what each viewer sees ----------------------------------------------------------


def test_person_list_manager_sees_only_their_teams_people(client, manager, other_manager, agent, other_agent):
    colleague = AgentFactory(email="colleague@example.com", team=agent.team, first_name="Zed")
    client.force_login(manager)
    response = client.get(reverse("people:person_list"))
    assert response.status_code == 200
    assert sorted(result_emails(response)) == sorted([agent.email, colleague.email])
    content = response.content.decode()
    assert other_agent.email not in content
    assert other_manager.email not in content


def test_person_list_manager_filtering_by_another_team_sees_nobody(client, manager, other_agent, other_team):
    client.force_login(manager)
    response = client.get(reverse("people:person_list"), {"team": other_team.pk})
    assert result_emails(response) == []
    assert other_agent.email not in response.content.decode()


def test_person_list_manager_team_filter_offers_only_their_teams(client, manager, team, other_team):
    client.force_login(manager)
    response = client.get(reverse("people:person_list"))
    assert list(response.context["teams"]) == [team]


def test_person_list_manager_sees_no_edit_links(client, manager, agent):
    client.force_login(manager)
    content = client.get(reverse("people:person_list")).content.decode()
    assert reverse("people:person_edit", args=[agent.pk]) not in content
    assert reverse("people:person_invite") not in content


def test_person_list_coordinator_sees_everyone_with_edit_links(
    client, coordinator, manager, other_manager, agent, other_agent
):
    client.force_login(coordinator)
    response = client.get(reverse("people:person_list"))
    assert sorted(result_emails(response)) == sorted(
        [coordinator.email, manager.email, other_manager.email, agent.email, other_agent.email]
    )
    assert reverse("people:person_edit", args=[agent.pk]) in response.content.decode()


def test_person_list_search_matches_every_word(client, coordinator, team):
    AgentFactory(email="ada@example.com", first_name="Ada", last_name="Lovelace", team=team)
    AgentFactory(email="ada.b@example.com", first_name="Ada", last_name="Byron", team=team)
    client.force_login(coordinator)
    response = client.get(reverse("people:person_list"), {"q": "ada love"})
    assert result_emails(response) == ["ada@example.com"]


def test_person_list_search_matches_email(client, coordinator, agent, other_agent):
    client.force_login(coordinator)
    response = client.get(reverse("people:person_list"), {"q": "OTHERAGENT"})
    assert result_emails(response) == [other_agent.email]


def test_person_list_filter_by_team(client, coordinator, agent, other_agent, other_manager, other_team):
    client.force_login(coordinator)
    response = client.get(reverse("people:person_list"), {"team": other_team.pk})
    assert sorted(result_emails(response)) == sorted([other_agent.email, other_manager.email])


def test_person_list_filter_by_role(client, coordinator, manager, other_manager, agent):
    client.force_login(coordinator)
    response = client.get(reverse("people:person_list"), {"role": Role.MANAGER})
    assert sorted(result_emails(response)) == sorted([manager.email, other_manager.email])


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("active", ["agent@example.com", "coord@example.com"]),
        ("inactive", ["gone@example.com"]),
        ("invited", ["newbie@example.com"]),
        ("", ["agent@example.com", "coord@example.com", "gone@example.com", "newbie@example.com"]),
    ],
)
def test_person_list_filter_by_status(client, coordinator, agent, invited, status, expected):
    AgentFactory(email="gone@example.com", is_active=False)
    client.force_login(coordinator)
    response = client.get(reverse("people:person_list"), {"status": status})
    assert sorted(result_emails(response)) == expected


def test_person_list_shows_status_words(client, coordinator, agent, invited):
    AgentFactory(email="gone@example.com", is_active=False)
    client.force_login(coordinator)
    content = client.get(reverse("people:person_list")).content.decode()
    rows = {row.split("</td>")[1].strip(): row for row in content.split("<tr>")[2:]}
    statuses = {
        email.removeprefix("<td>"): re.findall(r"<td>\s*(Active|Invited|Inactive)\s*</td>", row)
        for email, row in rows.items()
    }
    assert statuses == {
        "coord@example.com": ["Active"],
        "agent@example.com": ["Active"],
        "newbie@example.com": ["Invited"],
        "gone@example.com": ["Inactive"],
    }


def test_person_list_paginates_fifty_per_page_keeping_filters(client, coordinator, team):
    AgentFactory.create_batch(55, team=team)
    client.force_login(coordinator)
    first = client.get(reverse("people:person_list"), {"team": team.pk})
    second = client.get(reverse("people:person_list"), {"team": team.pk, "page": 2})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5
    assert f'href="?team={team.pk}&amp;page=2"' in first.content.decode()


def test_person_list_unknown_page_and_team_fall_back_quietly(client, coordinator, agent):
    client.force_login(coordinator)
    response = client.get(reverse("people:person_list"), {"page": "abc", "team": "x", "role": "Nope"})
    assert response.status_code == 200
    assert sorted(result_emails(response)) == sorted([coordinator.email, agent.email])


# --- htmx -------------------------------------------------------------------------------------


def test_person_list_htmx_request_gets_only_the_results_fragment(client, coordinator, agent):
    client.force_login(coordinator)
    response = client.get(reverse("people:person_list"), {"q": "agent@"}, HTTP_HX_REQUEST="true")
    content = response.content.decode().strip()
    assert response.status_code == 200
    assert content.startswith('<div id="results" class="table-wrap">')
    assert content.endswith("</div>")
    assert "<html" not in content
    assert 'role="search"' not in content
    assert re.findall(r"<td>([^<]+@example\.com)</td>", content) == [agent.email]


def test_person_list_plain_request_gets_the_whole_page(client, coordinator, agent):
    client.force_login(coordinator)
    content = client.get(reverse("people:person_list")).content.decode()
    assert "<html" in content
    assert 'role="search"' in content
    assert content.count('<div id="results"') == 1


def test_person_list_htmx_history_restore_gets_the_whole_page(client, coordinator):
    client.force_login(coordinator)
    response = client.get(
        reverse("people:person_list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def test_person_list_varies_on_hx_request(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("people:person_list"))
    assert "HX-Request" in [h.strip() for h in response["Vary"].split(",")]


# --- Editing ----------------------------------------------------------------------------------


def test_person_edit_saves_every_field(client, coordinator, agent, other_team):
    client.force_login(coordinator)
    data = person_form_data(
        agent,
        first_name="Alexandra",
        last_name="Stone",
        display_name="Alex S.",
        team=other_team.pk,
        role=Role.MANAGER,
        time_zone="Asia/Tokyo",
        is_active=False,
    )
    response = client.post(reverse("people:person_edit", args=[agent.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_list")
    agent = User.objects.get(pk=agent.pk)
    assert (
        agent.first_name,
        agent.last_name,
        agent.display_name,
        agent.team,
        agent.time_zone,
        agent.is_active,
    ) == (
        "Alexandra",
        "Stone",
        "Alex S.",
        other_team,
        "Asia/Tokyo",
        False,
    )
    assert list(agent.groups.values_list("name", flat=True)) == [Role.MANAGER]


def test_person_edit_get_shows_current_values(client, coordinator, agent):
    client.force_login(coordinator)
    response = client.get(reverse("people:person_edit", args=[agent.pk]))
    form = response.context["form"]
    assert (form["first_name"].value(), form["role"].value(), form["team"].value()) == (
        agent.first_name,
        Role.AGENT,
        agent.team_id,
    )


def test_person_edit_no_team_clears_team(client, coordinator, agent):
    client.force_login(coordinator)
    client.post(reverse("people:person_edit", args=[agent.pk]), person_form_data(agent, team=""))
    assert User.objects.get(pk=agent.pk).team is None


def test_person_edit_invalid_time_zone_keeps_what_was_typed(client, coordinator, agent):
    client.force_login(coordinator)
    data = person_form_data(agent, first_name="Typed Name", time_zone="Mars/Olympus")
    response = client.post(reverse("people:person_edit", args=[agent.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"] == [
        "“Mars/Olympus” is not a known time zone. Use an IANA name such as Europe/London."
    ]
    assert 'value="Typed Name"' in response.content.decode()
    assert User.objects.get(pk=agent.pk).first_name == agent.first_name


def test_person_edit_coordinator_cannot_demote_themself(client, coordinator):
    client.force_login(coordinator)
    data = person_form_data(coordinator, role=Role.AGENT, first_name="Typed")
    response = client.post(reverse("people:person_edit", args=[coordinator.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [
        "You cannot remove your own coordinator role; ask another coordinator."
    ]
    assert 'value="Typed"' in response.content.decode()
    fresh = User.objects.get(pk=coordinator.pk)
    assert (fresh.role, fresh.first_name) == (Role.COORDINATOR, coordinator.first_name)


def test_person_edit_coordinator_cannot_deactivate_themself(client, coordinator):
    client.force_login(coordinator)
    data = person_form_data(coordinator, is_active=False)
    response = client.post(reverse("people:person_edit", args=[coordinator.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["is_active"] == [
        "You cannot deactivate yourself; ask another coordinator."
    ]
    assert User.objects.get(pk=coordinator.pk).is_active is True


def test_person_edit_coordinator_may_change_own_name(client, coordinator):
    client.force_login(coordinator)
    data = person_form_data(coordinator, first_name="Claire")
    response = client.post(reverse("people:person_edit", args=[coordinator.pk]), data)
    assert response.status_code == 302
    assert User.objects.get(pk=coordinator.pk).first_name == "Claire"


def test_person_edit_coordinator_may_demote_another_coordinator(client, coordinator):
    colleague = CoordinatorFactory(email="colleague@example.com")
    client.force_login(coordinator)
    response = client.post(
        reverse("people:person_edit", args=[colleague.pk]), person_form_data(colleague, role=Role.AGENT)
    )
    assert response.status_code == 302
    assert User.objects.get(pk=colleague.pk).role == Role.AGENT


def test_person_edit_shows_resend_only_for_people_not_joined(client, coordinator, agent, invited):
    client.force_login(coordinator)
    joined = client.get(reverse("people:person_edit", args=[agent.pk])).content.decode()
    pending = client.get(reverse("people:person_edit", args=[invited.pk])).content.decode()
    resend = reverse("people:person_resend_invitation", args=[invited.pk])
    assert resend in pending
    assert reverse("people:person_resend_invitation", args=[agent.pk]) not in joined


def test_person_update_by_manager_is_refused(manager, agent):
    with pytest.raises(PermissionDenied) as excinfo:
        services.person_update(
            by=manager,
            person=agent,
            first_name="X",
            last_name="",
            display_name="",
            team=None,
            role=Role.AGENT,
            time_zone="UTC",
            is_active=True,
        )
    assert str(excinfo.value) == "Only a coordinator can edit people."
    assert User.objects.get(pk=agent.pk).team_id == manager.team_id


def test_person_update_deactivating_closes_open_invitations(coordinator, invited, client):
    services.person_update(
        by=coordinator,
        person=invited,
        first_name=invited.first_name,
        last_name="",
        display_name="",
        team=invited.team,
        role=Role.AGENT,
        time_zone="UTC",
        is_active=False,
    )
    invitation = Invitation.objects.get(user=invited)
    assert invitation.is_usable is False
    response = client.get(reverse("people:invitation_accept", args=[invitation.token]))
    assert response.status_code == 410


# --- Inviting and resending -------------------------------------------------------------------


def test_person_invite_creates_invited_person(client, coordinator, team):
    client.force_login(coordinator)
    data = {
        "email": "Sam@Example.com",
        "first_name": "Sam",
        "last_name": "Hart",
        "team": team.pk,
        "role": Role.MANAGER,
        "time_zone": "Europe/Paris",
    }
    response = client.post(reverse("people:person_invite"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_list")
    person = User.objects.get(email="sam@example.com")
    assert (person.first_name, person.last_name, person.team, person.role, person.time_zone) == (
        "Sam",
        "Hart",
        team,
        Role.MANAGER,
        "Europe/Paris",
    )
    assert person.has_usable_password() is False
    assert Invitation.objects.filter(user=person, invited_by=coordinator).count() == 1


def test_person_invite_existing_email_keeps_what_was_typed(client, coordinator, agent):
    client.force_login(coordinator)
    data = {"email": "AGENT@example.com", "first_name": "Typed", "role": Role.AGENT, "time_zone": "UTC"}
    response = client.post(reverse("people:person_invite"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["agent@example.com already has an account."]
    content = response.content.decode()
    assert 'value="Typed"' in content
    assert 'value="AGENT@example.com"' in content
    assert User.objects.filter(email__iexact="agent@example.com").count() == 1


def test_person_invite_get_defaults_to_site_time_zone(client, coordinator, settings):
    client.force_login(coordinator)
    response = client.get(reverse("people:person_invite"))
    assert response.context["form"]["time_zone"].value() == settings.TIME_ZONE


def test_person_resend_invitation_replaces_the_link(client, coordinator, invited):
    old = Invitation.objects.get(user=invited)
    client.force_login(coordinator)
    response = client.post(reverse("people:person_resend_invitation", args=[invited.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_edit", args=[invited.pk])
    old.refresh_from_db()
    assert old.is_usable is False
    assert Invitation.objects.filter(user=invited).count() == 2
    assert Invitation.objects.filter(user=invited).exclude(pk=old.pk).get().is_usable is True


def test_person_resend_invitation_for_joined_person_says_so(client, coordinator, agent):
    client.force_login(coordinator)
    response = client.post(reverse("people:person_resend_invitation", args=[agent.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["agent@example.com has already joined."]
    assert Invitation.objects.filter(user=agent).count() == 0


# --- Escaping ---------------------------------------------------------------------------------


@pytest.fixture
def hostile(team):
    team.name = SCRIPT
    team.save()
    return AgentFactory(
        email="hostile@example.com", first_name=SCRIPT, last_name=IMG, display_name=IMG, team=team
    )


def assert_escaped(content: str) -> None:
    assert SCRIPT not in content
    assert "<img src=x" not in content
    assert SCRIPT_ESCAPED in content
    assert IMG_ESCAPED in content


def test_person_list_escapes_names_and_team(client, coordinator, hostile):
    client.force_login(coordinator)
    assert_escaped(client.get(reverse("people:person_list")).content.decode())


def test_person_list_fragment_escapes_names_and_team(client, coordinator, hostile):
    client.force_login(coordinator)
    content = client.get(reverse("people:person_list"), HTTP_HX_REQUEST="true").content.decode()
    assert_escaped(content)


def test_person_list_for_manager_escapes_names_and_team(client, manager, hostile):
    client.force_login(manager)
    assert_escaped(client.get(reverse("people:person_list")).content.decode())


def test_person_edit_escapes_names_and_team(client, coordinator, hostile):
    client.force_login(coordinator)
    assert_escaped(client.get(reverse("people:person_edit", args=[hostile.pk])).content.decode())


def test_person_edit_with_errors_escapes_what_was_typed(client, coordinator, agent):
    client.force_login(coordinator)
    data = person_form_data(agent, first_name=SCRIPT, last_name=IMG, time_zone="Nowhere")
    content = client.post(reverse("people:person_edit", args=[agent.pk]), data).content.decode()
    assert SCRIPT not in content
    assert "<img src=x" not in content


def test_person_invite_with_errors_escapes_what_was_typed(client, coordinator):
    client.force_login(coordinator)
    data = {
        "email": "not-an-email",
        "first_name": SCRIPT,
        "last_name": IMG,
        "role": Role.AGENT,
        "time_zone": "UTC",
    }
    content = client.post(reverse("people:person_invite"), data).content.decode()
    assert SCRIPT not in content
    assert "<img src=x" not in content
    assert SCRIPT_ESCAPED in content


# --- Query counts -----------------------------------------------------------------------------

PEOPLE_LIST_QUERIES = 7  # session, user, user's roles, count, team filter, page, page's roles


@pytest.mark.parametrize("size", [3, 300])
def test_person_list_query_count_is_fixed_for_coordinator(
    client, coordinator, team, other_team, django_assert_max_num_queries, size
):
    for index in range(size):
        AgentFactory(team=team if index % 2 else other_team, is_active=index % 7 != 0)
    client.force_login(coordinator)
    with django_assert_max_num_queries(PEOPLE_LIST_QUERIES):
        response = client.get(reverse("people:person_list"))
    assert response.context["page"].paginator.count == size + 1


@pytest.mark.parametrize("size", [3, 300])
def test_person_list_query_count_is_fixed_for_manager(
    client, manager, team, django_assert_max_num_queries, size
):
    AgentFactory.create_batch(size, team=team)
    client.force_login(manager)
    with django_assert_max_num_queries(PEOPLE_LIST_QUERIES):
        response = client.get(reverse("people:person_list"))
    assert response.context["page"].paginator.count == size


@pytest.mark.parametrize("size", [3, 300])
def test_person_list_fragment_query_count_is_fixed(
    client, coordinator, team, django_assert_max_num_queries, size
):
    ManagerFactory.create_batch(size, team=team)
    client.force_login(coordinator)
    with django_assert_max_num_queries(PEOPLE_LIST_QUERIES - 1):  # no team filter in the fragment
        response = client.get(reverse("people:person_list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200


def test_person_list_order_has_an_index():
    """/people/ reads a page of 50 in name order from an index instead of sorting every person."""
    from people.models import User

    indexes = {index.name: index.fields for index in User._meta.indexes}
    assert indexes["people_user_name_order"] == ["first_name", "last_name", "email"]
    assert list(User._meta.ordering) == ["first_name", "last_name", "email"]
