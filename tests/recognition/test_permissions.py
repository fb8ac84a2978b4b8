"""The permission matrix: every recognition URL and action for every role, guessed ids included."""

import pytest
from django.urls import reverse

from recognition.models import Nomination, Reaction
from tests.recognition.factories import NominationFactory

pytestmark = pytest.mark.django_db

ROLES = ["nominator", "nominee", "manager", "other_manager", "coordinator", "other_agent", "anonymous"]
GUESSED_ID = 987654


@pytest.fixture
def nominator(agent):
    return agent


@pytest.fixture
def award(nominee, category, other_agent):
    return NominationFactory(nominee=nominee, nominator=other_agent, category=category, announced=True)


def login_as(client, request, role: str):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def everyone_signed_in(status: int) -> dict[str, int]:
    return {**dict.fromkeys(ROLES, status), "anonymous": 302}


AGENTS_403 = {"nominator": 403, "nominee": 403, "other_agent": 403, "anonymous": 302}
REVIEWERS_OWN = {"manager": 200, "coordinator": 200, "other_manager": 404, **AGENTS_403}
COORDINATOR_ONLY = {
    "coordinator": 200,
    "manager": 403,
    "other_manager": 403,
    **AGENTS_403,
}

# (action id, url name, method, target: "nomination" / "award" / None, data, {role: status})
MATRIX = [
    ("new GET", "recognition:nomination_new", "get", None, {}, everyone_signed_in(200)),
    (
        "people search GET",
        "recognition:people_search",
        "get",
        None,
        {"person_q": "nia"},
        everyone_signed_in(200),
    ),
    ("mine GET", "recognition:mine", "get", None, {}, everyone_signed_in(200)),
    (
        "withdraw GET",
        "recognition:withdraw",
        "get",
        "nomination",
        {},
        {**dict.fromkeys(ROLES, 404), "nominator": 200, "anonymous": 302},
    ),
    (
        "withdraw POST",
        "recognition:withdraw",
        "post",
        "nomination",
        {},
        {**dict.fromkeys(ROLES, 404), "nominator": 302, "anonymous": 302},
    ),
    (
        "review GET",
        "recognition:review",
        "get",
        None,
        {},
        {"manager": 200, "other_manager": 200, "coordinator": 200, **AGENTS_403},
    ),
    (
        "approve POST",
        "recognition:approve",
        "post",
        "nomination",
        {},
        {**REVIEWERS_OWN, "manager": 302, "coordinator": 302},
    ),
    ("decline GET", "recognition:decline", "get", "nomination", {}, REVIEWERS_OWN),
    (
        "decline POST",
        "recognition:decline",
        "post",
        "nomination",
        {"comment": "Please add the customer's words."},
        {**REVIEWERS_OWN, "manager": 302, "coordinator": 302},
    ),
    (
        "bulk approve POST",
        "recognition:bulk_approve",
        "post",
        None,
        "ids",
        {**REVIEWERS_OWN, "manager": 302, "coordinator": 302},
    ),
    ("wall GET", "recognition:wall", "get", None, {"week": 2026}, everyone_signed_in(200)),
    ("react POST", "recognition:react", "post", "award", {"kind": "clap"}, everyone_signed_in(200)),
    (
        "react on a nomination not approved POST",
        "recognition:react",
        "post",
        "nomination",
        {"kind": "clap"},
        everyone_signed_in(404),
    ),
    ("export GET", "recognition:wall_export", "get", None, {"week": 2026}, COORDINATOR_ONLY),
    ("announce GET", "recognition:wall_announce", "get", None, {"week": 2026}, COORDINATOR_ONLY),
    (
        "announce POST",
        "recognition:wall_announce",
        "post",
        None,
        {"week": 2026},
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
]


def _cases():
    for action, name, method, target, data, statuses in MATRIX:
        for role in ROLES:
            yield pytest.param(name, method, target, data, role, statuses[role], id=f"{action}-{role}")


@pytest.mark.parametrize(("name", "method", "target", "data", "role", "expected"), list(_cases()))
def test_permission_matrix(client, request, nomination, award, name, method, target, data, role, expected):
    login_as(client, request, role)
    args = []
    if target == "nomination":
        args = [nomination.pk]
    elif target == "award":
        args = [award.pk]
    if data == "ids":
        data = {"ids": [nomination.pk], "comment": ""}
    headers = {"HTTP_HX_REQUEST": "true"} if name == "recognition:react" else {}
    response = getattr(client, method)(reverse(name, args=args), data, **headers)
    assert response.status_code == expected
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    nomination.refresh_from_db()
    if method == "post" and target == "nomination" and expected in (403, 404):
        assert nomination.status == Nomination.Status.SUBMITTED  # nothing happened


@pytest.mark.parametrize("role", ["manager", "coordinator", "nominator", "other_agent"])
@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("recognition:withdraw", "get", {}),
        ("recognition:withdraw", "post", {}),
        ("recognition:approve", "post", {}),
        ("recognition:decline", "get", {}),
        ("recognition:decline", "post", {"comment": "No."}),
        ("recognition:react", "post", {"kind": "clap"}),
    ],
)
def test_guessed_ids_are_404(client, request, role, name, method, data):
    login_as(client, request, role)
    response = getattr(client, method)(reverse(name, args=[GUESSED_ID]), data)
    reviewer_only = name in ("recognition:approve", "recognition:decline")
    agent = role in ("nominator", "other_agent")
    # An agent is refused the review actions before any id is looked at; every other guess is a 404.
    assert response.status_code == (403 if reviewer_only and agent else 404)


def test_bulk_approve_with_one_foreign_id_approves_nothing(client, manager, nomination, other_team, category):
    foreign = NominationFactory(category=category, nominee__team=other_team)
    client.force_login(manager)
    response = client.post(reverse("recognition:bulk_approve"), {"ids": [nomination.pk, foreign.pk]})
    assert response.status_code == 404
    assert set(Nomination.objects.values_list("status", flat=True)) == {Nomination.Status.SUBMITTED}


@pytest.mark.parametrize("bad_id", [str(GUESSED_ID), "abc"])
def test_bulk_approve_with_a_guessed_id_is_404(client, coordinator, nomination, bad_id):
    client.force_login(coordinator)
    response = client.post(reverse("recognition:bulk_approve"), {"ids": [nomination.pk, bad_id]})
    assert response.status_code == 404
    assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.SUBMITTED


def test_review_queue_shows_a_manager_only_their_people(client, manager, nomination, other_team, category):
    NominationFactory(category=category, nominee__team=other_team)
    client.force_login(manager)
    response = client.get(reverse("recognition:review"))
    assert [n.pk for n in response.context["nominations"]] == [nomination.pk]


def test_reactions_are_only_by_signed_in_people(client, award):
    response = client.post(reverse("recognition:react", args=[award.pk]), {"kind": "clap"})
    assert response.status_code == 302
    assert Reaction.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_state_changes_refuse_other_methods(client, manager, nomination, method):
    client.force_login(manager)
    response = getattr(client, method)(reverse("recognition:approve", args=[nomination.pk]))
    assert response.status_code == 405
