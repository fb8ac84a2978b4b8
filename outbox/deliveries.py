"""Email kinds owned by the outbox itself: announcements from the coordinators."""

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
