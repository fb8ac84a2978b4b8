"""The announcement email: its Markdown body rendered safely for the HTML part, as written for the text."""

from django.conf import settings
from django.utils.safestring import mark_safe

from csweek.core.markdown import render_markdown
from outbox import deliveries as outbox_deliveries
from outbox.kinds import Kind, register
from recognition.announcements.selectors import KIND, PREFERENCE


def announcement_context(delivery) -> dict | None:
    announcement = delivery.about
    if announcement is None:
        return None
    return {
        "announcement": announcement,
        "person": delivery.recipient,
        # render_markdown's output is cleaned by nh3 to a small set of tags and attributes.
        "body_html": mark_safe(render_markdown(announcement.body, base_url=settings.SITE_URL + "/")),  # noqa: S308 -- cleaned by nh3 above
    }


# The outbox declares the announcements preference; it must be registered before this kind.
assert outbox_deliveries.ANNOUNCEMENTS.key == PREFERENCE

ANNOUNCEMENT = register(
    Kind(
        name=KIND,
        label="Announcements from coordinators",
        context=announcement_context,
        preference=PREFERENCE,
    )
)
