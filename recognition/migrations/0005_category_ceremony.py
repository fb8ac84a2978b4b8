"""Award categories get who may be nominated, the announcement moment, the surprise choice and retirement.

Existing categories are announced when their window closes (the earliest the new rule allows);
a coordinator can move the moment later on /weeks/<year>/categories/.
"""

from django.db import migrations, models


def announce_when_closing(apps, schema_editor):
    AwardCategory = apps.get_model("recognition", "AwardCategory")
    AwardCategory.objects.filter(announce_at__isnull=True).update(announce_at=models.F("closes_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0004_queue_and_wall_order_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="awardcategory",
            name="eligible",
            field=models.CharField(
                choices=[
                    ("everyone", "Everyone"),
                    ("agents", "Agents only (not managers or coordinators)"),
                    ("managers", "Managers only"),
                ],
                default="everyone",
                max_length=10,
                verbose_name="who may be nominated",
            ),
        ),
        migrations.AddField(
            model_name="awardcategory",
            name="announce_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(announce_when_closing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="awardcategory",
            name="announce_at",
            field=models.DateTimeField(
                help_text="Until then an award is seen only by its reviewers and coordinators.",
                verbose_name="awards announced",
            ),
        ),
        migrations.AddField(
            model_name="awardcategory",
            name="tell_nominee_early",
            field=models.BooleanField(
                default=False,
                help_text="Off (the default) keeps it a surprise: the nominee learns of it at the announcement.",
                verbose_name="tell the nominee when approved",
            ),
        ),
        migrations.AddField(
            model_name="awardcategory",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="awardcategory",
            constraint=models.CheckConstraint(
                condition=models.Q(announce_at__gte=models.F("closes_at")),
                name="awardcategory_announce_after_window",
            ),
        ),
        migrations.AddConstraint(
            model_name="awardcategory",
            constraint=models.CheckConstraint(
                condition=models.Q(eligible__in=["everyone", "agents", "managers"]),
                name="awardcategory_eligible_valid",
            ),
        ),
        migrations.AddIndex(
            model_name="awardcategory",
            index=models.Index(fields=["announce_at"], name="awardcategory_announce_at"),
        ),
    ]
