"""Query counts of the recognition pages: the same for 3 and 300 nominations, and at most 15."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.models import User
from recognition.models import Nomination, Reaction
from tests.factories import AgentFactory
from tests.recognition.factories import AwardCategoryFactory, NominationFactory, WeekFactory

pytestmark = pytest.mark.django_db

CEILING = 15
# Measured: see the report. Each is asserted exactly so that a new query per row shows up at once.
WALL_QUERIES = 10  # the page's reactions are counted in a query of their own
REVIEW_QUERIES = 9  # one more when a category on the page has an award limit (its awards counted)
MINE_QUERIES = 8


def bulk_people(count: int, *, team=None, prefix: str) -> list[User]:
    return User.objects.bulk_create(
        [
            User(email=f"{prefix}{i}@example.com", first_name=prefix.title(), last_name=str(i), team=team)
            for i in range(count)
        ]
    )


def bulk_nominations(size: int, *, category, status, nominators, nominees, reactors=()) -> list[Nomination]:
    """`size` nominations, pair i being (nominators[i // len(nominees)], nominees[i % len(nominees)])."""
    decided = status != Nomination.Status.SUBMITTED
    created = Nomination.objects.bulk_create(
        [
            Nomination(
                week=category.week,
                category=category,
                nominator=nominators[i // len(nominees)],
                nominee=nominees[i % len(nominees)],
                story=f"Story number {i} about great service to a customer in need.",
                evidence_quote="Thank you so much." if i % 2 else "",
                evidence_reference="T-1" if i % 2 else "",
                status=status,
                reviewed_at=category.opens_at if decided else None,
                # Awards on the wall are announced ones (the embargo hides the others from agents).
                announced_at=category.opens_at if status == Nomination.Status.APPROVED else None,
                review_comment="Not this time." if status == Nomination.Status.DECLINED else "",
                anonymous=i % 5 == 0,
            )
            for i in range(size)
        ]
    )
    if status == Nomination.Status.APPROVED:
        kinds = ["clap", "heart", "party"]
        Reaction.objects.bulk_create(
            [
                Reaction(nomination=n, user=reactor, kind=kinds[j % 3])
                for n in created[:40]
                for j, reactor in enumerate(reactors)
            ]
        )
    return created


def _make(size: int, *, team, manager, category, last_year_category, status):
    """`size` nominations about members of `team`, two of them last year's winners, with reactions."""
    nominees = bulk_people(6, team=team, prefix="nominee")
    nominators = bulk_people(size // 6 + 1, prefix="nominator")
    for person in nominees[:2]:
        NominationFactory(approved=True, category=last_year_category, nominee=person, nominator=nominators[0])
    reactors = bulk_people(3, prefix="reactor")
    return bulk_nominations(
        size, category=category, status=status, nominators=nominators, nominees=nominees, reactors=reactors
    )


@pytest.fixture
def setting(team, manager):
    week = WeekFactory(year=2026)
    last_year = WeekFactory(year=2025)
    return {
        "team": team,
        "manager": manager,
        "category": AwardCategoryFactory(week=week, name="Customer Hero", award_limit=None),
        "last_year_category": AwardCategoryFactory(week=last_year, name="Customer Hero"),
    }


def count_queries(client, url, data=None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("size", [3, 300])
def test_wall_query_count_is_fixed(client, agent, setting, size):
    _make(size, status=Nomination.Status.APPROVED, **setting)
    client.force_login(agent)
    queries, response = count_queries(client, reverse("recognition:wall"), {"week": 2026})
    assert response.context["page"].paginator.count == size
    assert queries == WALL_QUERIES <= CEILING


def test_wall_counts_reactions_for_the_page_only(client, agent, setting):
    awards = _make(30, status=Nomination.Status.APPROVED, **setting)
    client.force_login(agent)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("recognition:wall"), {"week": 2026})
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"].upper()]
    assert len(grouped) == 1
    assert 'FROM "recognition_reaction"' in grouped[0]
    assert 'JOIN "recognition_nomination"' not in grouped[0]
    shown = response.context["page"].object_list
    assert len(shown) == 20
    # All reviewed in the same instant: newest id first. Three reactors gave each one of each kind.
    assert [a.pk for a in shown] == sorted((a.pk for a in awards), reverse=True)[:20]
    assert {(a.clap_count, a.heart_count, a.party_count) for a in shown} == {(1, 1, 1)}


def test_wall_order_has_an_index():
    indexes = {index.name: index.fields for index in Nomination._meta.indexes}
    assert indexes["nomination_wall_order"] == ["week", "status", "-reviewed_at", "-id"]


@pytest.mark.parametrize("size", [3, 300])
def test_wall_filtered_by_team_query_count_is_fixed(client, agent, setting, size):
    _make(size, status=Nomination.Status.APPROVED, **setting)
    client.force_login(agent)
    queries, response = count_queries(
        client,
        reverse("recognition:wall"),
        {"week": 2026, "team": setting["team"].pk, "category": "Customer Hero"},
    )
    assert response.context["page"].paginator.count == size
    assert queries == WALL_QUERIES <= CEILING


@pytest.mark.parametrize("size", [3, 300])
def test_review_query_count_is_fixed(client, setting, size):
    _make(size, status=Nomination.Status.SUBMITTED, **setting)
    client.force_login(setting["manager"])
    queries, response = count_queries(client, reverse("recognition:review"))
    assert response.context["page"].paginator.count == size
    assert queries == REVIEW_QUERIES <= CEILING
    assert "Repeat winner: Nominee 0 won Customer Hero last year." in response.content.decode()


@pytest.mark.parametrize("size", [3, 300])
def test_review_query_count_is_fixed_for_coordinator(client, coordinator, setting, size):
    _make(size, status=Nomination.Status.SUBMITTED, **setting)
    client.force_login(coordinator)
    queries, response = count_queries(client, reverse("recognition:review"))
    assert response.context["page"].paginator.count == size
    assert queries == REVIEW_QUERIES <= CEILING


@pytest.mark.parametrize("size", [3, 300])
def test_mine_query_count_is_fixed(client, setting, size):
    person = AgentFactory(team=setting["team"])
    category = setting["category"]
    # `size` sent (half decided), `size` awards received, and some still being reviewed.
    bulk_nominations(
        size,
        category=category,
        status=Nomination.Status.DECLINED,
        nominators=[person],
        nominees=bulk_people(size, prefix="colleague"),
    )
    bulk_nominations(
        size,
        category=category,
        status=Nomination.Status.APPROVED,
        nominators=bulk_people(size, prefix="fan"),
        nominees=[person],
    )
    bulk_nominations(
        size,
        category=AwardCategoryFactory(week=category.week),
        status=Nomination.Status.SUBMITTED,
        nominators=bulk_people(size, prefix="other"),
        nominees=[person],
    )
    client.force_login(person)
    queries, response = count_queries(client, reverse("recognition:mine"))
    assert response.context["sent"].paginator.count == size
    assert response.context["received"].paginator.count == size
    assert response.context["pending_about_me"] == size
    assert queries == MINE_QUERIES <= CEILING


def test_review_queue_order_has_an_index():
    """The queue is read oldest first with the id as tie-break; the index holds both, so the first
    page comes off the index instead of sorting every waiting nomination."""
    from recognition.selectors import review_queue

    indexes = {index.name: index.fields for index in Nomination._meta.indexes}
    assert indexes["nomination_queue_order"] == ["status", "created_at", "id"]
    assert review_queue(user=User(pk=1)).query.order_by == ("created_at", "pk")
