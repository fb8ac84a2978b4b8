"""Email kinds owned by the outbox itself: announcements from the coordinators."""

from outbox.chat import TOPICS
from outbox.kinds import Kind, register
from outbox.preferences import Preference, register_preference


def announcement_context(delivery) -> dict | None:
    announcement = delivery.about
    if announcement is None:
        return None
    return {"announcement": announcement, "person": delivery.recipient}


ANNOUNCEMENTS = register_preference(
    Preference(
        key="email_announcements",
        label="announcements",
        help_text="Announcements from the programme coordinators",
    )
)

ANNOUNCEMENT = register(
    Kind(
        name="announcement",
        label="Announcements",
        context=announcement_context,
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
