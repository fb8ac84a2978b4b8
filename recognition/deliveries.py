"""Email kinds of recognition: nomination notices, decisions, awards, open windows, digests, announcements.

Every context builder reads the data again when the email is sent, so an email about something
that changed since (a withdrawn nomination, a window moved, nothing left to review) is skipped.
"""

import datetime
import zoneinfo

from django.urls import reverse
from django.utils import timezone

from outbox.kinds import Kind, register
from outbox.preferences import Preference, register_preference
from recognition import selectors
from recognition.models import Nomination
from recognition.services import occurrence_moment


def _nomination(delivery) -> Nomination | None:
    return selectors.nomination_with_people(pk=delivery.object_id)


def nomination_submitted_context(delivery) -> dict | None:
    """To a manager of the nominee; not once the nomination is withdrawn or reviewed."""
    nomination = _nomination(delivery)
    if nomination is None or nomination.status != Nomination.Status.SUBMITTED:
        return None
    return {
        "nomination": nomination,
        "manager": delivery.recipient,
        "review_path": reverse("recognition:review"),
    }


def nomination_decided_context(delivery) -> dict | None:
    """To the nominator, with the reviewer's comment; the occurrence is the decision it tells of."""
    nomination = _nomination(delivery)
    if nomination is None or not nomination.is_decided or nomination.status != delivery.occurrence:
        return None
    return {"nomination": nomination, "person": delivery.recipient, "mine_path": reverse("recognition:mine")}


def award_received_context(delivery) -> dict | None:
    """To the nominee of an approved nomination (the template never names an anonymous nominator)."""
    nomination = _nomination(delivery)
    if nomination is None or not nomination.is_award:
        return None
    return {
        "nomination": nomination,
        "person": delivery.recipient,
        "wall_path": reverse("recognition:wall") + f"?week={nomination.week.year}",
    }


def _published_week(delivery):
    week = delivery.about
    if week is None or not week.is_published:
        return None
    return week


def nominations_open_context(delivery) -> dict | None:
    """The week's categories open now; skipped once those that opened at this moment have closed."""
    week = _published_week(delivery)
    if week is None:
        return None
    categories = selectors.categories_opening(
        week=week, opens_at=occurrence_moment(delivery.occurrence), now=timezone.now()
    )
    if not categories:
        return None
    return {
        "week": week,
        "categories": categories,
        "person": delivery.recipient,
        "nominate_path": reverse("recognition:nomination_new"),
    }


def nominations_closing_context(delivery) -> dict | None:
    """The categories whose window closes at this moment, while they are still open."""
    week = _published_week(delivery)
    if week is None:
        return None
    closes_at = occurrence_moment(delivery.occurrence)
    categories = selectors.categories_closing(week=week, closes_at=closes_at, now=timezone.now())
    if not categories:
        return None
    return {
        "week": week,
        "categories": categories,
        "closes_at": closes_at,
        "person": delivery.recipient,
        "nominate_path": reverse("recognition:nomination_new"),
    }


def manager_digest_context(delivery) -> dict | None:
    """What waits for the manager when the email is sent; nothing left to review, nothing sent.
    A digest held up past its own day (its date in the manager's zone) is not sent: the next day's
    digest says what waits then."""
    manager = delivery.recipient
    day = datetime.date.fromisoformat(delivery.occurrence)
    if timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(manager.time_zone)).date() != day:
        return None
    nominations = selectors.nominations_waiting_for(manager)
    if not nominations:
        return None
    return {
        "manager": manager,
        "nominations": nominations,
        "day": day,
        "now": timezone.now(),
        "review_path": reverse("recognition:review"),
    }


def award_announcement_context(delivery) -> dict | None:
    """The awards of one announcement batch (the occurrence is the moment they were announced)."""
    week = _published_week(delivery)
    if week is None:
        return None
    awards = selectors.awards_announced_at(week=week, announced_at=occurrence_moment(delivery.occurrence))
    if not awards:
        return None
    return {
        "week": week,
        "awards": awards,
        "person": delivery.recipient,
        "wall_path": reverse("recognition:wall") + f"?week={week.year}",
    }


def _week_year_of(nomination: Nomination) -> int:
    """Nominations belong to a week; /deliveries/ filters by it."""
    return nomination.week.year


def _year_of_week(week) -> int:
    return week.year


RECOGNITION = register_preference(
    Preference(
        key="email_recognition",
        label="nominations and awards",
        help_text="Nominations and awards about me or sent by me",
    )
)
NOMINATION_NEWS = register_preference(
    Preference(
        key="email_nomination_news",
        label="nomination news",
        help_text="When nominations open, their last day, and the week's awards announced",
    )
)
DIGEST = register_preference(
    Preference(
        key="email_digest",
        label="manager digest",
        help_text="Daily digest of nominations waiting for my review (managers)",
    )
)

NOMINATION_SUBMITTED = register(
    Kind(
        name="nomination_submitted",
        label="Nominations and awards: to review",
        context=nomination_submitted_context,
        week_of=_week_year_of,
        preference=RECOGNITION.key,
    )
)
NOMINATION_DECIDED = register(
    Kind(
        name="nomination_decided",
        label="Nominations and awards: decisions",
        context=nomination_decided_context,
        week_of=_week_year_of,
        preference=RECOGNITION.key,
    )
)
AWARD_RECEIVED = register(
    Kind(
        name="award_received",
        label="Nominations and awards: my awards",
        context=award_received_context,
        week_of=_week_year_of,
        preference=RECOGNITION.key,
    )
)
NOMINATIONS_OPEN = register(
    Kind(
        name="nominations_open",
        label="Nominations and awards: nominations open",
        context=nominations_open_context,
        week_of=_year_of_week,
        preference=NOMINATION_NEWS.key,
    )
)
NOMINATIONS_CLOSING = register(
    Kind(
        name="nominations_closing",
        label="Nominations and awards: last day to nominate",
        context=nominations_closing_context,
        week_of=_year_of_week,
        preference=NOMINATION_NEWS.key,
    )
)
MANAGER_DIGEST = register(
    Kind(
        name="manager_digest",
        label="Manager digest",
        context=manager_digest_context,
        preference=DIGEST.key,
    )
)
AWARD_ANNOUNCEMENT = register(
    Kind(
        name="award_announcement",
        label="Nominations and awards: awards announced",
        context=award_announcement_context,
        week_of=_year_of_week,
        preference=NOMINATION_NEWS.key,
    )
)
