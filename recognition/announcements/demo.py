"""Demo announcements for seed_demo: one sent after last year's week (with its emails in the
outbox), one scheduled for the coming days. No chat webhook: the demo must not post anywhere.

Idempotent: each announcement is looked up by its subject first, and its emails by their key."""

import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone

from events.models import default_week_dates
from outbox.demo import deliveries_seed
from people.models import User
from recognition.announcements import selectors
from recognition.models import Announcement

ZONE = zoneinfo.ZoneInfo("Europe/London")
COORDINATOR = "coordinator@example.com"

THANKS_BODY = """Thank you, everyone, for a wonderful Customer Service Week.

- **{awards}** colleagues were recognised on the [wall](/wall/)
- the photos from the ceremony are in the shared drive

See you next October!"""

COMING_BODY = """A quick reminder before the next Customer Service Week:

1. Nominate a colleague who made a difference: it takes two minutes.
2. Sign up for the activities on the [schedule](/schedule/).

Thank you for everything you do for our customers."""


@transaction.atomic
def seed(*, now: datetime.datetime | None = None) -> int:
    """Returns how many announcements were new."""
    now = now or timezone.now()
    coordinator = User.objects.filter(email=COORDINATOR).first()
    if coordinator is None:
        return 0  # the demo people are not there: seed_demo creates them first
    created = 0
    last_year = timezone.localdate(now).year - 1
    _, last_ends_on = default_week_dates(last_year)
    sent_at = datetime.datetime.combine(
        last_ends_on + datetime.timedelta(days=3), datetime.time(10), tzinfo=ZONE
    )
    subject = f"Thank you for Customer Service Week {last_year}"
    sent = Announcement.objects.filter(subject=subject).first()
    if sent is None:
        sent = Announcement.objects.create(
            subject=subject,
            body=THANKS_BODY.format(awards="Twelve"),
            status=Announcement.Status.SENT,
            created_by=coordinator,
            sent_by=coordinator,
            created_at=sent_at - datetime.timedelta(days=1),
            updated_at=sent_at,
            sent_at=sent_at,
        )
        created += 1
    recipients = list(selectors.announcement_recipients(sent).order_by("pk"))
    deliveries_seed(
        (
            {
                "recipient_id": person.pk,
                "address": person.email,
                "kind": selectors.KIND,
                "object_id": sent.pk,
                "status": "sent",
                "attempts": 1,
                "sent_at": sent_at,
                "created_at": sent_at,
            }
            for person in recipients
        ),
        about_model=Announcement,
    )
    reach = selectors.announcement_reach(sent)
    Announcement.objects.filter(pk=sent.pk).update(
        recipient_count=len(recipients), opted_out_count=reach.opted_out
    )
    subject = "Customer Service Week is coming: nominate and sign up"
    if not Announcement.objects.filter(subject=subject).exists():
        local_day = (now.astimezone(ZONE) + datetime.timedelta(days=3)).date()
        Announcement.objects.create(
            subject=subject,
            body=COMING_BODY,
            status=Announcement.Status.SCHEDULED,
            scheduled_at=datetime.datetime.combine(local_day, datetime.time(9), tzinfo=ZONE),
            created_by=coordinator,
            sent_by=coordinator,
            created_at=now,
            updated_at=now,
        )
        created += 1
    return created
