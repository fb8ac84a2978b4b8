"""Deliveries created before the week filter existed learn the year of the week they are about."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

# (app, model, the path from that model to its week's year)
WEEK_YEAR_OF = [
    ("events", "activity", "week__year"),
    ("events", "daytheme", "week__year"),
    ("events", "registration", "activity__week__year"),
    ("events", "week", "year"),
    ("recognition", "nomination", "week__year"),
]


def fill_week_year(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Delivery = apps.get_model("outbox", "Delivery")
    for app_label, model_name, path in WEEK_YEAR_OF:
        content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        if content_type is None:
            continue
        model = apps.get_model(app_label, model_name)
        year = model.objects.filter(pk=OuterRef("object_id")).values(path)[:1]
        Delivery.objects.filter(content_type=content_type, week_year__isnull=True).update(week_year=Subquery(year))


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0003_delivery_week_year"),
        ("events", "0004_email_schedules"),
        ("recognition", "0002_email_schedules"),
    ]

    operations = [migrations.RunPython(fill_week_year, migrations.RunPython.noop)]
