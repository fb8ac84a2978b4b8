"""Each email preference a person switched off on their profile (a False User.email_* column)
becomes an EmailOptOut row. Going back, people.0005 sets the columns from the rows once it has
put the columns back (so rolling back people alone loses nothing either)."""

from django.db import migrations

PREFERENCES = (
    "email_reminders",
    "email_daily_theme",
    "email_recognition",
    "email_nomination_news",
    "email_digest",
    "email_announcements",
)


def columns_to_opt_outs(apps, schema_editor):
    User = apps.get_model("people", "User")
    EmailOptOut = apps.get_model("outbox", "EmailOptOut")
    for preference in PREFERENCES:
        user_ids = User.objects.filter(**{preference: False}).values_list("pk", flat=True).iterator()
        EmailOptOut.objects.bulk_create(
            (EmailOptOut(user_id=user_id, preference=preference) for user_id in user_ids),
            batch_size=1000,
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0006_email_opt_out"),
        ("people", "0004_text_limits"),
    ]

    operations = [migrations.RunPython(columns_to_opt_outs, migrations.RunPython.noop, elidable=False)]
