"""Email kinds owned by the outbox itself: announcements from the coordinators."""

from outbox.kinds import Kind, register


def announcement_context(delivery) -> dict | None:
    announcement = delivery.about
    if announcement is None:
        return None
    return {"announcement": announcement, "person": delivery.recipient}


ANNOUNCEMENT = register(
    Kind(
        name="announcement",
        label="Announcements",
        context=announcement_context,
        preference="email_announcements",
    )
)
