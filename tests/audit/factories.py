"""factory_boy factories for audit entries written straight to the table (with a chosen time)."""

import factory
from django.utils import timezone

from audit.models import AuditEntry


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    created_at = factory.LazyFunction(timezone.now)
    actor = None
    actor_repr = factory.LazyAttribute(lambda entry: entry.actor.email if entry.actor else "")
    action = "week.published"
    object_repr = "Customer Service Week 2030"
    detail = factory.LazyFunction(dict)
