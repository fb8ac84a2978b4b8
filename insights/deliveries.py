"""Insights' email: the week recap, to everyone, under the announcements preference."""

from django.urls import reverse

from outbox.deliveries import ANNOUNCEMENTS
from outbox.kinds import Kind, register


def recap_context(delivery) -> dict | None:
    recap = delivery.about
    if recap is None:
        return None
    return {
        "recap": recap,
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
