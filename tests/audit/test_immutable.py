"""Audit entries are never changed or deleted: not by the model, a queryset, or the admin."""

import pytest
from django.db import transaction
from django.urls import reverse

from audit.models import AuditEntry, AuditEntryImmutableError
from audit.services import audit_record
from tests.audit.factories import AuditEntryFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def entry(coordinator):
    return audit_record(actor=coordinator, action="week.published", detail={"count": 1})


def test_entry_save_after_creation_is_refused(entry):
    entry.action = "week.unpublished"
    with pytest.raises(AuditEntryImmutableError):
        entry.save()
    assert AuditEntry.objects.get().action == "week.published"


def test_new_instance_with_an_existing_id_is_refused(entry):
    forged = AuditEntry(pk=entry.pk, action="week.unpublished", actor_repr="someone@example.com")
    with pytest.raises(AuditEntryImmutableError):
        forged.save()
    assert AuditEntry.objects.values_list("action", "actor_repr").get() == (
        "week.published",
        entry.actor_repr,
    )


def test_entry_delete_is_refused(entry):
    with pytest.raises(AuditEntryImmutableError):
        entry.delete()
    assert AuditEntry.objects.count() == 1


def test_queryset_update_is_refused(entry):
    with pytest.raises(AuditEntryImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="week.unpublished")
    assert AuditEntry.objects.get().action == "week.published"


def test_queryset_bulk_update_is_refused(entry):
    entry.actor_repr = "someone@example.com"
    # bulk_update's own atomic block is broken by the refusal: a savepoint keeps the test's usable.
    with pytest.raises(AuditEntryImmutableError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["actor_repr"])
    assert AuditEntry.objects.get().actor_repr == "coord@example.com"


def test_queryset_delete_is_refused(entry):
    with pytest.raises(AuditEntryImmutableError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


def test_unknown_action_is_refused(coordinator):
    with pytest.raises(ValueError, match=r"week\.publishd"):
        audit_record(actor=coordinator, action="week.publishd")
    assert AuditEntry.objects.count() == 0


def test_deleting_the_actor_keeps_the_entry_and_their_email(entry, coordinator):
    coordinator.delete()
    kept = AuditEntry.objects.get()
    assert (kept.actor_id, kept.actor_repr, kept.action) == (None, "coord@example.com", "week.published")


def test_admin_lists_entries_read_only_for_a_superuser(client, superuser, entry):
    client.force_login(superuser)
    response = client.get(reverse("admin:audit_auditentry_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [entry]
    assert response.context["has_add_permission"] is False


def test_admin_refuses_add_change_and_delete_even_to_a_superuser(client, superuser, entry):
    client.force_login(superuser)
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.post(change_url, {"action": "week.unpublished"}).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
    assert (
        client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.get().action == "week.published"


def test_admin_bulk_delete_of_entries_is_refused(client, superuser, entry):
    AuditEntryFactory()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:audit_auditentry_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(AuditEntry.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    # Without the delete permission no action is offered: the admin shows the list again.
    assert response.status_code == 200
    assert response.context["action_form"] is None
    assert AuditEntry.objects.count() == 2
