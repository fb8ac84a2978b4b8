"""Each accountable action, driven through its service, writes exactly one audit entry."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from audit.models import AuditEntry
from events import services as events_services
from events.models import Activity, Week, default_week_dates
from people import services as people_services
from people.models import Role, Team, User
from people.staff_import import staff_import_apply
from recognition import services as recognition_services
from recognition.announcements import services as announcement_services
from recognition.models import Announcement, Nomination
from tests.events.factories import ActivityFactory, RegistrationFactory, local
from tests.events.factories import WeekFactory as EventsWeekFactory
from tests.factories import AgentFactory
from tests.recognition.factories import STORY, AwardCategoryFactory, NominationFactory
from tests.recognition.factories import WeekFactory as RecognitionWeekFactory

pytestmark = pytest.mark.django_db


def entry_of(action: str) -> tuple:
    """The one entry there is, as (actor, actor_repr, action, object type, object id, object_repr, detail)."""
    entry = AuditEntry.objects.get()
    assert entry.action == action
    return (
        entry.actor,
        entry.actor_repr,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.object_repr,
        entry.detail,
    )


def type_of(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def person_update(by, person, **changes):
    fields = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "display_name": person.display_name,
        "team": person.team,
        "role": person.role,
        "time_zone": person.time_zone,
        "is_active": person.is_active,
    }
    return people_services.person_update(by=by, person=person, **{**fields, **changes})


# --- People -------------------------------------------------------------------------------------


def test_person_role_change_records_from_and_to(coordinator, agent):
    person_update(coordinator, agent, role=Role.MANAGER)
    assert entry_of("person.role_changed") == (
        coordinator,
        "coord@example.com",
        "person.role_changed",
        type_of(User),
        str(agent.pk),
        "agent@example.com",
        {"from": "Agent", "to": "Manager"},
    )


def test_person_team_change_records_team_names(coordinator, agent, other_team):
    person_update(coordinator, agent, team=other_team)
    assert entry_of("person.team_changed")[6] == {"from": "Front Line", "to": "Billing"}


def test_person_deactivation_records_one_entry(coordinator, agent):
    person_update(coordinator, agent, is_active=False)
    assert entry_of("person.deactivated")[4:6] == (str(agent.pk), "agent@example.com")


def test_person_update_of_name_only_records_nothing(coordinator, agent):
    person_update(coordinator, agent, first_name="Renamed")
    assert AuditEntry.objects.count() == 0


def test_person_update_refused_records_nothing(coordinator):
    with pytest.raises(ValidationError):
        person_update(coordinator, coordinator, role=Role.AGENT)
    assert AuditEntry.objects.count() == 0


def test_team_create_records_its_managers(coordinator, manager):
    team = people_services.team_create(by=coordinator, name="Escalations", managers=[manager])
    assert entry_of("team.created") == (
        coordinator,
        "coord@example.com",
        "team.created",
        type_of(Team),
        str(team.pk),
        "Escalations",
        {"managers": ["boss@example.com"]},
    )


def test_team_update_records_rename_and_managers(coordinator, team, manager, other_manager):
    people_services.team_update(by=coordinator, team=team, name="Front Desk", managers=[other_manager])
    assert entry_of("team.updated")[5:] == (
        "Front Desk",
        {
            "renamed_from": "Front Line",
            "renamed_to": "Front Desk",
            "managers_added": ["otherboss@example.com"],
            "managers_removed": ["boss@example.com"],
        },
    )


def test_team_update_without_change_records_nothing(coordinator, team, manager):
    people_services.team_update(by=coordinator, team=team, name="Front Line", managers=[manager])
    assert AuditEntry.objects.count() == 0


def test_team_create_refused_records_nothing(coordinator, team):
    with pytest.raises(ValidationError):
        people_services.team_create(by=coordinator, name="front line")
    assert AuditEntry.objects.count() == 0


def test_team_delete_keeps_the_name_and_id(coordinator, team, agent):
    pk = team.pk
    people_services.team_delete(by=coordinator, team=team)
    assert entry_of("team.deleted")[3:] == (type_of(Team), str(pk), "Front Line", {"members": 1})


def test_invitation_sent_resent_and_accepted(coordinator, team):
    invitation = people_services.person_invite(
        by=coordinator, email="nina@example.com", first_name="Nina", team=team
    )
    assert entry_of("invitation.sent")[:7] == (
        coordinator,
        "coord@example.com",
        "invitation.sent",
        type_of(User),
        str(invitation.user_id),
        "nina@example.com",
        {"role": "Agent", "team": "Front Line"},
    )
    fresh = people_services.invitation_resend(by=coordinator, person=invitation.user)
    people_services.invitation_accept(invitation=fresh, password="tangerine-bicycle-harbour-7")
    rows = list(
        AuditEntry.objects.order_by("id").values_list("action", "actor_id", "actor_repr", "object_repr")
    )
    assert rows == [
        ("invitation.sent", coordinator.pk, "coord@example.com", "nina@example.com"),
        ("invitation.resent", coordinator.pk, "coord@example.com", "nina@example.com"),
        ("invitation.accepted", invitation.user_id, "nina@example.com", "nina@example.com"),
    ]


def test_invite_of_existing_address_records_nothing(coordinator, agent):
    with pytest.raises(ValidationError):
        people_services.person_invite(by=coordinator, email="agent@example.com")
    assert AuditEntry.objects.count() == 0


def test_staff_import_records_one_entry_with_counts(coordinator, agent):
    content = (
        "email,first_name,last_name,team,role,manager_email,time_zone\n"
        "ann@example.com,Ann,Lee,Support,agent,,\n"
        "ben@example.com,Ben,Ode,Support,manager,,\n"
        "agent@example.com,,,,manager,,\n"
    )
    staff_import_apply(by=coordinator, content=content)
    assert entry_of("staff.imported")[:6] == (
        coordinator,
        "coord@example.com",
        "staff.imported",
        None,
        "",
        "",
    )
    assert AuditEntry.objects.get().detail == {
        "created": 2,
        "updated": 1,
        "unchanged": 0,
        "teams_created": 1,
        "roles_set": 3,
        "manager_assignments": 0,
    }


def test_staff_import_of_a_bad_file_records_nothing(coordinator):
    content = "email,first_name,last_name,team,role,manager_email,time_zone\nnot-an-email,Ann,Lee,,,,\n"
    with pytest.raises(ValidationError):
        staff_import_apply(by=coordinator, content=content)
    assert AuditEntry.objects.count() == 0


# --- Weeks and activities -----------------------------------------------------------------------


def test_week_create_records_its_dates(coordinator):
    week = events_services.week_create(by=coordinator, year=2031)
    starts_on = default_week_dates(2031)[0]
    assert entry_of("week.created")[2:] == (
        "week.created",
        type_of(Week),
        str(week.pk),
        "Customer Service Week 2031",
        {"starts_on": starts_on.isoformat()},
    )


def test_week_publish_and_unpublish_each_record_one_entry(coordinator):
    week = EventsWeekFactory(year=2030, theme="", status=Week.Status.DRAFT)
    events_services.week_publish(by=coordinator, week=week)
    events_services.week_unpublish(by=coordinator, week=week)
    rows = list(AuditEntry.objects.order_by("id").values_list("action", "actor_repr", "object_repr"))
    assert rows == [
        ("week.published", "coord@example.com", "Customer Service Week 2030"),
        ("week.unpublished", "coord@example.com", "Customer Service Week 2030"),
    ]


def test_week_move_records_old_and_new_dates_and_zone(coordinator):
    week = EventsWeekFactory(year=2030)
    old_start = week.starts_on
    new_start = old_start + datetime.timedelta(days=7)
    events_services.week_update(
        by=coordinator,
        week=week,
        theme=week.theme,
        description=week.description,
        time_zone="Europe/Paris",
        starts_on=new_start,
    )
    assert entry_of("week.moved")[6] == {
        "starts_on_from": old_start.isoformat(),
        "starts_on_to": new_start.isoformat(),
        "time_zone_from": "Europe/London",
        "time_zone_to": "Europe/Paris",
    }


def test_week_theme_change_records_week_updated(coordinator):
    week = EventsWeekFactory(year=2030)
    events_services.week_update(
        by=coordinator,
        week=week,
        theme="New theme",
        description=week.description,
        time_zone=week.time_zone,
        starts_on=week.starts_on,
    )
    assert entry_of("week.updated")[6] == {"changed": ["theme"]}


def test_week_clone_records_the_new_week(coordinator):
    source = EventsWeekFactory(year=2030)
    target = events_services.week_clone(by=coordinator, source=source, year=2031)
    assert entry_of("week.cloned")[4:] == (str(target.pk), str(target), {"from_year": 2030})


def test_activity_create_update_cancel_delete(coordinator):
    week = EventsWeekFactory(year=2030)
    activity = events_services.activity_create(
        by=coordinator,
        week=week,
        title="Listening skills",
        starts_at=local(week, 1, 10),
        ends_at=local(week, 1, 11),
        host=coordinator,
        room="Room 1",
    )
    events_services.activity_update(by=coordinator, activity=activity, title="Listening well", capacity=20)
    events_services.activity_cancel(by=coordinator, activity=activity)
    other = ActivityFactory(week=week, title="Quiz", host=coordinator)
    other_pk = other.pk
    events_services.activity_delete(by=coordinator, activity=other)
    rows = list(
        AuditEntry.objects.order_by("id").values_list(
            "action", "object_type", "object_id", "object_repr", "detail"
        )
    )
    activity_type = type_of(Activity).pk
    assert rows == [
        ("activity.created", activity_type, str(activity.pk), "Listening skills", {"week": 2030}),
        (
            "activity.updated",
            activity_type,
            str(activity.pk),
            "Listening well",
            {"changed": ["title", "capacity"]},
        ),
        ("activity.cancelled", activity_type, str(activity.pk), "Listening well", {}),
        ("activity.deleted", activity_type, str(other_pk), "Quiz", {"week": 2030}),
    ]


def test_activity_delete_refused_records_nothing(coordinator, agent):
    activity = ActivityFactory(week=EventsWeekFactory(year=2030), host=coordinator)
    RegistrationFactory(activity=activity, user=agent)
    with pytest.raises(ValidationError):
        events_services.activity_delete(by=coordinator, activity=activity)
    assert AuditEntry.objects.count() == 0


def test_entry_rolls_back_with_the_callers_transaction(coordinator):
    week = EventsWeekFactory(year=2030, status=Week.Status.DRAFT)
    with pytest.raises(RuntimeError), transaction.atomic():
        events_services.week_publish(by=coordinator, week=week)
        assert AuditEntry.objects.count() == 1
        raise RuntimeError("the request failed after the change")
    assert AuditEntry.objects.count() == 0
    week.refresh_from_db()
    assert week.status == Week.Status.DRAFT


# --- Recognition --------------------------------------------------------------------------------


@pytest.fixture
def category(db):
    return AwardCategoryFactory(week=RecognitionWeekFactory(year=2026), name="Customer Hero", award_limit=1)


@pytest.fixture
def nominee(team):
    return AgentFactory(email="nominee@example.com", first_name="Nia", last_name="Okafor", team=team)


@pytest.fixture
def nomination(agent, nominee, category, manager):
    return recognition_services.nomination_create(
        nominator=agent, nominee=nominee, category=category, story=STORY
    )


def test_nomination_approve_records_nominee_and_category(nomination, manager):
    recognition_services.nomination_approve(nomination=nomination, by=manager, comment="Well done")
    assert entry_of("nomination.approved") == (
        manager,
        "boss@example.com",
        "nomination.approved",
        type_of(Nomination),
        str(nomination.pk),
        "Nia Okafor for Customer Hero (Approved)",
        {"nominee": "nominee@example.com", "category": "Customer Hero"},
    )


def test_nomination_decline_records_one_entry(nomination, manager):
    recognition_services.nomination_decline(nomination=nomination, by=manager, comment="Not this time.")
    assert entry_of("nomination.declined")[:3] == (manager, "boss@example.com", "nomination.declined")


def test_nomination_decline_without_comment_records_nothing(nomination, manager):
    with pytest.raises(ValidationError):
        recognition_services.nomination_decline(nomination=nomination, by=manager, comment=" ")
    assert AuditEntry.objects.count() == 0


def test_bulk_approve_records_only_the_approvals(nomination, manager, category, nominee, other_agent):
    second = recognition_services.nomination_create(
        nominator=other_agent, nominee=nominee, category=category, story=STORY
    )
    result = recognition_services.nominations_bulk_approve(nominations=[nomination, second], by=manager)
    assert (len(result.approved), len(result.refused)) == (1, 1)  # the category allows one award
    assert list(AuditEntry.objects.values_list("action", "object_id")) == [
        ("nomination.approved", str(nomination.pk))
    ]


def test_awards_announced_records_the_count(coordinator, category):
    NominationFactory(category=category, approved=True)
    week = category.week
    now = datetime.datetime.combine(week.ends_on, datetime.time(12, 0), tzinfo=datetime.UTC)
    recognition_services.awards_announce_now(week=week, by=coordinator, now=now)
    assert entry_of("awards.announced")[3:] == (
        type_of(Week),
        str(week.pk),
        str(week),
        {"count": 1},
    )


def test_announcement_records_its_recipients(coordinator, agent, manager, team):
    # Drafted without the service, whose own entry ("announcement.created") is tested elsewhere.
    announcement = Announcement.objects.create(
        subject="Hello", body="Everyone.", audience_everyone=False, created_by=coordinator
    )
    announcement.audience_teams.set([team])
    announcement_services.announcement_send_now(by=coordinator, announcement=announcement)
    announcement_services.announcement_deliver(announcement_id=announcement.pk)
    assert entry_of("announcement.sent")[4:] == (
        str(announcement.pk),
        "Hello",
        {"recipients": 2, "opted_out": 0, "chat_posts": 0},
    )


# --- Exports ------------------------------------------------------------------------------------


def test_wall_export_is_recorded(client, coordinator, category):
    NominationFactory(category=category, approved=True)
    client.force_login(coordinator)
    response = client.get(reverse("recognition:wall_export"), {"week": 2026})
    assert response.status_code == 200
    assert entry_of("export.wall_csv")[:3] + entry_of("export.wall_csv")[5:] == (
        coordinator,
        "coord@example.com",
        "export.wall_csv",
        str(category.week),
        {"rows": 1},
    )


def test_registrants_export_is_recorded(client, coordinator, agent):
    activity = ActivityFactory(week=EventsWeekFactory(year=2030), title="Quiz", host=coordinator)
    RegistrationFactory(activity=activity, user=agent)
    client.force_login(coordinator)
    response = client.get(reverse("events:activity_registrants_csv", args=[activity.pk]))
    assert response.status_code == 200
    assert entry_of("export.registrants_csv")[4:] == (str(activity.pk), "Quiz", {"rows": 1})


def test_refused_export_records_nothing(client, agent, category):
    client.force_login(agent)
    assert client.get(reverse("recognition:wall_export"), {"week": 2026}).status_code == 403
    assert AuditEntry.objects.count() == 0
