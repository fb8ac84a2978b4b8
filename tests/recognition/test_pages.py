"""My nominations, the review queue and the wall: what each shows, to whom, and what they do."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from people.models import User
from recognition import services
from recognition.models import Nomination, Reaction
from tests.factories import AgentFactory
from tests.recognition.factories import STORY, AwardCategoryFactory, NominationFactory, WeekFactory

pytestmark = pytest.mark.django_db

DECLINED_STORY = "A declined story that the nominee must never read anywhere at all."


# --- My nominations ---------------------------------------------------------------------------


def test_mine_lists_what_i_sent_with_status_and_the_reviewers_comment(
    client, agent, nominee, category, manager
):
    nomination = services.nomination_create(nominator=agent, nominee=nominee, category=category, story=STORY)
    services.nomination_decline(
        nomination=nomination, by=manager, comment="Add what the customer said, please."
    )
    client.force_login(agent)
    response = client.get(reverse("recognition:mine"))
    page = response.content.decode()
    assert [n.pk for n in response.context["sent"]] == [nomination.pk]
    assert "Declined" in page
    assert "Add what the customer said, please." in page


def test_nominee_never_sees_a_declined_nomination_nor_its_comment(client, nominee, category, manager):
    nomination = NominationFactory(nominee=nominee, category=category, story=DECLINED_STORY)
    services.nomination_decline(
        nomination=nomination, by=manager, comment="A comment for the nominator only."
    )
    NominationFactory(
        nominee=nominee, category=category, story="Pending story not shown to the nominee either."
    )
    client.force_login(nominee)
    response = client.get(reverse("recognition:mine"))
    page = response.content.decode()
    assert list(response.context["received"]) == []
    assert response.context["pending_about_me"] == 1
    assert "1 nomination about you is being reviewed." in page
    assert DECLINED_STORY not in page
    assert "A comment for the nominator only." not in page
    assert "Pending story" not in page
    wall = client.get(reverse("recognition:wall"), {"week": 2026}).content.decode()
    assert DECLINED_STORY not in wall


def test_nominee_sees_an_anonymous_award_without_its_nominator(client, nominee, category):
    secret = AgentFactory(first_name="Secretive", last_name="Sender")
    award = NominationFactory(
        nominee=nominee, nominator=secret, category=category, announced=True, anonymous=True
    )
    client.force_login(nominee)
    response = client.get(reverse("recognition:mine"))
    page = response.content.decode()
    assert [n.pk for n in response.context["received"]] == [award.pk]
    assert "Nominated anonymously" in page
    assert "Secretive" not in page and "Sender" not in page


def test_withdraw_asks_first_then_withdraws(client, agent, nomination):
    client.force_login(agent)
    ask = client.get(reverse("recognition:withdraw", args=[nomination.pk]))
    assert "Withdraw your nomination of Nia Okafor?" in ask.content.decode()
    assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.SUBMITTED
    response = client.post(reverse("recognition:withdraw", args=[nomination.pk]))
    assert response["Location"] == reverse("recognition:mine")
    assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.WITHDRAWN


def test_withdraw_after_review_says_why(client, agent, nomination, manager):
    services.nomination_approve(nomination=nomination, by=manager)
    client.force_login(agent)
    response = client.post(reverse("recognition:withdraw", args=[nomination.pk]), follow=True)
    assert "This nomination is already approved; it can no longer be withdrawn." in response.content.decode()


# --- Review -----------------------------------------------------------------------------------


def test_review_queue_is_oldest_first_and_filters(client, manager, team, category, week):
    other_category = AwardCategoryFactory(week=week, name="Team Player")
    colleague = AgentFactory(team=team)
    old = NominationFactory(category=category, nominee__team=team)
    old.created_at -= datetime.timedelta(days=2)
    old.save()
    newer = NominationFactory(category=other_category, nominee=colleague)
    decided = NominationFactory(category=category, nominee__team=team, approved=True)
    client.force_login(manager)
    url = reverse("recognition:review")
    assert [n.pk for n in client.get(url).context["nominations"]] == [old.pk, newer.pk]
    assert [n.pk for n in client.get(url, {"category": "Team Player"}).context["nominations"]] == [newer.pk]
    assert [n.pk for n in client.get(url, {"status": "approved"}).context["nominations"]] == [decided.pk]
    assert [n.pk for n in client.get(url, {"team": team.pk}).context["nominations"]] == [old.pk, newer.pk]


def test_review_shows_eligibility_and_the_three_warnings(client, manager, nominee, category, week):
    last_year = AwardCategoryFactory(week=WeekFactory(year=2025), name="Customer Hero")
    NominationFactory(nominee=nominee, category=last_year, approved=True)
    team_player = AwardCategoryFactory(week=week, name="Team Player")
    NominationFactory(nominee=nominee, category=team_player, approved=True)
    limited = AwardCategoryFactory(week=week, name="Rising Star", award_limit=1)
    NominationFactory(category=limited, approved=True)
    hero = NominationFactory(nominee=nominee, category=category, evidence_quote="Best service ever.")
    star = NominationFactory(nominee=nominee, category=limited)
    client.force_login(manager)
    response = client.get(reverse("recognition:review"))
    notes = {n.pk: n.note for n in response.context["nominations"]}
    assert notes[hero.pk].warnings == [
        "Nia Okafor already has an award this week: Team Player.",
        "Repeat winner: Nia Okafor won Customer Hero last year.",
    ]
    assert notes[hero.pk].eligible[1:] == [
        "Nia Okafor is in Front Line.",
        "Backed by the customer's own words.",
    ]
    assert notes[star.pk].warnings == [
        "Nia Okafor already has an award this week: Team Player.",
        "Rising Star has reached its limit of 1 award this week: "
        "it cannot be approved unless a coordinator raises the limit.",
    ]


def test_review_counts_each_limited_categorys_awards_from_the_nominations_index(
    client, manager, nominee, week
):
    """Counting from the categories joined every nomination of the week; from the nominations'
    side it reads the (category, status) index only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    limited = AwardCategoryFactory(week=week, name="Rising Star", award_limit=1)
    NominationFactory(nominee=nominee, category=limited)
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("recognition:review"))
    joined = [q["sql"] for q in queries if 'FROM "recognition_awardcategory" LEFT OUTER JOIN' in q["sql"]]
    assert joined == []


def test_approve_from_the_queue(client, manager, nomination):
    client.force_login(manager)
    response = client.post(
        reverse("recognition:approve", args=[nomination.pk]),
        {"comment": "Well done!", "next": "/nominations/review/?status=submitted"},
    )
    assert response["Location"] == "/nominations/review/?status=submitted"
    nomination.refresh_from_db()
    assert (nomination.status, nomination.review_comment, nomination.reviewed_by) == (
        "approved",
        "Well done!",
        manager,
    )


def test_approve_refused_at_the_award_limit_keeps_the_comment(client, manager, nominee, week):
    limited = AwardCategoryFactory(week=week, name="Rising Star", award_limit=1)
    NominationFactory(category=limited, approved=True)
    star = NominationFactory(nominee=nominee, category=limited)
    client.force_login(manager)
    response = client.post(
        reverse("recognition:approve", args=[star.pk]),
        {"comment": "Truly <b>great</b> work", "next": "/nominations/review/"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rising Star already has 1 award this week, its limit" in page
    assert "Truly &lt;b&gt;great&lt;/b&gt; work</textarea>" in page
    assert '<input type="hidden" name="next" value="/nominations/review/">' in page
    star.refresh_from_db()
    assert star.status == Nomination.Status.SUBMITTED


def test_approve_ignores_a_next_to_another_site(client, manager, nomination):
    client.force_login(manager)
    response = client.post(
        reverse("recognition:approve", args=[nomination.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("recognition:review")


def test_decline_without_comment_is_refused_and_keeps_the_page(client, manager, nomination):
    client.force_login(manager)
    response = client.post(reverse("recognition:decline", args=[nomination.pk]), {"comment": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "comment": ["Say why you decline it: the nominator reads this comment."]
    }
    assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.SUBMITTED


def test_decline_with_a_comment(client, manager, nomination):
    client.force_login(manager)
    response = client.post(
        reverse("recognition:decline", args=[nomination.pk]), {"comment": "Not this year."}
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.status, nomination.review_comment) == ("declined", "Not this year.")


def test_bulk_approve_with_one_comment_and_the_limit_reported(client, manager, team, week):
    category = AwardCategoryFactory(week=week, name="Rising Star", award_limit=2)
    nominations = NominationFactory.create_batch(3, category=category, nominee__team=team)
    client.force_login(manager)
    response = client.post(
        reverse("recognition:bulk_approve"),
        {"ids": [n.pk for n in nominations], "comment": "Thanks, team!"},
        follow=True,
    )
    page = response.content.decode()
    assert "2 nominations approved." in page
    assert "Rising Star already has 2 awards this week, its limit" in page
    assert list(Nomination.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved",
        "approved",
        "submitted",
    ]


def test_bulk_approve_with_nothing_ticked_says_so(client, manager, nomination):
    client.force_login(manager)
    response = client.post(reverse("recognition:bulk_approve"), {"comment": "x"}, follow=True)
    assert "Tick at least one nomination to approve." in response.content.decode()


# --- The wall ---------------------------------------------------------------------------------


def test_wall_shows_the_current_week_by_default_newest_first(client, agent, category):
    older = NominationFactory(category=category, announced=True)
    older.reviewed_at -= datetime.timedelta(hours=1)
    older.save()
    newer = NominationFactory(category=category, announced=True)
    NominationFactory(category=category)  # submitted: not on the wall
    NominationFactory(category=AwardCategoryFactory(week=WeekFactory(year=2025)), announced=True)
    client.force_login(agent)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 12, 0, tzinfo=datetime.UTC)):
        response = client.get(reverse("recognition:wall"))
    assert response.context["week"].year == 2026
    assert [a.pk for a in response.context["page"]] == [newer.pk, older.pk]


def test_wall_filters_by_week_category_and_team(client, agent, team, other_team, category, week):
    other_category = AwardCategoryFactory(week=week, name="Team Player")
    a = NominationFactory(category=category, nominee__team=team, announced=True)
    b = NominationFactory(category=other_category, nominee__team=other_team, announced=True)
    last_year = NominationFactory(category=AwardCategoryFactory(week=WeekFactory(year=2025)), announced=True)
    client.force_login(agent)
    url = reverse("recognition:wall")
    assert [x.pk for x in client.get(url, {"week": 2026, "category": "Team Player"}).context["page"]] == [
        b.pk
    ]
    assert [x.pk for x in client.get(url, {"week": 2026, "team": team.pk}).context["page"]] == [a.pk]
    assert [x.pk for x in client.get(url, {"week": 2025}).context["page"]] == [last_year.pk]
    assert client.get(url, {"week": 1999}).status_code == 404


def test_wall_paginates(client, agent, category):
    NominationFactory.create_batch(21, category=category, announced=True)
    client.force_login(agent)
    first = client.get(reverse("recognition:wall"), {"week": 2026})
    second = client.get(reverse("recognition:wall"), {"week": 2026, "page": 2})
    assert len(first.context["page"]) == 20
    assert len(second.context["page"]) == 1
    assert "week=2026&amp;page=2" in first.content.decode()


def test_anonymous_nominator_never_rendered_on_the_wall(client, other_agent, category):
    secret = AgentFactory(first_name="Hidden", last_name="Nominator", email="hidden.nominator@example.com")
    NominationFactory(category=category, nominator=secret, announced=True, anonymous=True)
    client.force_login(other_agent)
    page = client.get(reverse("recognition:wall"), {"week": 2026}).content.decode()
    assert "Nominated anonymously" in page
    assert "Hidden" not in page and "hidden.nominator" not in page


def test_reaction_toggles_through_htmx_with_counts(client, agent, category):
    award = NominationFactory(category=category, announced=True)
    Reaction.objects.create(nomination=award, user=AgentFactory(), kind="clap")
    client.force_login(agent)
    url = reverse("recognition:react", args=[award.pk])
    response = client.post(url, {"kind": "clap"}, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert fragment.lstrip().startswith("<form")
    assert '<span data-count="clap">2</span>' in fragment
    assert 'value="clap"\n            class="outline"\n            aria-pressed="true"' in fragment
    response = client.post(url, {"kind": "clap"}, HTTP_HX_REQUEST="true")
    assert '<span data-count="clap">1</span>' in response.content.decode()
    assert Reaction.objects.filter(user=agent).count() == 0


def test_reaction_without_javascript_redirects_back(client, agent, category):
    award = NominationFactory(category=category, announced=True)
    client.force_login(agent)
    response = client.post(
        reverse("recognition:react", args=[award.pk]), {"kind": "party", "next": "/wall/?week=2026&page=1"}
    )
    assert response["Location"] == "/wall/?week=2026&page=1"
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["party"]


def test_reaction_unknown_kind_is_400(client, agent, category):
    award = NominationFactory(category=category, announced=True)
    client.force_login(agent)
    response = client.post(
        reverse("recognition:react", args=[award.pk]), {"kind": "<b>"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert response.content.decode() == "Unknown reaction “<b>”. Choose clap, heart or party."
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_coordinator_exports_the_weeks_awards_as_csv(client, coordinator, team, category):
    nominee = AgentFactory(first_name="Ada", last_name="Lovelace", email="ada@example.com", team=team)
    nominator = AgentFactory(first_name="Bob", last_name="Smith")
    NominationFactory(
        category=category,
        nominee=nominee,
        nominator=nominator,
        announced=True,
        story='=HYPERLINK("http://evil") and a long enough story to pass.',
        evidence_quote="Wonderful.",
        evidence_reference="T-1",
    )
    NominationFactory(category=category, nominee__first_name="Zed", announced=True, anonymous=True)
    client.force_login(coordinator)
    response = client.get(reverse("recognition:wall_export"), {"week": 2026})
    assert response["Content-Disposition"] == 'attachment; filename="csweek-2026-awards.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
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
    assert rows[1][:8] == [
        "Customer Hero",
        "Ada Lovelace",
        "ada@example.com",
        "Front Line",
        "Bob Smith",
        '\'=HYPERLINK("http://evil") and a long enough story to pass.',
        "Wonderful.",
        "T-1",
    ]
    assert rows[2][4] == "(anonymous)"
    assert len(rows) == 3


def test_coordinator_announces_the_held_back_awards_after_asking(client, coordinator, category):
    award = NominationFactory(category=category, approved=True)
    client.force_login(coordinator)
    with time_machine.travel(datetime.datetime(2026, 10, 9, 9, 0, tzinfo=datetime.UTC), tick=False):
        ask = client.get(reverse("recognition:wall_announce"), {"week": 2026})
        assert "1 award is held back until their categories' announcement." in ask.content.decode()
        response = client.post(reverse("recognition:wall_announce"), {"week": 2026}, follow=True)
    assert "1 award announced." in response.content.decode()
    award.refresh_from_db()
    assert award.announced_at == datetime.datetime(2026, 10, 9, 9, 0, tzinfo=datetime.UTC)


def test_navigation_offers_review_only_to_reviewers(client, agent, manager):
    client.force_login(agent)
    labels = [item["label"] for item in client.get(reverse("recognition:wall")).context["nav_items"]]
    assert labels == ["Dashboard", "Schedule", "Surveys", "Wall", "Nominate", "My nominations", "Profile"]
    client.force_login(manager)
    labels = [item["label"] for item in client.get(reverse("recognition:wall")).context["nav_items"]]
    assert labels == [
        "Dashboard",
        "Schedule",
        "Surveys",
        "Reports",
        "People",
        "Wall",
        "Nominate",
        "My nominations",
        "Review",
        "Profile",
    ]


def test_reaction_on_an_award_of_a_draft_week_is_404_and_writes_nothing(client, agent):
    draft = WeekFactory(year=2031, status="draft")
    award = NominationFactory(category=AwardCategoryFactory(week=draft), approved=True)
    client.force_login(agent)
    response = client.post(reverse("recognition:react", args=[award.pk]), {"kind": "clap"})
    assert response.status_code == 404
    assert Reaction.objects.count() == 0


def test_announce_asks_saying_how_many_people_and_shows_one_email(client, coordinator, category):
    award = NominationFactory(category=category, approved=True)
    client.force_login(coordinator)
    active = User.objects.filter(is_active=True).count()
    with time_machine.travel(datetime.datetime(2026, 10, 9, 9, 0, tzinfo=datetime.UTC), tick=False):
        ask = client.get(reverse("recognition:wall_announce"), {"week": 2026})
    content = ask.content.decode()
    assert ask.context["recipients"] == active
    assert f"This will email {active} people." in content
    assert f"<li>{award.nominee.name}: {category.name}</li>" in content
    assert f"{category.name}: {award.nominee.name}" in ask.context["preview"]
    assert award.__class__.objects.get(pk=award.pk).announced_at is None


def test_wall_export_keeps_a_coordinators_own_award_under_embargo_out(client, coordinator, category):
    NominationFactory(
        category=category, nominee=coordinator, approved=True, story="Kept a secret from me, long enough."
    )
    NominationFactory(category=category, nominee__first_name="Zed", approved=True)
    client.force_login(coordinator)
    response = client.get(reverse("recognition:wall_export"), {"week": 2026})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[1] for row in rows[1:]] == [
        Nomination.objects.exclude(nominee=coordinator).get().nominee.name
    ]
    assert "Kept a secret" not in response.content.decode()
