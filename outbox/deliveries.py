"""Email kinds owned by the outbox itself: announcements from the coordinators, and the chat posts."""

from django.conf import settings

from csweek.core.markdown import render_markdown
from outbox.chat import TOPICS
from outbox.kinds import Kind, register
from outbox.preferences import Preference, register_preference

ANNOUNCEMENTS = register_preference(
    Preference(
        key="email_announcements",
        label="announcements",
        help_text="Announcements from the programme coordinators",
    )
)


def composed_announcement_context(delivery) -> dict | None:
    """An announcement written in the composer (recognition's Announcement): its Markdown body
    rendered safely for the HTML part, as written for the text part."""
    announcement = delivery.about
    if announcement is None:
        return None
    return {
        "announcement": announcement,
        "person": delivery.recipient,
        "body_html": render_markdown(announcement.body, base_url=settings.SITE_URL + "/"),
    }


COMPOSED_ANNOUNCEMENT = register(
    Kind(
        name="coordinator_announcement",
        label="Announcements from coordinators",
        context=composed_announcement_context,
        preference=ANNOUNCEMENTS.key,
    )
)


def chat_post_context(delivery) -> dict | None:
    """A chat post carries what it says in its payload (its webhook is what it is about)."""
    return dict(delivery.payload) if delivery.about is not None else None


CHAT_KINDS = [
    register(Kind(name=topic.kind, label=f"Chat: {topic.label.lower()}", context=chat_post_context))
    for topic in TOPICS.values()
]
