"""The recognition demo: categories on every demo week, nominations in every state, idempotent, scalable."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse

from people.models import User
from recognition import selectors
from recognition.models import AwardCategory, Nomination, Reaction

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)


def seed(*args: str) -> str:
    out = StringIO()
    with override_settings(DEBUG=True), time_machine.travel(TODAY, tick=False):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "categories": sorted(AwardCategory.objects.values_list()),
        "nominations": sorted(Nomination.objects.values_list()),
        "reactions": sorted(Reaction.objects.values_list("nomination_id", "user_id", "kind")),
    }


def test_demo_gives_every_week_its_categories_and_nominations_in_every_state():
    seed()
    assert Nomination.objects.count() == 32
    assert dict(
        AwardCategory.objects.values("week__year").annotate(n=Count("pk")).values_list("week__year", "n")
    ) == {
        2025: 5,
        2026: 5,
        2027: 5,
    }
    by_status = dict(Nomination.objects.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    assert by_status == {"approved": 15, "declined": 4, "withdrawn": 3, "submitted": 10}
    last_year_awards = Nomination.objects.filter(week__year=2025, status="approved")
    assert last_year_awards.count() == 8
    assert Reaction.objects.filter(nomination__in=last_year_awards).count() >= 30
    assert Nomination.objects.filter(status="approved", anonymous=True).count() == 1
    for category in AwardCategory.objects.exclude(award_limit=None):
        assert category.nominations.filter(status="approved").count() <= category.award_limit


def test_demo_queue_waits_for_the_front_line_manager_and_nominations_are_open_today(client):
    seed()
    manager = User.objects.get(email="manager@example.com")
    queue = selectors.review_queue(user=manager)
    assert [n.nominee.email for n in queue] == [
        "liam.oconnor@example.com",
        "jamie.chen@example.com",
        "fatima.khan@example.com",
        "liam.oconnor@example.com",
        "agent@example.com",
        "jamie.chen@example.com",
    ]
    with time_machine.travel(TODAY, tick=False):
        assert [c.week.year for c in selectors.categories_open()] == [2027] * 5
        client.force_login(manager)
        page = client.get(reverse("recognition:review")).content.decode()
    assert "Repeat winner: Jamie Chen won Customer Hero last year." in page


def test_demo_last_years_awards_are_announced_and_the_coming_weeks_held_back(client):
    seed()
    for award in Nomination.objects.filter(week__year__in=[2025, 2026], status="approved"):
        assert award.announced_at == award.category.announce_at
    coming = AwardCategory.objects.filter(week__year=2027)
    # Monday 4 October 2027 is the coming week; windows close before the announcement at 09:00 BST on Friday.
    assert {c.announce_at for c in coming} == {datetime.datetime(2027, 10, 8, 8, 0, tzinfo=datetime.UTC)}
    assert all(c.opens_at < c.closes_at <= c.announce_at for c in coming)
    (held_back,) = Nomination.objects.filter(week__year=2027, status="approved")
    assert (held_back.nominee.email, held_back.announced_at) == ("agent@example.com", None)
    with time_machine.travel(TODAY, tick=False):
        client.force_login(User.objects.get(email="agent@example.com"))
        assert list(client.get(reverse("recognition:wall"), {"week": 2027}).context["page"]) == []
        client.force_login(User.objects.get(email="manager@example.com"))
        wall = client.get(reverse("recognition:wall"), {"week": 2027})
    assert [a.pk for a in wall.context["page"]] == [held_back.pk]
    # 09:00 in London is 04:00 for the manager in New York.
    assert "To be announced on 8 Oct 2027, 04:00 America/New_York" in wall.content.decode()


def test_demo_twice_changes_nothing():
    seed()
    before = snapshot()
    seed()
    assert snapshot() == before


def test_demo_scale_adds_nominations_and_reactions_for_the_added_agents():
    seed()
    nominations, reactions = Nomination.objects.count(), Reaction.objects.count()
    seed("--scale", "40")
    added = User.objects.filter(email__startswith="agent0")
    assert added.count() == 40
    assert Nomination.objects.filter(nominator__in=added).count() == 40
    assert Nomination.objects.count() == nominations + 40
    assert Reaction.objects.filter(user__in=added).count() == 40
    # The added awards get their reactions too, so more than the added agents' own 40.
    assert Reaction.objects.count() > reactions + 40
    for category in AwardCategory.objects.exclude(award_limit=None):
        assert category.nominations.filter(status="approved").count() <= category.award_limit


def test_demo_scale_gives_every_team_nominations_waiting():
    seed("--scale", "40")
    added = Nomination.objects.filter(nominator__email__startswith="agent0", status="submitted")
    waiting = dict(added.values_list("nominee__team__name").annotate(n=Count("pk")))
    assert waiting == {
        "Billing and Accounts": 5,
        "Customer Success": 5,
        "Front Line Support": 5,
        "Technical Support": 5,
    }
