"""Celery tasks of the outbox: thin, named, acks_late; the Delivery rows make them safe to run twice."""

from celery import shared_task

from outbox import services


@shared_task(
    name="outbox.send",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,  # each row counts its own attempts and ends failed after OUTBOX_MAX_ATTEMPTS
)
def send_deliveries(self, delivery_ids: list[int]) -> int:
    """Send the pending deliveries among `delivery_ids`; SMTP errors retry the rest with backoff."""
    result = services.deliveries_send(ids=delivery_ids)
    if result.retry_ids:
        raise self.retry(args=[result.retry_ids], countdown=result.retry_in)
    return result.sent


@shared_task(name="outbox.sweep", acks_late=True, reject_on_worker_lost=True)
def sweep() -> dict:
    """Publish pending deliveries whose task was lost; return rows stuck in sending (beat, every minute)."""
    result = services.deliveries_sweep()
    return {"returned": result.returned, "failed": result.failed, "requeued": result.requeued}
