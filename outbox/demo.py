"""Demo data for the outbox: the apps hand it the emails a busy organisation's outbox would hold
(sent ones and a few failed), and it writes them in bulk, so no app touches the Delivery table."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType

from outbox.models import Delivery


def deliveries_seed(rows: Iterable[dict], *, about_model) -> int:
    """Insert demo deliveries (dicts of Delivery fields, `object_id` of an `about_model` row);
    one already there is left alone, so seeding twice adds nothing. Returns how many were new."""
    content_type = ContentType.objects.get_for_model(about_model)
    objects = [Delivery(content_type=content_type, **row) for row in rows]
    return len(Delivery.objects.bulk_create(objects, batch_size=2000, ignore_conflicts=True))
