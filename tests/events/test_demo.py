"""seed_demo's weeks: last, this and next year, themed, with every kind and format, and a waitlist."""

import datetime
from collections import Counter
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings

from events.models import Activity, Registration, TeamCoverage, Week
from events.selectors import coverage_allowed, waitlist_position
from events.services import registration_cancel
from people.models import Role, Team, User

pytestmark = pytest.mark.django_db


def seed(*args):
    with (
        override_settings(DEBUG=True),
        time_machine.travel(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC)),
    ):
        call_command("seed_demo", *args, stdout=StringIO())


def rows():
    return (
        sorted(Week.objects.values_list("year", "status", "starts_on")),
        sorted(Activity.objects.values_list("week__year", "title", "starts_at", "capacity")),
        sorted(
            Registration.objects.values_list(
                "activity__week__year", "activity__title", "user__email", "status"
            )
        ),
    )


def test_seed_demo_adds_three_published_weeks_with_themes_and_activities():
    seed()
    assert list(Week.objects.order_by("year").values_list("year", "status", "starts_on")) == [
        (2025, "published", datetime.date(2025, 10, 6)),
        (2026, "published", datetime.date(2026, 10, 5)),
        (2027, "published", datetime.date(2027, 10, 4)),
    ]
    week = Week.objects.get(year=2026)
    titles = list(week.day_themes.values_list("title", flat=True))
    assert "Service with Respect Day" in titles
    assert "Recognition Day" in titles
    assert week.activities.count() == 15
    assert set(week.activities.values_list("kind", flat=True)) == set(Activity.Kind.values)
    assert set(week.activities.values_list("format", flat=True)) == set(Activity.Format.values)
    workshop = week.activities.get(title="De-escalation workshop")
    assert list(workshop.registrations.order_by("created_at").values_list("user__email", "status")) == [
        ("agent@example.com", "confirmed"),
        ("jamie.chen@example.com", "confirmed"),
        ("aisha.bello@example.com", "confirmed"),
        ("ravi.sharma@example.com", "waitlisted"),
        ("grace.mensah@example.com", "waitlisted"),
    ]


def test_seed_demo_caps_front_lines_coverage_and_keeps_a_coordinators_change():
    seed()
    assert list(TeamCoverage.objects.values_list("team__name", "max_away_percent")) == [
        ("Front Line Support", 25)
    ]
    TeamCoverage.objects.update(max_away_percent=40)
    seed()
    assert list(TeamCoverage.objects.values_list("max_away_percent", flat=True)) == [40]


def test_seed_demo_twice_changes_no_event_rows():
    seed()
    before = rows()
    seed()
    assert rows() == before


# 400 added agents: Front Line Support has 104, so its 25 % cap lets 26 away at once (more than the
# 25 seats of its own activity), and every team has more agents than a limited activity has seats.
SCALE = 400


def placed_as_the_services_would(registrations, *, capacity, cap, front_line) -> list[tuple[str, str]]:
    """(status, reason) of each sign-up, replayed in arrival order under registration_create's rule."""
    confirmed = away = 0
    placed = []
    for registration in registrations:
        if capacity is not None and confirmed >= capacity:
            placed.append(("waitlisted", "full"))
        elif registration.user.team_id == front_line and away >= cap:
            placed.append(("waitlisted", "coverage"))
        else:
            placed.append(("confirmed", ""))
            confirmed += 1
            away += registration.user.team_id == front_line
    return placed


# Each limited activity of a week: (confirmed, waitlisted) once the added agents have signed up:
# every seat taken, and half as many waiting, at least three (the workshop's two named people and
# one added agent).
LIMITED_FULL = {
    "The future of support: panel": (40, 20),
    "De-escalation workshop": (3, 3),
    "Respect in every reply (online)": (25, 12),
    "Escape room challenge": (8, 4),
    "Writing clear answers": (30, 15),
    "Lunch and learn: new billing system": (20, 10),
    "Customer stories: live call review": (50, 25),
    "Thank-you cards for our top customers": (12, 6),
    "Technical Support recognition lunch": (15, 7),
}


def limited_counts(year: int) -> dict[str, tuple[int, int]]:
    limited = Activity.objects.filter(week__year=year, capacity__isnull=False, signup_required=True)
    return {
        activity.title: (
            activity.registrations.filter(status="confirmed").count(),
            activity.registrations.filter(status="waitlisted").count(),
        )
        for activity in limited
    }


def test_seed_demo_scale_fills_limited_activities_and_their_waitlists():
    seed("--scale", str(SCALE))
    assert limited_counts(2027) == LIMITED_FULL
    limited = Activity.objects.filter(week__year=2027, capacity__isnull=False, signup_required=True)
    for activity in limited:
        assert activity.registrations.filter(user__email__startswith="agent0").exists(), activity.title


def test_seed_demo_larger_scale_signs_up_only_the_new_agents():
    seed("--scale", "8")
    # Eight agents cannot fill nine limited activities: each takes a place (or waits) in one.
    assert (
        Registration.objects.filter(
            activity__week__year=2027, activity__capacity__isnull=False, user__email__startswith="agent0"
        ).count()
        == 8
    )
    seed("--scale", str(SCALE))
    assert limited_counts(2027) == LIMITED_FULL
    per_agent = Counter(
        Registration.objects.filter(user__email__startswith="agent0").values_list("user_id", flat=True)
    )
    assert (len(per_agent), set(per_agent.values())) == (SCALE, {6})


def test_seed_demo_scale_places_sign_ups_as_registration_create_would():
    seed("--scale", str(SCALE))
    front_line = Team.objects.get(name="Front Line Support")
    agents = User.objects.filter(team=front_line, groups__name=Role.AGENT).count()
    cap = coverage_allowed(agents=agents, max_away_percent=25)
    assert (agents, cap) == (104, 26)
    week = Week.objects.get(year=2027)
    reasons = set()
    for activity in week.activities.filter(signup_required=True):
        arrivals = list(activity.registrations.select_related("user").order_by("created_at", "pk"))
        stored = [(r.status, r.waitlist_reason) for r in arrivals]
        assert stored == placed_as_the_services_would(
            arrivals, capacity=activity.capacity, cap=cap, front_line=front_line.pk
        ), activity.title
        reasons.update(stored)
        waitlist = [r for r in arrivals if r.status == "waitlisted"]
        assert [waitlist_position(r) for r in waitlist] == list(range(1, len(waitlist) + 1))
    assert reasons == {("confirmed", ""), ("waitlisted", "full"), ("waitlisted", "coverage")}


def test_seed_demo_scale_sign_ups_are_what_registration_create_makes_of_them():
    """The added agents' sign-ups to a limited activity and to an open one, taken back and made
    again through the sign-up service in their arrival order, come out the same."""
    from events.services import registration_create

    seed("--scale", str(SCALE))
    week = Week.objects.get(year=2027)
    replayed_reasons = set()
    for activity in (
        week.activities.get(title="The future of support: panel"),
        week.activities.filter(signup_required=True, capacity__isnull=True).order_by("starts_at").first(),
    ):
        added = list(
            activity.registrations.filter(user__email__startswith="agent0")
            .select_related("user")
            .order_by("created_at", "pk")
        )
        seeded = [(r.user_id, r.status, r.waitlist_reason) for r in added]
        Registration.objects.filter(pk__in=[r.pk for r in added]).delete()
        with time_machine.travel(datetime.datetime(2026, 11, 23, 13, tzinfo=datetime.UTC)):
            replayed = [registration_create(user=r.user, activity=activity) for r in added]
        replayed = [(r.user_id, r.status, r.waitlist_reason) for r in replayed]
        assert replayed == seeded, activity.title
        replayed_reasons.update((status, reason) for _user, status, reason in replayed)
    assert replayed_reasons == {("confirmed", ""), ("waitlisted", "full"), ("waitlisted", "coverage")}


def test_seed_demo_scale_gives_each_added_agent_six_sign_ups_limited_or_not():
    seed("--scale", str(SCALE))
    scaled = Registration.objects.filter(user__email__startswith="agent0")
    per_agent = Counter(scaled.values_list("user_id", flat=True))
    assert (len(per_agent), set(per_agent.values())) == (SCALE, {6})
    limited = scaled.filter(activity__capacity__isnull=False)
    # Each year: 203 seats and 102 waiting, less the named people's 19 sign-ups.
    assert limited.count() == 3 * (203 + 102 - 19)
    # Nobody holds two limited places in one week.
    assert not limited.values("user_id", "activity__week_id").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_seed_demo_scale_waitlist_moves_up_as_the_services_move_it():
    seed("--scale", str(SCALE))
    panel = Activity.objects.get(week__year=2027, title="The future of support: panel")
    first_waiting = panel.registrations.filter(status="waitlisted").order_by("created_at", "pk")[0]
    assert waitlist_position(first_waiting) == 1
    leaving = panel.registrations.filter(status="confirmed").order_by("created_at", "pk")[0]
    with time_machine.travel(datetime.datetime(2026, 11, 23, 13, tzinfo=datetime.UTC)):
        registration_cancel(by=leaving.user, registration=leaving)
    first_waiting.refresh_from_db()
    assert (first_waiting.status, panel.registrations.filter(status="confirmed").count()) == ("confirmed", 40)


def test_seed_demo_scale_twice_changes_no_sign_ups():
    seed("--scale", str(SCALE))
    before = rows(), sorted(Registration.objects.values_list("pk", "status", "waitlist_reason", "created_at"))
    seed("--scale", str(SCALE))
    assert (
        rows(),
        sorted(Registration.objects.values_list("pk", "status", "waitlist_reason", "created_at")),
    ) == before


def test_seed_demo_scale_fills_the_outbox_five_emails_per_added_agent():
    from outbox.models import Delivery

    seed("--scale", "8")
    # The activity emails the sign-ups leave (other apps' demo adds its own, e.g. last year's recap).
    scaled = Delivery.objects.filter(
        recipient__email__startswith="agent0", kind__in=["activity_changed", "activity_reminder"]
    )
    per_person = sorted(
        scaled.values_list("recipient__email").annotate(n=Count("pk")).values_list("n", flat=True)
    )
    assert per_person == [5] * 8
    assert sorted(scaled.values_list("status").annotate(n=Count("pk")).values_list("status", "n")) == [
        ("failed", 1),
        ("sent", 39),
    ]
    assert set(scaled.values_list("week_year", flat=True)) <= {2025, 2026, 2027}
    # Reminders only for confirmed places, as services.reminder_recipients sends them.
    reminded = set(scaled.filter(kind="activity_reminder").values_list("recipient_id", "object_id"))
    places = {
        (user, activity): status
        for user, activity, status in Registration.objects.filter(
            user__email__startswith="agent0"
        ).values_list("user_id", "activity_id", "status")
    }
    assert reminded and {places[place] for place in reminded} == {"confirmed"}
    everything = Delivery.objects.filter(recipient__email__startswith="agent0").count()
    seed("--scale", "8")
    assert (scaled.count(), Delivery.objects.filter(recipient__email__startswith="agent0").count()) == (
        40,
        everything,
    )
