"""Demo data for seed_demo: last year's recap, with its thank-you note, sent to everyone it is for."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from events.models import Week
from insights.deliveries import WEEK_RECAP
from insights.models import WeekRecap
from insights.selectors import recap_recipients
from outbox.models import Delivery
from people.models import User

NOTE = (
    "Thank you, everyone, for a wonderful Customer Service Week. Your sign-ups, your stories about "
    "colleagues and the customers' own words made it a week to remember."
)


@transaction.atomic
def seed(*, scale: int = 0) -> None:
    """Last year's week gets its recap, sent on the Monday after to the people the real send
    reaches (recap_recipients), so a demo never shows an email to someone who opted out. Idempotent."""
    week = Week.objects.filter(year=timezone.localdate().year - 1).first()
    if week is None:
        return
    sent_at = datetime.datetime.combine(
        week.ends_on + datetime.timedelta(days=3), datetime.time(9, 0), tzinfo=datetime.UTC
    )
    coordinator = User.objects.filter(email="coordinator@example.com").first()
    recap, _ = WeekRecap.objects.get_or_create(
        week=week, defaults={"thank_you_note": NOTE, "sent_at": sent_at, "sent_by": coordinator}
    )
    content_type = ContentType.objects.get_for_model(WeekRecap)
    people = recap_recipients(recap).values_list("pk", "email")
    Delivery.objects.bulk_create(
        [
            Delivery(
                recipient_id=pk,
                address=email,
                kind=WEEK_RECAP.name,
                content_type=content_type,
                object_id=recap.pk,
                week_year=week.year,
                status=Delivery.Status.SENT,
                attempts=1,
                queued_at=sent_at,
                sent_at=sent_at,
                created_at=sent_at,
            )
            for pk, email in people.iterator(chunk_size=2000)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
