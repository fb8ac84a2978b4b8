"""The outbox's own announcements are gone (announcements are written in the composer, kind
"coordinator_announcement"). The emails of the old kind stay in /deliveries/ as history, no longer
about an object; those not sent yet are skipped, since nothing renders that kind any more."""

from django.db import migrations

OLD_KIND = "announcement"


def detach_old_announcement_deliveries(apps, schema_editor):
    Delivery = apps.get_model("outbox", "Delivery")
    old = Delivery.objects.filter(kind=OLD_KIND)
    old.filter(status__in=["pending", "sending", "failed"]).update(
        status="skipped",
        last_error="Its announcement was removed.",
        payload={},
        queued_at=None,
        claimed_at=None,
    )
    old.update(content_type=None, object_id=None)


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0009_chat_webhooks"),
    ]

    operations = [
        migrations.RunPython(detach_old_announcement_deliveries, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="Announcement",
        ),
    ]
