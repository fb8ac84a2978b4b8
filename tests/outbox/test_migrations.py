"""The data migrations of the outbox: the year of the week of deliveries made before the week filter,
the email preferences moved to opt-out rows, and the emails of the removed announcement kind."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from outbox.models import Delivery
from tests.events.factories import ActivityFactory, WeekFactory
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db

fill = importlib.import_module("outbox.migrations.0004_fill_delivery_week_year")
remove_announcement = importlib.import_module("outbox.migrations.0010_remove_announcement")


def test_fill_week_year_sets_the_year_of_the_object_each_delivery_is_about(coordinator):
    person = AgentFactory()
    activity = ActivityFactory(week=WeekFactory(year=2027), host=coordinator)
    week = WeekFactory(year=2028)
    about_activity = Delivery.objects.create(recipient=person, address=person.email, kind="x", about=activity)
    about_week = Delivery.objects.create(recipient=person, address=person.email, kind="y", about=week)
    about_nothing = Delivery.objects.create(recipient=person, address=person.email, kind="z")
    fill.fill_week_year(apps, None)
    assert [Delivery.objects.get(pk=d.pk).week_year for d in (about_activity, about_week, about_nothing)] == [
        2027,
        2028,
        None,
    ]


def test_old_announcement_emails_stay_as_history_and_the_unsent_are_skipped(coordinator):
    person, other = AgentFactory.create_batch(2)
    Status = Delivery.Status
    old = {
        status: Delivery.objects.create(
            recipient=person,
            address=person.email,
            kind="announcement",
            about=coordinator,  # stands for the removed model's row
            occurrence=status,
            status=status,
            payload={"k": "v"},
            last_error={Status.FAILED: "timeout", Status.SKIPPED: "No longer relevant."}.get(status, ""),
        )
        for status in (Status.PENDING, Status.SENDING, Status.FAILED, Status.SENT, Status.SKIPPED)
    }
    current = Delivery.objects.create(
        recipient=other, address=other.email, kind="coordinator_announcement", about=coordinator
    )
    remove_announcement.detach_old_announcement_deliveries(apps, None)
    rows = {
        d.occurrence: (d.status, d.content_type_id, d.object_id, d.last_error)
        for d in Delivery.objects.filter(kind="announcement")
    }
    removed = "Its announcement was removed."
    assert rows == {
        "pending": ("skipped", None, None, removed),
        "sending": ("skipped", None, None, removed),
        "failed": ("skipped", None, None, removed),
        "sent": ("sent", None, None, ""),
        "skipped": ("skipped", None, None, "No longer relevant."),
    }
    assert Delivery.objects.get(pk=old[Status.PENDING].pk).payload == {}
    current.refresh_from_db()
    assert (current.status, current.about) == (Status.PENDING, coordinator)


BEFORE_OPT_OUTS = [("outbox", "0006_email_opt_out"), ("people", "0004_text_limits")]
AFTER_OPT_OUTS = [("people", "0005_remove_user_email_preferences")]
COLUMNS = (
    "email_reminders",
    "email_daily_theme",
    "email_recognition",
    "email_nomination_news",
    "email_digest",
    "email_announcements",
)


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def column_preferences(historical_apps) -> dict[str, dict[str, bool]]:
    user_model = historical_apps.get_model("people", "User")
    return {
        row["email"]: {column: row[column] for column in COLUMNS}
        for row in user_model.objects.filter(email__endswith="@example.com").values("email", *COLUMNS)
    }


@pytest.mark.django_db(transaction=True)
def test_email_opt_outs_migration_keeps_every_choice_both_ways():
    try:
        old_apps = migrate_to(BEFORE_OPT_OUTS)
        user_model = old_apps.get_model("people", "User")
        user_model.objects.create(email="quiet@example.com", email_reminders=False, email_digest=False)
        user_model.objects.create(email="silent@example.com", **dict.fromkeys(COLUMNS, False))
        user_model.objects.create(email="keen@example.com")
        before = column_preferences(old_apps)

        new_apps = migrate_to(AFTER_OPT_OUTS)
        opt_outs = new_apps.get_model("outbox", "EmailOptOut").objects.values_list(
            "user__email", "preference"
        )
        assert sorted(opt_outs) == sorted(
            [("quiet@example.com", "email_reminders"), ("quiet@example.com", "email_digest")]
            + [("silent@example.com", column) for column in COLUMNS]
        )
        after = {
            email: {column: (email, column) not in set(opt_outs) for column in COLUMNS} for email in before
        }
        assert after == before

        # Going back on people alone (the opt-out table stays) loses nothing either.
        assert column_preferences(migrate_to([("people", "0004_text_limits")])) == before
        migrate_to(AFTER_OPT_OUTS)
        assert column_preferences(migrate_to(BEFORE_OPT_OUTS)) == before
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
