"""csweek: plan and run Customer Service Week."""

from csweek.celery import app as celery_app

__all__ = ["celery_app"]
