"""Insights' email: the week recap, to everyone, under the announcements preference."""

from django.urls import reverse

from insights.recap import build_recap
from outbox.deliveries import ANNOUNCEMENTS
from outbox.kinds import Kind, register


def _headline(recap) -> list[tuple[str, str]]:
    """The recap page's headline numbers, worked out once per chunk: its deliveries share `about`."""
    if "_email_headline" not in recap.__dict__:
        recap.__dict__["_email_headline"] = build_recap(recap.week).headline
    return recap.__dict__["_email_headline"]


def recap_context(delivery) -> dict | None:
    recap = delivery.about
    if recap is None:
        return None
    return {
        "recap": recap,
        "headline": _headline(recap),
        "week": recap.week,
        "person": delivery.recipient,
        "recap_path": reverse("insights:recap", args=[recap.week.year]),
    }


WEEK_RECAP = register(
    Kind(
        name="week_recap",
        label="Week recap",
        context=recap_context,
        preference=ANNOUNCEMENTS.key,
        week_of=lambda recap: recap.week.year,
    )
)
