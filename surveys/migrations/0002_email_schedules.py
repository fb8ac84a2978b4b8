"""Survey invitations and reminders run every minute from Celery beat (editable in the admin)."""

from django.db import migrations
from django.utils import timezone

SCHEDULES = {
    "surveys: invitations": (
        "surveys.invitations_due",
        "Invites the audience of each published survey once it opens.",
    ),
    "surveys: reminders": (
        "surveys.reminders_due",
        "Reminds those who have not answered, 24 hours before each survey closes.",
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
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
