"""The rules of nominating, reviewing and reacting, enforced by the services and the database."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from events.models import Week
from recognition import services
from recognition.models import AwardCategory, Nomination, Reaction
from tests.factories import AgentFactory, ManagerFactory
from tests.recognition.factories import STORY, AwardCategoryFactory, NominationFactory, WeekFactory

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in errors] for field, errors in error.value.message_dict.items()}


# --- Categories -------------------------------------------------------------------------------


def test_categories_create_defaults_gives_the_five_categories_with_the_window_in_the_week_zone():
    week = WeekFactory(year=2026, time_zone="America/New_York")
    created = services.categories_create_defaults(week=week)
    assert [c.name for c in created] == [
        "Customer Hero",
        "Service with Respect Award",
        "Team Player",
        "Rising Star",
        "Above and Beyond",
    ]
    hero = AwardCategory.objects.get(week=week, name="Customer Hero")
    # Monday 5 October 2026 at 00:00 in New York (EDT, UTC-4) ...
    assert hero.opens_at == datetime.datetime(2026, 10, 5, 4, 0, tzinfo=datetime.UTC)
    # ... until the end of the day before Recognition Day (no day themed so: the Friday) ...
    assert hero.closes_at == datetime.datetime(2026, 10, 9, 4, 0, tzinfo=datetime.UTC)
    # ... announced at 09:00 on that Friday, a surprise for the nominee.
    assert hero.announce_at == datetime.datetime(2026, 10, 9, 13, 0, tzinfo=datetime.UTC)
    assert (hero.award_limit, hero.tell_nominee_early, hero.eligible) == (3, False, "everyone")


def test_default_moments_follow_the_day_themed_recognition(coordinator):
    from events.services import week_create

    week = week_create(by=coordinator, year=2027, time_zone="Europe/London")  # Monday 4 October 2027
    week.day_themes.update(title="Quiet day")
    week.day_themes.filter(date=datetime.date(2027, 10, 6)).update(title="Recognition and thanks")
    moments = services.category_default_moments(week=week)
    assert services.recognition_day(week=week) == datetime.date(2027, 10, 6)
    assert moments.opens_at == datetime.datetime(2027, 10, 3, 23, 0, tzinfo=datetime.UTC)  # 00:00 BST
    assert moments.closes_at == datetime.datetime(2027, 10, 5, 23, 0, tzinfo=datetime.UTC)  # end of Tuesday
    assert moments.announce_at == datetime.datetime(2027, 10, 6, 8, 0, tzinfo=datetime.UTC)  # 09:00 BST


def test_categories_create_defaults_twice_creates_nothing_more():
    week = WeekFactory(year=2026)
    services.categories_create_defaults(week=week)
    assert services.categories_create_defaults(week=week) == []
    assert AwardCategory.objects.filter(week=week).count() == 5


def test_week_cloned_signal_copies_categories_with_the_window_shifted_at_the_same_local_time():
    from events.signals import week_cloned

    source = WeekFactory(year=2026, time_zone="Europe/London")  # Monday 5 October 2026
    AwardCategoryFactory(
        week=source,
        name="Team Player",
        description="Lifts the team.",
        award_limit=2,
        # 09:00 BST on 1 October and 17:00 BST on 9 October.
        opens_at=datetime.datetime(2026, 10, 1, 8, 0, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2026, 10, 9, 16, 0, tzinfo=datetime.UTC),
    )
    target = WeekFactory(year=2027, time_zone="Europe/London")  # Monday 4 October 2027: 364 days later
    week_cloned.send(sender=Week, source=source, target=target)
    copy = AwardCategory.objects.get(week=target)
    assert (copy.name, copy.description, copy.award_limit) == ("Team Player", "Lifts the team.", 2)
    assert copy.opens_at == datetime.datetime(2027, 9, 30, 8, 0, tzinfo=datetime.UTC)
    assert copy.closes_at == datetime.datetime(2027, 10, 8, 16, 0, tzinfo=datetime.UTC)


def test_category_copy_keeps_local_time_across_a_daylight_saving_change():
    source = WeekFactory(year=2026, time_zone="Europe/London")
    # 09:00 GMT on Monday 26 October 2026 (after the clocks went back)...
    category = AwardCategoryFactory(
        week=source,
        opens_at=datetime.datetime(2026, 9, 28, 8, 0, tzinfo=datetime.UTC),  # 09:00 BST
        closes_at=datetime.datetime(2026, 10, 26, 9, 0, tzinfo=datetime.UTC),  # 09:00 GMT
    )
    target = WeekFactory(year=2027, time_zone="Europe/London")
    copy = services.categories_copy(source=source, target=target)[0]
    assert copy.name == category.name
    # 364 days later, still 09:00 local: 27 September 2027 BST and 25 October 2027 BST (clocks change 31 Oct).
    assert copy.opens_at == datetime.datetime(2027, 9, 27, 8, 0, tzinfo=datetime.UTC)
    assert copy.closes_at == datetime.datetime(2027, 10, 25, 8, 0, tzinfo=datetime.UTC)


def test_moving_the_week_moves_its_nomination_windows_at_the_same_local_time(coordinator):
    from events.services import week_update

    week = WeekFactory(year=2026, time_zone="Europe/London")  # Monday 5 October 2026
    services.categories_create_defaults(week=week)
    category = AwardCategory.objects.get(week=week, name="Customer Hero")
    # Monday at 00:00 BST, until Friday 00:00 BST, announced Friday 09:00 BST.
    assert category.opens_at == datetime.datetime(2026, 10, 4, 23, 0, tzinfo=datetime.UTC)
    assert category.announce_at == datetime.datetime(2026, 10, 9, 8, 0, tzinfo=datetime.UTC)
    week_update(
        by=coordinator,
        week=week,
        theme="",
        description="",
        time_zone="Asia/Kolkata",
        starts_on=datetime.date(2026, 11, 2),  # four weeks later, across London's change to GMT
    )
    category.refresh_from_db()
    # 00:00, 00:00 and 09:00 local, 28 days on, now read in Kolkata (UTC+5:30).
    assert category.opens_at == datetime.datetime(2026, 11, 1, 18, 30, tzinfo=datetime.UTC)
    assert category.closes_at == datetime.datetime(2026, 11, 5, 18, 30, tzinfo=datetime.UTC)
    assert category.announce_at == datetime.datetime(2026, 11, 6, 3, 30, tzinfo=datetime.UTC)


# --- Creating a nomination --------------------------------------------------------------------


def test_nomination_create_saves_a_submitted_nomination_with_the_week_of_its_category(
    agent, nominee, category
):
    nomination = services.nomination_create(
        nominator=agent,
        nominee=nominee,
        category=category,
        story=f"  {STORY}  ",
        evidence_quote=" Best help I ever had. ",
        evidence_reference="TICKET-4411",
        anonymous=True,
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED
    assert nomination.week_id == category.week_id
    assert nomination.story == STORY
    assert (nomination.evidence_quote, nomination.evidence_reference) == (
        "Best help I ever had.",
        "TICKET-4411",
    )
    assert nomination.anonymous is True


def test_nomination_create_refuses_self_nomination(agent, category):
    with pytest.raises(ValidationError) as error:
        services.nomination_create(nominator=agent, nominee=agent, category=category, story=STORY)
    assert messages_of(error) == {
        "nominee": ["You cannot nominate yourself; nominate a colleague who deserves it."]
    }
    assert Nomination.objects.count() == 0


def test_database_refuses_self_nomination(agent, category):
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            week=category.week, category=category, nominator=agent, nominee=agent, story=STORY
        )


def test_nomination_create_refuses_a_duplicate(agent, nominee, category):
    services.nomination_create(nominator=agent, nominee=nominee, category=category, story=STORY)
    with pytest.raises(ValidationError) as error:
        services.nomination_create(
            nominator=agent, nominee=nominee, category=category, story=STORY + " Again."
        )
    assert messages_of(error) == {
        "nominee": [
            "You have already nominated Nia Okafor for Customer Hero this week; choose another category."
        ]
    }
    assert Nomination.objects.count() == 1


def test_nomination_create_refuses_a_duplicate_even_after_withdrawing(agent, nominee, category):
    first = services.nomination_create(nominator=agent, nominee=nominee, category=category, story=STORY)
    services.nomination_withdraw(nomination=first, by=agent)
    with pytest.raises(ValidationError) as error:
        services.nomination_create(nominator=agent, nominee=nominee, category=category, story=STORY)
    assert messages_of(error)["nominee"] == [
        "You have already nominated Nia Okafor for Customer Hero this week (and withdrew it); "
        "choose another category."
    ]


def test_database_refuses_a_duplicate(agent, nominee, category):
    NominationFactory(nominator=agent, nominee=nominee, category=category)
    with pytest.raises(IntegrityError), transaction.atomic():
        NominationFactory(nominator=agent, nominee=nominee, category=category)


def test_same_colleague_in_another_category_is_accepted(agent, nominee, category, week):
    other = AwardCategoryFactory(week=week, name="Team Player")
    services.nomination_create(nominator=agent, nominee=nominee, category=category, story=STORY)
    services.nomination_create(nominator=agent, nominee=nominee, category=other, story=STORY)
    assert Nomination.objects.filter(nominee=nominee).count() == 2


@pytest.mark.parametrize(
    ("now", "message"),
    [
        (
            datetime.datetime(2026, 9, 1, 12, 0, tzinfo=datetime.UTC),
            "Nominations for Rising Star open on 5 October 2026, 00:00 (Europe/London).",
        ),
        (
            datetime.datetime(2026, 10, 9, 16, 0, tzinfo=datetime.UTC),
            "Nominations for Rising Star closed on 9 October 2026, 00:00 (Europe/London).",
        ),
    ],
)
def test_nomination_create_refuses_outside_the_window(agent, nominee, week, now, message):
    services.categories_create_defaults(week=week)
    category = AwardCategory.objects.get(week=week, name="Rising Star")
    with time_machine.travel(now, tick=False), pytest.raises(ValidationError) as error:
        services.nomination_create(nominator=agent, nominee=nominee, category=category, story=STORY)
    # agent's zone is Europe/London: the window (in the week's zone, Europe/London) shows as BST.
    assert messages_of(error) == {"category": [message]}


def test_nomination_create_accepts_on_the_last_minute_of_the_window(agent, nominee, week):
    services.categories_create_defaults(week=week)
    category = AwardCategory.objects.get(week=week, name="Rising Star")
    with time_machine.travel(datetime.datetime(2026, 10, 8, 22, 59, 59, tzinfo=datetime.UTC), tick=False):
        nomination = services.nomination_create(
            nominator=agent, nominee=nominee, category=category, story=STORY
        )
    assert nomination.created_at == datetime.datetime(2026, 10, 8, 22, 59, 59, tzinfo=datetime.UTC)


def test_nomination_create_refuses_a_draft_week(agent, nominee):
    category = AwardCategoryFactory(week=WeekFactory(year=2028, status=Week.Status.DRAFT))
    with pytest.raises(ValidationError) as error:
        services.nomination_create(nominator=agent, nominee=nominee, category=category, story=STORY)
    assert messages_of(error) == {"category": ["This week is not published yet."]}


@pytest.mark.parametrize(
    ("story", "message"),
    [
        (
            "Great job!",
            "Tell the story in at least 30 characters: what they did and why it mattered (you wrote 10).",
        ),
        ("x" * 2001, "Keep the story to 2000 characters (you wrote 2001)."),
    ],
)
def test_nomination_create_refuses_a_story_too_short_or_too_long(agent, nominee, category, story, message):
    with pytest.raises(ValidationError) as error:
        services.nomination_create(nominator=agent, nominee=nominee, category=category, story=story)
    assert messages_of(error) == {"story": [message]}


def test_database_refuses_a_story_too_short(agent, nominee, category):
    with pytest.raises(IntegrityError), transaction.atomic():
        NominationFactory(nominator=agent, nominee=nominee, category=category, story="Too short.")


def test_nomination_create_refuses_an_inactive_nominee(agent, category):
    gone = AgentFactory(first_name="Gone", last_name="Away", is_active=False)
    with pytest.raises(ValidationError) as error:
        services.nomination_create(nominator=agent, nominee=gone, category=category, story=STORY)
    assert messages_of(error) == {"nominee": ["Gone Away no longer has an active account."]}


@override_settings(RECOGNITION_DAILY_NOMINATION_LIMIT=3)
def test_nomination_create_refuses_past_the_daily_limit(agent, category):
    start = datetime.datetime(2026, 10, 6, 9, 0, tzinfo=datetime.UTC)
    category.opens_at, category.closes_at = (
        start - datetime.timedelta(days=5),
        start + datetime.timedelta(days=5),
    )
    category.save()
    colleagues = AgentFactory.create_batch(5)
    for minutes, colleague in enumerate(colleagues[:3]):
        services.nomination_create(
            nominator=agent,
            nominee=colleague,
            category=category,
            story=STORY,
            now=start + datetime.timedelta(minutes=minutes),
        )
    with pytest.raises(ValidationError) as error:
        services.nomination_create(
            nominator=agent,
            nominee=colleagues[3],
            category=category,
            story=STORY,
            now=start + datetime.timedelta(hours=5),
        )
    assert error.value.messages == [
        "You have sent 3 nominations in the last 24 hours, the most allowed. You can send the next one after "
        "7 October 2026, 10:00 (Europe/London); your story is kept below."
    ]
    # 24 hours after the first one, one more fits.
    services.nomination_create(
        nominator=agent,
        nominee=colleagues[3],
        category=category,
        story=STORY,
        now=start + datetime.timedelta(hours=24),
    )
    assert Nomination.objects.filter(nominator=agent).count() == 4


def test_daily_limit_defaults_to_20_from_the_settings(settings):
    assert settings.RECOGNITION_DAILY_NOMINATION_LIMIT == 20
    assert services.daily_limit() == 20


def test_daily_limit_counts_each_nominator_separately(agent, category, settings):
    settings.RECOGNITION_DAILY_NOMINATION_LIMIT = 1
    other = AgentFactory()
    services.nomination_create(nominator=agent, nominee=AgentFactory(), category=category, story=STORY)
    services.nomination_create(nominator=other, nominee=AgentFactory(), category=category, story=STORY)
    assert Nomination.objects.count() == 2


# --- Withdrawing ------------------------------------------------------------------------------


def test_nominator_withdraws_a_submitted_nomination(nomination, agent):
    services.nomination_withdraw(nomination=nomination, by=agent)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.WITHDRAWN
    assert nomination.withdrawn_at is not None


def test_only_the_nominator_may_withdraw(nomination, nominee, manager):
    for person in (nominee, manager):
        with pytest.raises(PermissionDenied):
            services.nomination_withdraw(nomination=nomination, by=person)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED


def test_withdraw_refused_once_reviewed(nomination, agent, manager):
    services.nomination_approve(nomination=nomination, by=manager)
    stale = Nomination.objects.get(pk=nomination.pk)
    with pytest.raises(ValidationError) as error:
        services.nomination_withdraw(nomination=stale, by=agent)
    assert error.value.messages == ["This nomination is already approved; it can no longer be withdrawn."]


def test_withdraw_with_a_stale_copy_sees_the_review_made_meanwhile(nomination, agent, manager):
    stale = Nomination.objects.get(pk=nomination.pk)  # loaded before the manager approves
    services.nomination_approve(nomination=nomination, by=manager)
    with pytest.raises(ValidationError):
        services.nomination_withdraw(nomination=stale, by=agent)
    assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.APPROVED


# --- Reviewing --------------------------------------------------------------------------------


def test_manager_approves_their_persons_nomination(nomination, manager):
    services.nomination_approve(nomination=nomination, by=manager, comment=" Well deserved. ")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED
    assert nomination.reviewed_by == manager
    assert nomination.review_comment == "Well deserved."
    assert nomination.reviewed_at is not None


def test_manager_of_another_team_cannot_review(nomination, other_manager):
    with pytest.raises(PermissionDenied):
        services.nomination_approve(nomination=nomination, by=other_manager)
    with pytest.raises(PermissionDenied):
        services.nomination_decline(nomination=nomination, by=other_manager, comment="No.")
    assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.SUBMITTED


def test_agents_and_the_nominee_cannot_review(nomination, agent, nominee, other_agent):
    for person in (agent, nominee, other_agent):
        with pytest.raises(PermissionDenied):
            services.nomination_approve(nomination=nomination, by=person)


def test_coordinator_reviews_anyone(nomination, coordinator):
    services.nomination_decline(
        nomination=nomination, by=coordinator, comment="Please add what the customer said."
    )
    assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.DECLINED


def test_manager_cannot_review_a_nomination_they_sent(manager, nominee, category, coordinator):
    nomination = services.nomination_create(
        nominator=manager, nominee=nominee, category=category, story=STORY
    )
    with pytest.raises(PermissionDenied) as error:
        services.nomination_approve(nomination=nomination, by=manager)
    assert str(error.value) == "You sent this nomination; another manager or a coordinator reviews it."


def test_decline_needs_a_comment(nomination, manager):
    with pytest.raises(ValidationError) as error:
        services.nomination_decline(nomination=nomination, by=manager, comment="   ")
    assert messages_of(error) == {
        "comment": ["Say why you decline it: the nominator reads this comment (the nominee never does)."]
    }
    assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.SUBMITTED


def test_database_refuses_a_decline_without_comment(nomination):
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.filter(pk=nomination.pk).update(
            status=Nomination.Status.DECLINED, reviewed_at=timezone.now(), review_comment=""
        )


def test_review_twice_is_refused(nomination, manager, coordinator):
    services.nomination_approve(nomination=nomination, by=manager)
    stale = Nomination.objects.get(pk=nomination.pk)
    stale.status = Nomination.Status.SUBMITTED  # as a second reviewer's page still shows it
    with pytest.raises(ValidationError) as error:
        services.nomination_decline(nomination=stale, by=coordinator, comment="No.")
    assert error.value.messages == ["This nomination is already approved; nothing was changed."]


def test_withdrawn_nomination_cannot_be_approved(nomination, agent, manager):
    services.nomination_withdraw(nomination=nomination, by=agent)
    with pytest.raises(ValidationError) as error:
        services.nomination_approve(nomination=nomination, by=manager)
    assert error.value.messages == ["This nomination is already withdrawn; nothing was changed."]


def test_award_limit_refuses_one_award_too_many(manager, team, week):
    category = AwardCategoryFactory(week=week, name="Rising Star", award_limit=1)
    first, second = NominationFactory.create_batch(2, category=category, nominee__team=team)
    services.nomination_approve(nomination=first, by=manager)
    with pytest.raises(ValidationError) as error:
        services.nomination_approve(nomination=second, by=manager)
    assert error.value.messages == [
        "Rising Star already has 1 award this week, its limit; "
        "decline this nomination or ask a coordinator to raise the limit."
    ]


def test_bulk_approve_approves_each_and_reports_the_refused(manager, team, week):
    category = AwardCategoryFactory(week=week, name="Team Player", award_limit=2)
    nominations = NominationFactory.create_batch(3, category=category, nominee__team=team)
    result = services.nominations_bulk_approve(nominations=nominations, by=manager, comment="Thank you all!")
    assert [n.pk for n in result.approved] == [nominations[0].pk, nominations[1].pk]
    assert [(n.pk, message) for n, message in result.refused] == [
        (
            nominations[2].pk,
            "Team Player already has 2 awards this week, its limit; "
            "decline this nomination or ask a coordinator to raise the limit.",
        )
    ]
    assert sorted(
        Nomination.objects.filter(status=Nomination.Status.APPROVED).values_list("review_comment", flat=True)
    ) == ["Thank you all!", "Thank you all!"]


# --- Reactions and announcing -----------------------------------------------------------------


def test_reaction_toggles_and_switches_kind(agent):
    award = NominationFactory(announced=True)
    assert services.reaction_toggle(nomination=award, user=agent, kind="clap").kind == "clap"
    assert services.reaction_toggle(nomination=award, user=agent, kind="heart").kind == "heart"
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["heart"]
    assert services.reaction_toggle(nomination=award, user=agent, kind="heart") is None
    assert Reaction.objects.count() == 0


def test_database_allows_one_reaction_per_person_per_award(agent):
    award = NominationFactory(announced=True)
    Reaction.objects.create(nomination=award, user=agent, kind="clap")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(nomination=award, user=agent, kind="party")


def test_reaction_refused_on_a_nomination_not_approved(nomination, other_agent):
    with pytest.raises(PermissionDenied):
        services.reaction_toggle(nomination=nomination, user=other_agent, kind="clap")


def test_reaction_refuses_an_unknown_kind(agent):
    with pytest.raises(ValidationError) as error:
        services.reaction_toggle(nomination=NominationFactory(announced=True), user=agent, kind="thumbs")
    assert error.value.messages == ["Unknown reaction “thumbs”. Choose clap, heart or party."]


def test_awards_announce_now_announces_the_weeks_held_back_awards_once(coordinator, week):
    awards = NominationFactory.create_batch(2, approved=True, category__week=week)
    NominationFactory(category__week=week)  # still submitted: not an award
    during = datetime.datetime(2026, 10, 9, 9, 0, tzinfo=datetime.UTC)
    assert services.awards_announce_now(week=week, by=coordinator, now=during) == 2
    assert services.awards_announce_now(week=week, by=coordinator, now=during) == 0
    assert {n.announced_at for n in Nomination.objects.filter(pk__in=[a.pk for a in awards])} == {during}


def test_awards_announce_now_refused_for_managers_and_for_another_weeks_category(coordinator, week):
    NominationFactory(approved=True, category__week=week)
    with pytest.raises(PermissionDenied):
        services.awards_announce_now(week=week, by=ManagerFactory())
    elsewhere = AwardCategoryFactory(week=WeekFactory(year=2027))
    with pytest.raises(ValidationError) as error:
        services.awards_announce_now(week=week, by=coordinator, category=elsewhere)
    assert error.value.messages == ["Choose a category of this week."]


def test_a_new_week_starts_with_the_default_categories(coordinator):
    from events.services import week_create

    week = week_create(by=coordinator, year=2031)
    assert list(week.award_categories.values_list("name", flat=True)) == [
        "Customer Hero",
        "Service with Respect Award",
        "Team Player",
        "Rising Star",
        "Above and Beyond",
    ]


def test_week_saved_without_the_service_gets_no_categories():
    week = Week.objects.create(
        year=2031, starts_on=datetime.date(2031, 10, 6), ends_on=datetime.date(2031, 10, 10)
    )
    assert week.award_categories.count() == 0


def test_clone_copies_the_source_categories_and_no_defaults(coordinator):
    from events.services import week_clone

    source = WeekFactory(year=2026)
    AwardCategoryFactory(week=source, name="Customer Hero", award_limit=5)
    AwardCategoryFactory(week=source, name="Night Shift Star")
    target = week_clone(by=coordinator, source=source, year=2027)
    assert sorted(target.award_categories.values_list("name", "award_limit")) == [
        ("Customer Hero", 5),
        ("Night Shift Star", None),
    ]


def test_copy_keeps_a_target_category_that_has_nominations(agent, nominee):
    source = WeekFactory(year=2026)
    AwardCategoryFactory(week=source, name="Customer Hero")
    target = WeekFactory(year=2027)
    used = AwardCategoryFactory(week=target, name="Customer Hero", award_limit=1)
    NominationFactory(category=used)
    assert services.categories_copy(source=source, target=target, replace_unused=True) == []
    assert list(target.award_categories.values_list("pk", flat=True)) == [used.pk]


def test_deleting_a_week_takes_its_nominations_but_a_used_category_alone_is_kept():
    from django.db.models import RestrictedError

    nomination = NominationFactory(approved=True)
    with pytest.raises(RestrictedError):
        nomination.category.delete()
    nomination.week.delete()
    assert Nomination.objects.count() == 0
    assert AwardCategory.objects.count() == 0


def test_awards_announce_now_refused_for_a_draft_week(coordinator):
    draft_week = WeekFactory(year=2031, status=Week.Status.DRAFT)
    award = NominationFactory(approved=True, category__week=draft_week)
    with pytest.raises(ValidationError) as error:
        services.awards_announce_now(week=draft_week, by=coordinator)
    assert error.value.messages == [
        "Customer Service Week 2031 is a draft: publish it before announcing its awards."
    ]
    award.refresh_from_db()
    assert award.announced_at is None
