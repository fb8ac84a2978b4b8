"""The outbox's counts are cached under the deliveries' version (csweek.core.versions): a delivery
or an opt-out saved or deleted one by one bumps it here; the services bump it after their bulk
writes, which send no signal."""

from django.db.models.signals import post_delete, post_save

from csweek.core import versions
from outbox.models import Delivery, EmailOptOut


def _changed(sender, **kwargs):
    versions.bump(versions.DELIVERIES)


def connect() -> None:
    for model in (Delivery, EmailOptOut):
        post_save.connect(_changed, sender=model, dispatch_uid=f"outbox-version-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"outbox-version-delete-{model.__name__}")
