"""Recognition's scheduled emails, time frozen: nominations open, last-day nudge, digest, awards."""

import datetime
from datetime import UTC

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django_celery_beat.models import PeriodicTask

from events.models import Week
from outbox.kinds import get_kind
from outbox.models import Delivery
from outbox.selectors import opted_in
from outbox.services import user_unsubscribe
from people.models import User
from recognition import services, tasks
from tests.factories import AgentFactory, CoordinatorFactory, ManagerFactory, TeamFactory, opt_out
from tests.recognition.factories import STORY, AwardCategoryFactory, NominationFactory, WeekFactory
from tests.recognition.test_escaping import IMG, IMG_ESCAPED, SCRIPT, assert_escaped

pytestmark = pytest.mark.django_db

# Week 2026 runs Monday 5 to Friday 9 October; nominations open on Monday 14 September, 09:00 London.
OPENS = datetime.datetime(2026, 9, 14, 8, 0, tzinfo=UTC)
CLOSES = datetime.datetime(2026, 10, 9, 16, 0, tzinfo=UTC)  # Friday 17:00 in London (BST)
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def by_address(mailoutbox) -> dict[str, object]:
    return {message.to[0]: message for message in mailoutbox}


@pytest.fixture
def clock():
    with time_machine.travel(OPENS - HOUR, tick=False) as traveller:
        yield traveller


@pytest.fixture
def week(clock):
    return WeekFactory(year=2026)


@pytest.fixture
def categories(week):
    return [
        AwardCategoryFactory(week=week, name="Customer Hero", position=0, opens_at=OPENS, closes_at=CLOSES),
        AwardCategoryFactory(
            week=week,
            name="Team Player",
            description="Covered shifts.",
            position=1,
            opens_at=OPENS,
            closes_at=CLOSES,
        ),
    ]


@pytest.fixture
def people(clock):
    """Three colleagues in three zones, and one who switched nomination news off."""
    return {
        "london": AgentFactory(email="london@example.com", first_name="Lena", time_zone="Europe/London"),
        "kolkata": AgentFactory(email="kolkata@example.com", first_name="Kiran", time_zone="Asia/Kolkata"),
        "la": AgentFactory(email="la@example.com", first_name="Luis", time_zone="America/Los_Angeles"),
        "off": AgentFactory(email="off@example.com", opted_out=["email_nomination_news"]),
        "gone": AgentFactory(email="gone@example.com", is_active=False),
    }


EVERYONE_ON = ["kolkata@example.com", "la@example.com", "london@example.com"]


def deliveries(kind: str) -> list[tuple[str, str, str]]:
    return sorted(Delivery.objects.filter(kind=kind).values_list("address", "occurrence", "status"))


# --- Nominations open ---------------------------------------------------------------------------


def test_nominations_open_email_fires_when_the_window_opens_once(
    clock, categories, people, mailoutbox, django_capture_on_commit_callbacks
):
    clock.move_to(OPENS - MINUTE)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.nomination_notices_create() == services.NoticeResult(opened=0, closing=0)
    assert Delivery.objects.count() == 0

    clock.move_to(OPENS + 3 * MINUTE)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.nomination_notices_create() == services.NoticeResult(opened=3, closing=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.nomination_notices_create() == services.NoticeResult(opened=0, closing=0)

    occurrence = "open:2026-09-14T08:00:00+00:00"
    assert deliveries("nominations_open") == [(address, occurrence, "sent") for address in EVERYONE_ON]
    assert sorted(message.to[0] for message in mailoutbox) == EVERYONE_ON
    assert {message.subject for message in mailoutbox} == {
        "Nominations are open for Customer Service Week 2026"
    }
    kolkata = by_address(mailoutbox)["kolkata@example.com"]
    # Both categories in one email, closing at 17:00 London shown as 21:30 in Kolkata.
    assert (
        "Tell their story:\n\n"
        "- Customer Hero: For great service.\n  (until Friday 9 October, 21:30, Asia/Kolkata)\n"
        "- Team Player: Covered shifts.\n  (until Friday 9 October, 21:30, Asia/Kolkata)\n\n"
        "Nominate a colleague: http://localhost:8000/nominations/new/\n"
    ) in kolkata.body
    assert "http://localhost:8000/nominations/new/" in kolkata.body
    la = by_address(mailoutbox)["la@example.com"]
    assert "until Friday 9 October, 09:00 (America/Los_Angeles)" in html_of(la)


def test_nominations_open_email_not_sent_for_a_window_open_long_ago(clock, categories, people):
    clock.move_to(OPENS + services.OPEN_NOTICE_FRESH_FOR + MINUTE)
    assert services.nomination_notices_create() == services.NoticeResult(opened=0, closing=0)
    assert Delivery.objects.count() == 0


def test_nominations_open_email_still_sent_after_beat_was_down_for_hours(clock, categories, people):
    clock.move_to(OPENS + 11 * HOUR)
    assert services.nomination_notices_create().opened == 3


def test_nominations_open_email_not_sent_for_a_draft_week(clock, week, categories, people):
    Week.objects.filter(pk=week.pk).update(status=Week.Status.DRAFT)
    clock.move_to(OPENS + MINUTE)
    assert services.nomination_notices_create() == services.NoticeResult(opened=0, closing=0)
    assert Delivery.objects.count() == 0


def test_categories_opening_at_different_moments_each_get_their_email(
    clock, week, categories, people, mailoutbox, django_capture_on_commit_callbacks
):
    later = OPENS + 2 * HOUR
    AwardCategoryFactory(week=week, name="Rising Star", position=2, opens_at=later, closes_at=CLOSES)
    clock.move_to(OPENS + MINUTE)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_notices_create()
    clock.move_to(later + MINUTE)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.nomination_notices_create().opened == 3
    assert sorted(set(Delivery.objects.values_list("occurrence", flat=True))) == [
        "open:2026-09-14T08:00:00+00:00",
        "open:2026-09-14T10:00:00+00:00",
    ]
    second = [m for m in mailoutbox if m.to == ["london@example.com"]][1]
    assert "- Rising Star: For great service.\n" in second.body
    assert "- Customer Hero: For great service.\n" in second.body  # the email lists every category open now


def test_nominations_open_email_skipped_for_someone_who_unsubscribes_before_it_is_sent(
    clock, categories, people, mailoutbox, django_capture_on_commit_callbacks
):
    clock.move_to(OPENS + MINUTE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.nomination_notices_create()
    user_unsubscribe(user=people["la"], kind=get_kind("nominations_open"))
    for callback in callbacks:
        callback()
    assert deliveries("nominations_open") == [
        ("kolkata@example.com", "open:2026-09-14T08:00:00+00:00", "sent"),
        ("la@example.com", "open:2026-09-14T08:00:00+00:00", "skipped"),
        ("london@example.com", "open:2026-09-14T08:00:00+00:00", "sent"),
    ]
    assert sorted(message.to[0] for message in mailoutbox) == ["kolkata@example.com", "london@example.com"]


def test_nominations_open_email_skipped_when_the_window_was_moved_before_sending(
    clock, categories, people, mailoutbox, django_capture_on_commit_callbacks
):
    clock.move_to(OPENS + MINUTE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.nomination_notices_create()
    for category in categories:
        category.opens_at = OPENS + 24 * HOUR
        category.save()
    for callback in callbacks:
        callback()
    assert mailoutbox == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {"skipped"}


def test_nominations_open_and_closing_emails_escape_category_text(
    clock, week, people, mailoutbox, django_capture_on_commit_callbacks
):
    AwardCategoryFactory(week=week, name=f"Hero {IMG}", description=SCRIPT, opens_at=OPENS, closes_at=CLOSES)
    clock.move_to(OPENS + MINUTE)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_notices_create()
    clock.move_to(CLOSES - HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_notices_create()
    assert sorted({message.subject for message in mailoutbox}) == [
        "Last day to nominate: Customer Service Week 2026",
        "Nominations are open for Customer Service Week 2026",
    ]
    assert len(mailoutbox) == 6
    for message in mailoutbox:
        html = html_of(message)
        assert "<img src=x" not in html
        assert IMG_ESCAPED in html
        assert IMG in message.body
    opened = [message for message in mailoutbox if message.subject.startswith("Nominations are open")]
    for message in opened:
        assert_escaped(html_of(message))
        assert SCRIPT in message.body


# --- Last-day nudge -----------------------------------------------------------------------------


def test_last_day_nudge_sent_once_in_the_last_24_hours(
    clock, categories, people, mailoutbox, django_capture_on_commit_callbacks
):
    clock.move_to(CLOSES - 24 * HOUR - MINUTE)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.nomination_notices_create() == services.NoticeResult(opened=0, closing=0)
    clock.move_to(CLOSES - 24 * HOUR + 4 * MINUTE)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.nomination_notices_create() == services.NoticeResult(opened=0, closing=3)
    clock.move_to(CLOSES - HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.nomination_notices_create() == services.NoticeResult(opened=0, closing=0)
    clock.move_to(CLOSES)
    assert services.nomination_notices_create() == services.NoticeResult(opened=0, closing=0)

    occurrence = "closing:2026-10-09T16:00:00+00:00"
    assert deliveries("nominations_closing") == [(address, occurrence, "sent") for address in EVERYONE_ON]
    assert len(mailoutbox) == 3
    london = by_address(mailoutbox)["london@example.com"]
    assert london.subject == "Last day to nominate: Customer Service Week 2026"
    assert (
        "close on Friday 9 October at 17:00 (Europe/London):\n\n- Customer Hero\n- Team Player\n"
        in london.body
    )
    assert "Friday 9 October at 09:00</strong> (America/Los_Angeles)" in html_of(
        by_address(mailoutbox)["la@example.com"]
    )


def test_last_day_nudge_skipped_when_the_window_closed_before_sending(
    clock, categories, people, mailoutbox, django_capture_on_commit_callbacks
):
    clock.move_to(CLOSES - HOUR)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.nomination_notices_create()
    clock.move_to(CLOSES + MINUTE)  # the worker was down until after the close
    for callback in callbacks:
        callback()
    assert mailoutbox == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {"skipped"}


def test_a_tick_with_nothing_new_is_a_few_queries(
    clock, categories, people, django_assert_num_queries, django_capture_on_commit_callbacks
):
    clock.move_to(CLOSES - HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_notices_create()
    # The due categories with their week, then NOT EXISTS for the one closing group: nothing to
    # insert. The other two are the service's savepoint and its release.
    with django_assert_num_queries(4):
        assert services.nomination_notices_create() == services.NoticeResult(opened=0, closing=0)


# --- Manager digest -----------------------------------------------------------------------------

# Wednesday 30 September 2026: 09:00 in Kolkata is 03:30 UTC, 09:00 in Los Angeles is 16:00 UTC.
WEDNESDAY = datetime.date(2026, 9, 30)
KOLKATA_NINE = datetime.datetime(2026, 9, 30, 3, 30, tzinfo=UTC)
LA_NINE = datetime.datetime(2026, 9, 30, 16, 0, tzinfo=UTC)


@pytest.fixture
def managers(clock, categories):
    """A manager in Kolkata and one in Los Angeles, each with a nomination waiting since Monday."""
    clock.move_to(datetime.datetime(2026, 9, 28, 10, 0, tzinfo=UTC))
    result = {}
    for key, zone in (("kolkata", "Asia/Kolkata"), ("la", "America/Los_Angeles")):
        team = TeamFactory(name=f"Team {key}")
        manager = ManagerFactory(email=f"boss.{key}@example.com", first_name=f"Boss {key}", time_zone=zone)
        team.managers.add(manager)
        nominee = AgentFactory(email=f"star.{key}@example.com", first_name="Star", last_name=key, team=team)
        NominationFactory(category=categories[0], nominee=nominee, nominator=AgentFactory())
        result[key] = manager
    idle_team = TeamFactory(name="Quiet team")
    idle = ManagerFactory(email="boss.idle@example.com", time_zone="Asia/Kolkata")
    idle_team.managers.add(idle)
    AgentFactory(team=idle_team)
    return result


def digests() -> list[tuple[str, str, str]]:
    return deliveries("manager_digest")


def test_manager_digest_at_nine_local_for_kolkata_and_los_angeles_once_each(
    clock, managers, mailoutbox, django_capture_on_commit_callbacks
):
    def tick(moment):
        clock.move_to(moment)
        with django_capture_on_commit_callbacks(execute=True):
            return services.manager_digests_create()

    assert tick(KOLKATA_NINE - MINUTE) == 0
    assert tick(KOLKATA_NINE) == 1
    assert tick(KOLKATA_NINE + 5 * MINUTE) == 0
    assert digests() == [("boss.kolkata@example.com", "2026-09-30", "sent")]
    assert tick(LA_NINE - MINUTE) == 0
    assert tick(LA_NINE) == 1
    assert tick(LA_NINE + 5 * MINUTE) == 0
    assert digests() == [
        ("boss.kolkata@example.com", "2026-09-30", "sent"),
        ("boss.la@example.com", "2026-09-30", "sent"),
    ]
    assert [message.to[0] for message in mailoutbox] == ["boss.kolkata@example.com", "boss.la@example.com"]
    kolkata = mailoutbox[0]
    assert kolkata.subject == "1 nomination waiting for your review"
    assert "waiting for your review (Wednesday 30 September):\n\n" in kolkata.body
    assert "- Star kolkata (Team kolkata), Customer Hero, sent 1\xa0day, 17\xa0hours ago\n" in kolkata.body
    assert "http://localhost:8000/nominations/review/" in kolkata.body
    assert 'href="http://localhost:8000/nominations/review/"' in html_of(kolkata)
    # The next working day brings the next digest.
    assert tick(KOLKATA_NINE + 24 * HOUR) == 1


def test_manager_digest_not_on_saturday(clock, managers):
    clock.move_to(datetime.datetime(2026, 10, 3, 3, 30, tzinfo=UTC))  # Saturday 09:00 in Kolkata
    assert services.manager_digests_create() == 0
    clock.move_to(datetime.datetime(2026, 10, 3, 16, 0, tzinfo=UTC))  # Saturday 09:00 in Los Angeles
    assert services.manager_digests_create() == 0
    assert Delivery.objects.count() == 0


def test_manager_digest_not_after_noon(clock, managers):
    clock.move_to(datetime.datetime(2026, 9, 30, 6, 30, tzinfo=UTC))  # 12:00 in Kolkata
    assert services.manager_digests_create() == 0


def test_manager_digest_not_sent_when_nothing_waits(clock, managers, mailoutbox):
    from recognition.models import Nomination

    Nomination.objects.update(status=Nomination.Status.WITHDRAWN)
    clock.move_to(KOLKATA_NINE)
    assert services.manager_digests_create() == 0
    assert Delivery.objects.count() == 0


def test_manager_digest_skipped_when_the_nomination_was_reviewed_before_sending(
    clock, managers, mailoutbox, django_capture_on_commit_callbacks
):
    from recognition.models import Nomination

    clock.move_to(KOLKATA_NINE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.manager_digests_create() == 1
    waiting = Nomination.objects.get(nominee__email="star.kolkata@example.com")
    services.nomination_approve(nomination=waiting, by=managers["kolkata"])
    mailoutbox.clear()
    for callback in callbacks:
        callback()
    assert digests() == [("boss.kolkata@example.com", "2026-09-30", "skipped")]
    assert mailoutbox == []


def test_manager_digest_held_up_past_its_day_is_not_sent(
    clock, managers, mailoutbox, django_capture_on_commit_callbacks
):
    clock.move_to(KOLKATA_NINE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.manager_digests_create() == 1
    clock.move_to(KOLKATA_NINE + 16 * HOUR)  # 01:00 on Thursday in Kolkata: the broker was down
    for callback in callbacks:
        callback()
    assert digests() == [("boss.kolkata@example.com", "2026-09-30", "skipped")]
    assert mailoutbox == []


def test_manager_digest_not_for_a_manager_who_switched_it_off(clock, managers):
    opt_out(User.objects.get(email="boss.kolkata@example.com"), "email_digest")
    clock.move_to(KOLKATA_NINE)
    assert services.manager_digests_create() == 0


def test_manager_digest_escapes_names(clock, managers, mailoutbox, django_capture_on_commit_callbacks):
    User.objects.filter(email="star.kolkata@example.com").update(display_name=f"{SCRIPT} {IMG}")
    clock.move_to(KOLKATA_NINE)
    with django_capture_on_commit_callbacks(execute=True):
        services.manager_digests_create()
    [message] = mailoutbox
    assert_escaped(html_of(message))
    assert SCRIPT in message.body


# --- Award announcements ------------------------------------------------------------------------

RECOGNITION_DAY = datetime.datetime(2026, 10, 9, 13, 0, tzinfo=UTC)


@pytest.fixture
def awards(clock, categories, people):
    clock.move_to(RECOGNITION_DAY - 24 * HOUR)
    nominator = AgentFactory(email="fan@example.com", first_name="Frankie", last_name="Fan")
    secret = AgentFactory(email="secret@example.com", first_name="Quiet", last_name="Admirer")
    team = TeamFactory(name="Front Line")
    return [
        NominationFactory(
            category=categories[0],
            nominee=AgentFactory(email="ada@example.com", first_name="Ada", last_name="Lovel", team=team),
            nominator=nominator,
            story=f"{STORY} {SCRIPT} {IMG}",
            approved=True,
        ),
        NominationFactory(
            category=categories[1],
            nominee=AgentFactory(email="ben@example.com", first_name="Ben", last_name="Ode"),
            nominator=secret,
            anonymous=True,
            approved=True,
        ),
    ]


def test_award_announcement_sent_once_to_everyone_listing_the_batch(
    clock, awards, people, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = CoordinatorFactory(email="coord@example.com")
    clock.move_to(RECOGNITION_DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.awards_announce_now(week=awards[0].week, by=coordinator) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.awards_announce_now(week=awards[0].week, by=coordinator) == 0

    everyone = sorted(
        opted_in(User.objects.filter(is_active=True), "email_nomination_news").values_list("email", flat=True)
    )
    assert len(everyone) == 8
    occurrence = "announced:2026-10-09T13:00:00+00:00"
    assert deliveries("award_announcement") == [(address, occurrence, "sent") for address in everyone]
    announcement = [m for m in mailoutbox if m.subject == "The awards of Customer Service Week 2026"]
    assert sorted(message.to[0] for message in announcement) == everyone
    message = by_address(announcement)["london@example.com"]
    assert message.subject == "The awards of Customer Service Week 2026"
    assert "Customer Hero: Ada Lovel (Front Line)\n" in message.body
    assert "Nominated by Frankie Fan.\n" in message.body
    assert "Team Player: Ben Ode\n" in message.body
    assert "Nominated by a colleague who asked to stay anonymous.\n" in message.body
    assert "http://localhost:8000/wall/?week=2026" in message.body
    html = html_of(message)
    assert_escaped(html)
    for part in (message.body, html):
        assert "Quiet" not in part and "Admirer" not in part and "secret@example.com" not in part


def test_award_announcement_second_batch_lists_only_its_awards(
    clock, awards, categories, people, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = CoordinatorFactory(email="coord@example.com")
    clock.move_to(RECOGNITION_DAY)
    services.awards_announce_now(week=awards[0].week, by=coordinator)
    late = NominationFactory(
        category=categories[0],
        nominee=AgentFactory(email="cy@example.com", first_name="Cy", last_name="Late"),
        approved=True,
    )
    clock.move_to(RECOGNITION_DAY + HOUR)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.awards_announce_now(week=late.week, by=coordinator) == 1
    message = by_address(mailoutbox)["london@example.com"]
    assert "Customer Hero: Cy Late\n" in message.body
    assert "Ada Lovel" not in message.body and "Ben Ode" not in message.body
    assert sorted(
        set(Delivery.objects.filter(kind="award_announcement").values_list("occurrence", flat=True))
    ) == [
        "announced:2026-10-09T13:00:00+00:00",
        "announced:2026-10-09T14:00:00+00:00",
    ]


def test_award_announcement_not_emailed_for_a_draft_week(clock, awards, people):
    Week.objects.filter(pk=awards[0].week_id).update(status=Week.Status.DRAFT)
    clock.move_to(RECOGNITION_DAY)
    week = Week.objects.get(pk=awards[0].week_id)
    # Refused: announced in a draft, the awards would never get the wall's email nor the chat posts.
    with pytest.raises(ValidationError):
        services.awards_announce_now(week=week, by=CoordinatorFactory())
    assert Delivery.objects.filter(kind__in=["award_announcement", "award_received"]).count() == 0


# --- Beat ---------------------------------------------------------------------------------------


def test_beat_schedules_exist_after_migrate():
    rows = sorted(
        PeriodicTask.objects.filter(task__startswith="recognition.").values_list(
            "task", "interval__every", "interval__period", "enabled"
        )
    )
    assert rows == [
        ("recognition.announcements_due", 1, "minutes", True),
        ("recognition.awards_announce_due", 1, "minutes", True),
        ("recognition.manager_digest_due", 5, "minutes", True),
        ("recognition.nominations_due", 5, "minutes", True),
    ]


def test_beat_tasks_call_the_services(clock, categories, managers, django_capture_on_commit_callbacks):
    clock.move_to(KOLKATA_NINE)
    assert tasks.manager_digest_due.apply().get() == 1
    clock.move_to(OPENS + MINUTE)
    # Everyone active with recognition emails on: three colleagues, the managers, nominees, nominators.
    expected = opted_in(User.objects.filter(is_active=True), "email_nomination_news").count()
    assert tasks.nominations_due.apply().get() == {"opened": expected, "closing": 0}
