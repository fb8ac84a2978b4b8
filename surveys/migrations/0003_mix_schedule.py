"""The answers of recent surveys are rewritten every 10 minutes from Celery beat (see services.responses_mix)."""

from django.db import migrations
from django.utils import timezone

NAME = "surveys: mix answers"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every_ten, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "surveys.responses_mix",
            "interval": every_ten,
            "enabled": True,
            "description": "Gives the answers of open surveys a common transaction id, so they cannot be "
            "matched with who answered by the database's row metadata.",
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_email_schedules")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
