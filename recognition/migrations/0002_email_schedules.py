"""Beat runs the recognition emails' schedules every 5 minutes; the rows live in the database (editable in the admin)."""

from django.db import migrations

SCHEDULES = [
    (
        "recognition: nominations open and last-day nudges",
        "recognition.nominations_due",
        "Emails everyone when a week's award categories open, and again on their last day.",
    ),
    (
        "recognition: manager digest",
        "recognition.manager_digest_due",
        "Emails each manager the nominations waiting for them, at 09:00 their time on working days.",
    ),
]


def create_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    for name, task, description in SCHEDULES:
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={
                "task": task,
                "interval": every_five_minutes,
                "enabled": True,
                "description": description,
            },
        )
    # Tell a running beat that the schedule changed (what PeriodicTasks.changed() does).
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
