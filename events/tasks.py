"""Celery tasks for events: beat calls them every minute; the Delivery rows make them safe to run twice."""

from celery import shared_task
from django.utils import timezone

from events import services


@shared_task(name="events.reminders_due", acks_late=True, reject_on_worker_lost=True)
def reminders_due() -> int:
    """Create (and queue) the activity reminders whose 24 h or 1 h mark has come."""
    return services.reminders_create(now=timezone.now())


@shared_task(name="events.daily_theme_due", acks_late=True, reject_on_worker_lost=True)
def daily_theme_due() -> int:
    """Create (and queue) the theme of the day for people whose local morning has come."""
    return services.daily_themes_create(now=timezone.now())


@shared_task(name="events.daily_theme_chat_due", acks_late=True, reject_on_worker_lost=True)
def daily_theme_chat_due() -> int:
    """Post the theme of the day to the chat webhooks that take it, from 08:00 in the week's zone."""
    return services.daily_theme_chat_posts_queue(now=timezone.now())
