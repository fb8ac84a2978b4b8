"""Celery beat's recognition tasks: each asks a service which emails are due; the outbox sends them."""

from dataclasses import asdict

from celery import shared_task

from recognition import services
from recognition.announcements import services as announcement_services


@shared_task(name="recognition.nominations_due", acks_late=True, reject_on_worker_lost=True)
def nominations_due() -> dict:
    """Nominations-open notices and last-day nudges that are due (beat, every 5 minutes)."""
    return asdict(services.nomination_notices_create())


@shared_task(name="recognition.manager_digest_due", acks_late=True, reject_on_worker_lost=True)
def manager_digest_due() -> int:
    """Manager digests due at 09:00 in each manager's zone (beat, every 5 minutes)."""
    return services.manager_digests_create()


@shared_task(name="recognition.awards_announce_due", acks_late=True, reject_on_worker_lost=True)
def awards_announce_due() -> int:
    """Awards whose category's announcement moment has come (beat, every minute)."""
    return services.awards_announce_due()


@shared_task(name="recognition.announcement_send", acks_late=True, reject_on_worker_lost=True)
def announcement_send(announcement_id: int) -> int | None:
    """Send one announcement now that it is due (queued by "Send now"); safe to run twice."""
    return announcement_services.announcement_deliver(announcement_id=announcement_id)


@shared_task(name="recognition.announcements_due", acks_late=True, reject_on_worker_lost=True)
def announcements_due() -> int:
    """Scheduled announcements whose moment has come (beat, every minute)."""
    return announcement_services.announcements_due()
