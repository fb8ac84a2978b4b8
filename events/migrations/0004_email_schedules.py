"""Activity reminders and the theme of the day run every minute from Celery beat (editable in the admin)."""

from django.db import migrations
from django.utils import timezone

SCHEDULES = {
    "events: activity reminders": (
        "events.reminders_due",
        "Creates the reminders 24 hours and 1 hour before each activity of a published week.",
    ),
    "events: theme of the day": (
        "events.daily_theme_due",
        "Creates the theme of the day from 08:00 in each person's own time zone.",
    ),
}


def create_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    for name, (task, description) in SCHEDULES.items():
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={"task": task, "interval": every_minute, "enabled": True, "description": description},
        )
    # Tell a running beat that the schedule changed (what PeriodicTasks.changed() does).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_theme_library"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
