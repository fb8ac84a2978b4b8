"""The ceremony: categories with windows and an announcement moment, managed by coordinators, and
awards held back (the embargo) until that moment, when beat announces them."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from outbox.models import Delivery
from recognition import selectors, services, tasks
from recognition.models import AwardCategory, Nomination
from tests.factories import AgentFactory, CoordinatorFactory
from tests.recognition.factories import STORY, AwardCategoryFactory, NominationFactory, WeekFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# Week 2026 (Europe/London, BST = UTC+1): Monday 5 to Friday 9 October.
OPENS = datetime.datetime(2026, 10, 4, 23, 0, tzinfo=UTC)  # Monday 00:00 BST
CLOSES = datetime.datetime(2026, 10, 8, 23, 0, tzinfo=UTC)  # Friday 00:00 BST
MOMENT = datetime.datetime(2026, 10, 9, 8, 0, tzinfo=UTC)  # Friday 09:00 BST
DURING = datetime.datetime(2026, 10, 6, 12, 0, tzinfo=UTC)
MINUTE = datetime.timedelta(minutes=1)


def errors_of(error) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in error.value.message_dict.items()}


@pytest.fixture
def hero(week):
    return AwardCategoryFactory(
        week=week, name="Customer Hero", opens_at=OPENS, closes_at=CLOSES, announce_at=MOMENT, award_limit=3
    )


@pytest.fixture
def approved(hero, agent, nominee, manager):
    """`agent` nominated `nominee` (in `manager`'s team) during the week; `manager` approved it."""
    with time_machine.travel(DURING, tick=False):
        nomination = services.nomination_create(nominator=agent, nominee=nominee, category=hero, story=STORY)
        return services.nomination_approve(nomination=nomination, by=manager)


def form_data(**overrides) -> dict:
    data = {
        "name": "Night Shift Star",
        "description": "Kept the lights on for customers overnight.",
        "eligible": "agents",
        "award_limit": "2",
        "opens_at": "2026-10-05T00:00",
        "closes_at": "2026-10-08T18:00",
        "announce_at": "2026-10-09T09:30",
    }
    return {**data, **overrides}


# --- Categories: services ---------------------------------------------------------------------


def test_category_create_adds_at_the_end_and_records_it(week, hero, coordinator):
    category = services.category_create(
        week=week,
        by=coordinator,
        name="  Problem Solver ",
        description="Fixed it for good.",
        eligible="everyone",
        award_limit=None,
        opens_at=OPENS,
        closes_at=CLOSES,
        announce_at=MOMENT,
        tell_nominee_early=False,
    )
    assert (category.name, category.position) == ("Problem Solver", hero.position + 1)
    entry = AuditEntry.objects.get(action="category.created")
    assert (entry.actor, entry.detail) == (coordinator, {"week": 2026, "name": "Problem Solver"})


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"closes_at": OPENS}, {"closes_at": ["Nominations must close after they open."]}),
        (
            {"announce_at": CLOSES - MINUTE},
            {"announce_at": ["Announce the awards once nominations have closed, not before."]},
        ),
        ({"name": "customer hero"}, {"name": ["2026 already has a category called “customer hero”."]}),
    ],
)
def test_category_create_refuses_with_a_message_per_field(week, hero, coordinator, changes, expected):
    fields = {
        "name": "Problem Solver",
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "announce_at": MOMENT,
        "eligible": "everyone",
    }
    with pytest.raises(ValidationError) as error:
        services.category_create(week=week, by=coordinator, **{**fields, **changes})
    assert errors_of(error) == expected
    assert AwardCategory.objects.filter(week=week).count() == 1


def test_category_services_refuse_a_manager(week, hero, manager):
    with pytest.raises(PermissionDenied):
        services.category_retire(category=hero, by=manager)
    with pytest.raises(PermissionDenied):
        services.category_move(category=hero, by=manager, direction="up")


def test_category_limit_cannot_drop_below_the_awards_given(hero, approved, coordinator):
    NominationFactory(category=hero, approved=True)
    with pytest.raises(ValidationError) as error:
        services.category_update(category=hero, by=coordinator, award_limit=1)
    assert errors_of(error) == {
        "award_limit": ["Customer Hero has already given 2 awards; the limit cannot be lower."]
    }


def test_category_move_swaps_with_its_neighbour(week, coordinator):
    first, _second, third = (
        AwardCategoryFactory(week=week, name=name, position=index)
        for index, name in enumerate(["A", "B", "C"])
    )
    services.category_move(category=third, by=coordinator, direction="up")
    assert list(week.award_categories.order_by("position").values_list("name", flat=True)) == ["A", "C", "B"]
    services.category_move(category=first, by=coordinator, direction="up")  # already first: no change
    assert list(week.award_categories.order_by("position").values_list("name", flat=True)) == ["A", "C", "B"]


def test_retired_category_takes_no_nomination_but_keeps_its_awards(hero, approved, coordinator, other_agent):
    services.category_retire(category=hero, by=coordinator, now=DURING)
    with time_machine.travel(DURING, tick=False), pytest.raises(ValidationError) as error:
        services.nomination_create(
            nominator=other_agent, nominee=approved.nominee, category=hero, story=STORY
        )
    assert errors_of(error) == {
        "category": ["Customer Hero is retired and takes no new nominations; choose another category."]
    }
    assert list(hero.nominations.filter(status=Nomination.Status.APPROVED)) == [approved]
    with time_machine.travel(DURING, tick=False):
        assert hero not in selectors.categories_open()


def test_category_for_managers_only_refuses_an_agent(week, agent, nominee, manager, other_manager):
    leaders = AwardCategoryFactory(
        week=week,
        name="Leader Who Serves",
        eligible="managers",
        opens_at=OPENS,
        closes_at=CLOSES,
        announce_at=MOMENT,
    )
    with time_machine.travel(DURING, tick=False):
        with pytest.raises(ValidationError) as error:
            services.nomination_create(nominator=agent, nominee=nominee, category=leaders, story=STORY)
        assert errors_of(error) == {
            "nominee": [
                "Leader Who Serves is for managers only; Nia Okafor is not a manager. "
                "Choose another category."
            ]
        }
        services.nomination_create(nominator=agent, nominee=other_manager, category=leaders, story=STORY)


def test_copy_last_year_moves_the_moments_to_this_week_and_skips_retired_and_namesakes(coordinator):
    last = WeekFactory(year=2025)  # Monday 6 October 2025
    AwardCategoryFactory(
        week=last,
        name="Team Player",
        eligible="agents",
        tell_nominee_early=True,
        opens_at=datetime.datetime(2025, 10, 5, 23, 0, tzinfo=UTC),
        closes_at=datetime.datetime(2025, 10, 9, 23, 0, tzinfo=UTC),
        announce_at=datetime.datetime(2025, 10, 10, 8, 0, tzinfo=UTC),
    )
    AwardCategoryFactory(week=last, name="Old Idea", retired_at=datetime.datetime(2025, 9, 1, tzinfo=UTC))
    AwardCategoryFactory(week=last, name="Customer Hero")
    week = WeekFactory(year=2026)
    AwardCategoryFactory(week=week, name="Customer Hero")
    (copy,) = services.categories_copy_last_year(week=week, by=coordinator)
    assert (copy.name, copy.eligible, copy.tell_nominee_early) == ("Team Player", "agents", True)
    # 364 days on, the same local times (BST both years).
    assert (copy.opens_at, copy.closes_at, copy.announce_at) == (
        datetime.datetime(2026, 10, 4, 23, 0, tzinfo=UTC),
        datetime.datetime(2026, 10, 8, 23, 0, tzinfo=UTC),
        datetime.datetime(2026, 10, 9, 8, 0, tzinfo=UTC),
    )
    assert AuditEntry.objects.get(action="categories.copied").detail == {
        "from": 2025,
        "names": ["Team Player"],
    }


def test_copy_last_year_without_an_earlier_week_says_so(coordinator):
    with pytest.raises(ValidationError) as error:
        services.categories_copy_last_year(week=WeekFactory(year=2026), by=coordinator)
    assert error.value.messages == ["There is no earlier week with award categories to copy."]


# --- Categories: pages ------------------------------------------------------------------------


def test_category_new_reads_local_times_in_the_weeks_zone(client, week, coordinator):
    coordinator.time_zone = "Asia/Tokyo"  # the viewer's zone does not change what the times mean
    coordinator.save()
    client.force_login(coordinator)
    response = client.post(reverse("recognition:category_new", args=[2026]), form_data())
    assert response.status_code == 302
    category = AwardCategory.objects.get(week=week, name="Night Shift Star")
    assert (category.opens_at, category.closes_at, category.announce_at) == (
        datetime.datetime(2026, 10, 4, 23, 0, tzinfo=UTC),
        datetime.datetime(2026, 10, 8, 17, 0, tzinfo=UTC),
        datetime.datetime(2026, 10, 9, 8, 30, tzinfo=UTC),
    )
    assert (category.eligible, category.award_limit, category.tell_nominee_early) == ("agents", 2, False)


def test_category_new_refused_keeps_what_was_typed(client, week, coordinator):
    client.force_login(coordinator)
    typed = form_data(name="Night <b>Shift</b>", announce_at="2026-10-08T17:00", award_limit="0")
    response = client.post(reverse("recognition:category_new", args=[2026]), typed)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "award_limit": ["The award limit must be at least 1 (leave it empty for no limit)."],
        "announce_at": ["Announce the awards once nominations have closed, not before."],
    }
    content = response.content.decode()
    assert 'value="Night &lt;b&gt;Shift&lt;/b&gt;"' in content
    assert 'value="2026-10-08T17:00"' in content
    assert AwardCategory.objects.filter(week=week).count() == 0


@pytest.mark.parametrize("typed", ["9999-12-31T23:59", "0001-01-01T00:00", "2026-13-01T09:00", "soon"])
def test_category_new_refuses_dates_far_from_the_week_or_malformed(client, week, coordinator, typed):
    client.force_login(coordinator)
    response = client.post(reverse("recognition:category_new", args=[2026]), form_data(closes_at=typed))
    assert response.status_code == 200
    assert response.context["form"].errors["closes_at"] in (
        ["Choose a date within a year of the week (5 October 2026)."],
        ["Enter a date and time, such as 2027-10-04 09:00."],
    )
    assert f'value="{typed}"' in response.content.decode()


def test_category_new_from_the_library_starts_with_its_fields_and_the_weeks_defaults(
    client, week, coordinator
):
    client.force_login(coordinator)
    response = client.get(reverse("recognition:category_new", args=[2026]), {"library": "Rising Star"})
    form = response.context["form"]
    assert form.initial["name"] == "Rising Star"
    assert form.initial["eligible"] == "agents"
    assert form.initial["award_limit"] == 2
    # Monday 00:00, end of Thursday, Friday 09:00 (no day themed recognition): in the week's zone.
    assert [form.initial[name] for name in ("opens_at", "closes_at", "announce_at")] == [
        datetime.datetime(2026, 10, 5, 0, 0),
        datetime.datetime(2026, 10, 9, 0, 0),
        datetime.datetime(2026, 10, 9, 9, 0),
    ]
    assert 'value="2026-10-09T09:00"' in response.content.decode()


def test_categories_page_lists_the_library_without_what_the_week_has(client, hero, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("recognition:categories", args=[2026]))
    names = [entry[0] for entry in response.context["library"]]
    assert "Customer Hero" not in names
    assert names[:2] == ["Service with Respect Award", "Team Player"]
    assert [c.name for c in response.context["categories"]] == ["Customer Hero"]


def test_category_edit_changes_the_moment_and_the_surprise(client, hero, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("recognition:category_edit", args=[2026, hero.pk]),
        form_data(name="Customer Hero", announce_at="2026-10-09T12:00", tell_nominee_early="on"),
    )
    assert response.status_code == 302
    hero.refresh_from_db()
    assert hero.announce_at == datetime.datetime(2026, 10, 9, 11, 0, tzinfo=UTC)
    assert hero.tell_nominee_early is True
    assert AuditEntry.objects.filter(action="category.updated").count() == 1


def test_category_of_another_week_is_404(client, hero, coordinator):
    WeekFactory(year=2027)
    client.force_login(coordinator)
    assert client.get(reverse("recognition:category_edit", args=[2027, hero.pk])).status_code == 404
    assert client.post(reverse("recognition:category_retire", args=[2027, hero.pk])).status_code == 404


def test_category_move_without_javascript_redirects_and_with_htmx_answers_the_table(
    client, week, coordinator
):
    AwardCategoryFactory(week=week, name="A", position=0)
    b = AwardCategoryFactory(week=week, name="B", position=1)
    client.force_login(coordinator)
    url = reverse("recognition:category_move", args=[2026, b.pk])
    assert client.post(url, {"direction": "up"}).status_code == 302
    assert list(week.award_categories.order_by("position").values_list("name", flat=True)) == ["B", "A"]
    response = client.post(url, {"direction": "down"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="category-table"')
    assert "<h1>" not in content
    assert list(week.award_categories.order_by("position").values_list("name", flat=True)) == ["A", "B"]
    assert client.post(url, {"direction": "sideways"}).status_code == 400


def test_category_retire_asks_first(client, hero, approved, coordinator):
    client.force_login(coordinator)
    url = reverse("recognition:category_retire", args=[2026, hero.pk])
    ask = client.get(url)
    assert "Its 1 award and its 1 nomination stay as they are" in ask.content.decode()
    hero.refresh_from_db()
    assert hero.retired_at is None
    client.post(url)
    hero.refresh_from_db()
    assert hero.retired_at is not None
    page = client.get(reverse("recognition:categories", args=[2026])).content.decode()
    assert "Retired</span>" in page
    restore = reverse("recognition:category_restore", args=[2026, hero.pk])
    assert client.get(restore).status_code == 405
    client.post(restore)
    hero.refresh_from_db()
    assert hero.retired_at is None
    assert [e.action for e in AuditEntry.objects.order_by("pk") if e.action.startswith("category.")] == [
        "category.retired",
        "category.restored",
    ]


def test_navigation_entry_opens_the_coming_weeks_categories(client, coordinator):
    client.force_login(coordinator)
    url = reverse("recognition:categories_current")
    assert client.get(url).url == reverse("events:week_list")
    WeekFactory(year=2026)
    WeekFactory(year=2027)
    with time_machine.travel(DURING, tick=False):
        assert client.get(url).url == reverse("recognition:categories", args=[2026])
    with time_machine.travel(datetime.datetime(2026, 11, 30, 12, 0, tzinfo=UTC), tick=False):
        assert client.get(url).url == reverse("recognition:categories", args=[2027])


def test_week_plan_links_to_the_categories(client, week, coordinator):
    client.force_login(coordinator)
    content = client.get(reverse("events:week_plan", args=[2026])).content.decode()
    assert f'href="{reverse("recognition:categories", args=[2026])}"' in content


@pytest.mark.parametrize("size", [3, 300])
def test_categories_page_query_count_is_fixed(client, week, coordinator, size, django_assert_num_queries):
    AwardCategory.objects.bulk_create(
        [
            AwardCategory(
                week=week,
                name=f"Category {i}",
                opens_at=OPENS,
                closes_at=CLOSES,
                announce_at=MOMENT,
                position=i,
            )
            for i in range(size)
        ]
    )
    client.force_login(coordinator)
    client.get(reverse("recognition:categories", args=[2026]))  # warm the session and caches
    with django_assert_num_queries(CATEGORIES_QUERIES):
        response = client.get(reverse("recognition:categories", args=[2026]))
    assert response.context["page"].paginator.count == size


CATEGORIES_QUERIES = 8


# --- The embargo ------------------------------------------------------------------------------


def wall_names(client, user) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("recognition:wall"), {"week": 2026})
    return [award.nominee.name for award in response.context["page"].object_list]


def test_embargo_before_the_moment_only_reviewers_and_coordinators_see_the_award(
    client, approved, agent, nominee, manager, other_manager, other_agent, coordinator, mailoutbox
):
    with time_machine.travel(MOMENT - MINUTE, tick=False):
        assert tasks.awards_announce_due.apply().get() == 0
        assert wall_names(client, manager) == ["Nia Okafor"]
        assert wall_names(client, coordinator) == ["Nia Okafor"]
        for person in (agent, nominee, other_agent, other_manager):
            assert wall_names(client, person) == []
        client.force_login(manager)
        content = client.get(reverse("recognition:wall"), {"week": 2026}).content.decode()
        assert "To be announced on 9 Oct 2026, 09:00 Europe/London" in content
        client.force_login(nominee)
        assert list(client.get(reverse("recognition:mine")).context["received"]) == []
        client.force_login(agent)
        assert (
            "Reviewed: the result is announced on 9 Oct 2026, 09:00"
            in client.get(reverse("recognition:mine")).content.decode()
        )
    assert not Delivery.objects.filter(kind__in=["award_received", "nomination_decided"]).exists()
    approved.refresh_from_db()
    assert approved.announced_at is None


def test_embargo_lifts_at_the_moment_beat_announces_once(
    client, approved, agent, nominee, other_agent, django_capture_on_commit_callbacks, mailoutbox
):
    with time_machine.travel(MOMENT + MINUTE, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.awards_announce_due.apply().get() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.awards_announce_due.apply().get() == 0  # run again: nothing more
        assert wall_names(client, other_agent) == ["Nia Okafor"]
        client.force_login(nominee)
        assert [a.pk for a in client.get(reverse("recognition:mine")).context["received"]] == [approved.pk]
    approved.refresh_from_db()
    assert approved.announced_at == MOMENT
    personal = sorted(
        Delivery.objects.filter(kind__in=["award_received", "nomination_decided"]).values_list(
            "kind", "address", "occurrence", "status"
        )
    )
    assert personal == [
        ("award_received", "nominee@example.com", "", "sent"),
        ("nomination_decided", "agent@example.com", "approved", "sent"),
    ]
    assert sorted(
        m.subject for m in mailoutbox if m.to in (["agent@example.com"], ["nominee@example.com"])
    ) == [
        "Congratulations! You received an award: Customer Hero",
        "The awards of Customer Service Week 2026",
        "The awards of Customer Service Week 2026",
        "Your nomination of Nia Okafor was approved",
    ]
    assert Delivery.objects.filter(kind="award_announcement").values("occurrence").distinct().count() == 1


def test_a_category_that_tells_early_emails_the_nominee_at_approval_only_once(
    client, hero, agent, nominee, manager, django_capture_on_commit_callbacks, mailoutbox
):
    hero.tell_nominee_early = True
    hero.save()
    with time_machine.travel(DURING, tick=False):
        nomination = services.nomination_create(nominator=agent, nominee=nominee, category=hero, story=STORY)
        with django_capture_on_commit_callbacks(execute=True):
            services.nomination_approve(nomination=nomination, by=manager)
        (early,) = [m for m in mailoutbox if m.to == ["nominee@example.com"]]
        assert "It will be announced to everyone on 9 October 2026, 09:00 (Europe/London)" in early.body
        assert "/wall/" not in early.body
        client.force_login(nominee)
        mine = client.get(reverse("recognition:mine"))
        assert [a.pk for a in mine.context["received"]] == [nomination.pk]
        assert "To be announced on 9 Oct 2026, 09:00" in mine.content.decode()
        assert wall_names(client, AgentFactory()) == []
    with time_machine.travel(MOMENT, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.awards_announce_due()
    assert list(Delivery.objects.filter(kind="award_received").values_list("address", "status")) == [
        ("nominee@example.com", "sent")
    ]


def test_approval_after_the_moment_is_announced_at_once(hero, agent, nominee, manager):
    with time_machine.travel(DURING, tick=False):
        nomination = services.nomination_create(nominator=agent, nominee=nominee, category=hero, story=STORY)
    with time_machine.travel(MOMENT + datetime.timedelta(hours=3), tick=False):
        services.nomination_approve(nomination=nomination, by=manager)
    nomination.refresh_from_db()
    assert nomination.announced_at == MOMENT
    assert sorted(
        Delivery.objects.filter(kind__in=["award_received", "nomination_decided"]).values_list(
            "kind", flat=True
        )
    ) == ["award_received", "nomination_decided"]
    assert not Delivery.objects.filter(kind="award_announcement").exists()


def test_a_draft_weeks_awards_wait_for_it_to_be_published(week, approved):
    week.status = week.Status.DRAFT
    week.save()
    with time_machine.travel(MOMENT + MINUTE, tick=False):
        assert services.awards_announce_due() == 0
        week.status = week.Status.PUBLISHED
        week.save()
        assert services.awards_announce_due() == 1


def test_dashboard_hides_the_agents_award_until_announced(client, approved, nominee, agent):
    with time_machine.travel(MOMENT - MINUTE, tick=False):
        client.force_login(nominee)
        assert client.get(reverse("dashboard")).context["agent"].awards == []
        client.force_login(agent)
        assert "reviewed, the result is announced on" in client.get(reverse("dashboard")).content.decode()
    with time_machine.travel(MOMENT + MINUTE, tick=False):
        services.awards_announce_due()
        client.force_login(nominee)
        assert [a.pk for a in client.get(reverse("dashboard")).context["agent"].awards] == [approved.pk]


def test_approving_says_until_when_the_award_is_held_back(client, hero, agent, nominee, manager):
    manager.time_zone = "America/New_York"  # the reviewer reads the moment in their own zone
    manager.save()
    with time_machine.travel(DURING, tick=False):
        nomination = services.nomination_create(nominator=agent, nominee=nominee, category=hero, story=STORY)
        client.force_login(manager)
        response = client.post(reverse("recognition:approve", args=[nomination.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Nia Okafor's nomination for Customer Hero is approved. It stays between its reviewers and the "
        "coordinators until its announcement on 9 October 2026, 04:00 (America/New_York)."
    ]


def test_reaction_refused_while_held_back(client, approved, other_agent):
    client.force_login(other_agent)
    response = client.post(reverse("recognition:react", args=[approved.pk]), {"kind": "clap"})
    assert response.status_code == 404


# --- Announce now -----------------------------------------------------------------------------


def test_announce_now_asks_saying_how_many_people_then_announces(client, hero, approved, coordinator):
    client.force_login(coordinator)
    url = reverse("recognition:category_announce", args=[2026, hero.pk])
    with time_machine.travel(DURING, tick=False):
        ask = client.get(url)
        # Everyone active keeps nomination news on: agent, nominee, manager, coordinator.
        assert ask.context["recipients"] == 4
        assert "This will email 4 people." in ask.content.decode()
        approved.refresh_from_db()
        assert approved.announced_at is None
        response = client.post(url, follow=True)
    assert "1 award announced." in response.content.decode()
    approved.refresh_from_db()
    assert approved.announced_at == DURING
    entry = AuditEntry.objects.get(action="awards.announced")
    assert entry.detail == {"count": 1, "category": "Customer Hero"}


def test_announce_now_counts_only_the_people_it_will_email(hero, approved, agent, nominee, coordinator):
    from outbox.models import EmailOptOut

    week = hero.week
    week.status = week.Status.DRAFT  # no email to everyone: only the nominee and the nominator
    week.save()
    assert selectors.announcement_recipients_count(week=week) == 2
    EmailOptOut.objects.create(user=agent, preference="email_recognition")
    assert selectors.announcement_recipients_count(week=week) == 1
    hero.tell_nominee_early = True  # the nominee heard at approval: not emailed again
    hero.save()
    assert selectors.announcement_recipients_count(week=week) == 0
    hero.tell_nominee_early = False
    hero.save()
    nominee.is_active = False
    nominee.save()
    assert selectors.announcement_recipients_count(week=week) == 0


def test_announce_now_refused_to_a_manager(client, hero, approved, manager):
    client.force_login(manager)
    assert client.post(reverse("recognition:category_announce", args=[2026, hero.pk])).status_code == 403
    approved.refresh_from_db()
    assert approved.announced_at is None


def test_announce_now_with_nothing_held_back_says_so(client, hero, coordinator):
    client.force_login(CoordinatorFactory())
    response = client.get(reverse("recognition:category_announce", args=[2026, hero.pk]))
    assert "there is nothing to announce" in response.content.decode()


def test_announcement_posts_each_award_once_to_the_webhooks_that_take_awards(
    approved, coordinator, django_capture_on_commit_callbacks
):
    from outbox.services import chat_webhook_create

    awards_hook = chat_webhook_create(
        by=coordinator,
        name="Front line",
        service="slack",
        url="https://hooks.example.com/a",
        topics=["awards"],
    )
    chat_webhook_create(
        by=coordinator,
        name="Managers",
        service="teams",
        url="https://hooks.example.com/b",
        topics=["announcements"],
    )
    with time_machine.travel(MOMENT - MINUTE, tick=False), django_capture_on_commit_callbacks():
        assert services.awards_announce_due() == 0
    assert not Delivery.objects.filter(channel=Delivery.Channel.CHAT).exists()  # held back: no post
    with time_machine.travel(MOMENT + MINUTE, tick=False), django_capture_on_commit_callbacks():
        assert services.awards_announce_due() == 1
        assert services.awards_announce_due() == 0
    posts = list(Delivery.objects.filter(channel=Delivery.Channel.CHAT))
    assert [(p.object_id, p.occurrence, p.status) for p in posts] == [
        (awards_hook.pk, f"award:{approved.pk}", Delivery.Status.PENDING)
    ]
    assert "Customer Hero: Nia Okafor" in str(posts[0].payload)


def test_moving_the_announcement_into_the_past_with_awards_held_back_is_refused(hero, approved, coordinator):
    """It would announce them and email everyone at the next beat, without the mass-email question."""
    after_close = CLOSES + datetime.timedelta(hours=2)
    with time_machine.travel(after_close + MINUTE, tick=False):
        with pytest.raises(ValidationError) as error:
            services.category_update(category=hero, by=coordinator, announce_at=after_close)
        assert "holds back 1 award" in errors_of(error)["announce_at"][0]
        hero.refresh_from_db()
        assert hero.announce_at == MOMENT
        # A later moment is fine, and so is a past one once nothing is held back.
        services.category_update(
            category=hero, by=coordinator, announce_at=after_close + datetime.timedelta(hours=1)
        )
        services.awards_announce_now(week=hero.week, by=coordinator)
        services.category_update(category=hero, by=coordinator, announce_at=after_close)
    hero.refresh_from_db()
    assert hero.announce_at == after_close
