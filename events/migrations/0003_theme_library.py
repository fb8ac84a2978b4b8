from django.db import migrations

# title, description, default weekday (0 = Monday) or None
THEMES = [
    (
        "The Changing World of Work",
        "How the way we serve customers is changing, and what it asks of us.",
        0,
    ),
    (
        "Service with Respect Day",
        "Courtesy, patience and dignity in every conversation, with customers and colleagues.",
        1,
    ),
    (
        "Essential Customer Service Skills and Capabilities",
        "Sharpen the skills every conversation needs: listening, empathy, clear answers.",
        2,
    ),
    (
        "Effective Strategy and Focused Leadership",
        "How leaders set direction and remove obstacles for the front line.",
        None,
    ),
    (
        "Know Your Customer",
        "Who our customers are, what they need and how they feel about us.",
        3,
    ),
    (
        "Recognition Day",
        "Thank the people who serve our customers: awards, kudos and celebration.",
        4,
    ),
    (
        "The Human-Tech Interface",
        "Where people and tools meet: using technology to serve better, not colder.",
        None,
    ),
]


def seed(apps, schema_editor):
    ThemeTemplate = apps.get_model("events", "ThemeTemplate")
    for position, (title, description, weekday) in enumerate(THEMES):
        ThemeTemplate.objects.update_or_create(
            title=title,
            defaults={"description": description, "default_weekday": weekday, "position": position},
        )


def unseed(apps, schema_editor):
    ThemeTemplate = apps.get_model("events", "ThemeTemplate")
    ThemeTemplate.objects.filter(title__in=[title for title, _, _ in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0002_activities")]

    operations = [migrations.RunPython(seed, unseed)]
