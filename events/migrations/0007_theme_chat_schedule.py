"""The theme of the day's chat post runs every minute from Celery beat (editable in the admin)."""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "events: theme of the day in chat"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "events.daily_theme_chat_due",
            "interval": every_minute,
            "enabled": True,
            "description": "Posts each day's theme to the chat webhooks that take it, from 08:00 in the week's zone.",
        },
    )
    # Tell a running beat that the schedule changed (what PeriodicTasks.changed() does).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_attendance"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
