"""The outbox services: creating rows once, claiming, sending over one connection, retries, the sweep."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from csweek.core.versions import without_bumps
from outbox import services
from outbox.models import Delivery, EmailOptOut
from outbox.tasks import send_deliveries, sweep
from recognition.models import Announcement
from tests.factories import AgentFactory, opt_out

pytestmark = pytest.mark.django_db

Status = Delivery.Status


@pytest.fixture
def announcement(coordinator):
    return Announcement.objects.create(
        subject="Kick-off at 10:00", body="Coffee in the atrium.", sent_by=coordinator
    )


def statuses() -> dict[str, str]:
    return dict(Delivery.objects.values_list("address", "status"))


# --- Creating --------------------------------------------------------------------------------


def test_deliveries_create_twice_creates_and_queues_once(announcement, django_capture_on_commit_callbacks):
    people = AgentFactory.create_batch(3)
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.deliveries_create(
            kind="coordinator_announcement", recipients=people, about=announcement
        )
        second = services.deliveries_create(
            kind="coordinator_announcement", recipients=people, about=announcement
        )
    assert len(first) == 3
    assert second == []
    assert Delivery.objects.count() == 3
    assert len(without_bumps(callbacks)) == 1


def test_deliveries_create_other_occurrence_is_a_new_email(announcement):
    person = AgentFactory()
    services.deliveries_create(
        kind="coordinator_announcement", recipients=[person], about=announcement, occurrence="a"
    )
    services.deliveries_create(
        kind="coordinator_announcement", recipients=[person], about=announcement, occurrence="b"
    )
    assert sorted(Delivery.objects.values_list("occurrence", flat=True)) == ["a", "b"]


def test_deliveries_create_for_switched_off_preference_is_skipped_not_queued(
    announcement, django_capture_on_commit_callbacks
):
    person = AgentFactory(email="quiet@example.com", opted_out=["email_announcements"])
    with django_capture_on_commit_callbacks() as callbacks:
        ids = services.deliveries_create(
            kind="coordinator_announcement", recipients=[person], about=announcement
        )
    assert ids == []
    assert callbacks == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == (
        Status.SKIPPED,
        "The person switched off “Announcements” emails.",
    )


def test_deliveries_create_unknown_kind_is_refused(announcement):
    with pytest.raises(LookupError):
        services.deliveries_create(kind="nope", recipients=[AgentFactory()], about=announcement)


def test_deliveries_create_queues_chunks_of_100(
    announcement, counting_backend, django_capture_on_commit_callbacks
):
    from celery.signals import task_prerun

    chunks = []

    def record(task=None, args=None, **extra):
        chunks.append(len(args[0]))

    task_prerun.connect(record, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.deliveries_create(
                kind="coordinator_announcement", recipients=AgentFactory.create_batch(250), about=announcement
            )
    finally:
        task_prerun.disconnect(record)
    assert len(without_bumps(callbacks)) == 1
    assert chunks == [100, 100, 50]
    assert Delivery.objects.filter(status=Status.SENT).count() == 250
    assert counting_backend.opened == 3


# --- Sending ---------------------------------------------------------------------------------


def test_send_renders_html_and_text_with_unsubscribe_headers(announcement, counting_backend):
    person = AgentFactory(email="ana@example.com", first_name="Ana")
    [pk] = services.deliveries_create(
        kind="coordinator_announcement", recipients=[person], about=announcement
    )
    assert send_deliveries([pk]) == 1
    [message] = mail.outbox
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Status.SENT, 1, "")
    assert delivery.message_id == f"<csweek.coordinator_announcement.{pk}@localhost>"
    assert message.extra_headers["Message-ID"] == delivery.message_id
    assert message.to == ["ana@example.com"]
    assert message.subject == "Kick-off at 10:00"
    assert message.body.startswith("Hello Ana,\n\nCoffee in the atrium.\n")
    url = services.unsubscribe_url(user=person, kind=services.get_kind("coordinator_announcement"))
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Unsubscribe (one click): {url}\n" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{url}"' in html
    assert "<p>Coffee in the atrium.</p>" in html


def test_send_escapes_user_text_in_html(coordinator, counting_backend, django_capture_on_commit_callbacks):
    """The subject and the person's name are escaped; the Markdown body is cleaned of raw HTML."""
    announcement = Announcement.objects.create(
        subject="<b>Hi</b>", body="<script>x()</script>", sent_by=coordinator
    )
    person = AgentFactory(first_name="<script>x()</script>")
    with django_capture_on_commit_callbacks(execute=True):
        services.deliveries_create(kind="coordinator_announcement", recipients=[person], about=announcement)
    html = mail.outbox[0].alternatives[0][0]
    assert "<title>&lt;b&gt;Hi&lt;/b&gt;</title>" in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "<script>" not in html
    assert mail.outbox[0].subject == "<b>Hi</b>"


def test_send_chunk_uses_one_smtp_connection(announcement, counting_backend):
    ids = services.deliveries_create(
        kind="coordinator_announcement", recipients=AgentFactory.create_batch(5), about=announcement
    )
    result = services.deliveries_send(ids=ids)
    assert (result.sent, counting_backend.opened, len(mail.outbox)) == (5, 1, 5)


def test_send_twice_sends_once(announcement, counting_backend):
    ids = services.deliveries_create(
        kind="coordinator_announcement", recipients=AgentFactory.create_batch(2), about=announcement
    )
    assert send_deliveries(ids) == 2
    assert send_deliveries(ids) == 0
    assert len(mail.outbox) == 2


def test_claim_gives_a_row_to_one_caller(announcement, counting_backend, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    person = AgentFactory()
    delivery = Delivery.objects.create(
        recipient=person, address=person.email, kind="coordinator_announcement"
    )
    assert services.deliveries_claim(ids=[delivery.pk]) == [delivery.pk]
    assert services.deliveries_claim(ids=[delivery.pk]) == []
    delivery.refresh_from_db()
    assert delivery.status == Status.SENDING
    assert delivery.claimed_at is not None


def test_send_preference_switched_off_after_creation_is_skipped(announcement, counting_backend):
    person = AgentFactory()
    delivery = Delivery.objects.create(
        recipient=person, address=person.email, kind="coordinator_announcement", about=announcement
    )
    opt_out(person, "email_announcements")
    result = services.deliveries_send(ids=[delivery.pk])
    delivery.refresh_from_db()
    assert (result.sent, result.skipped, delivery.status) == (0, 1, Status.SKIPPED)
    assert mail.outbox == []


def test_send_connection_refused_puts_rows_back_with_attempt_counted(announcement, counting_backend):
    people = AgentFactory.create_batch(3)
    rows = [
        Delivery.objects.create(
            recipient=p, address=p.email, kind="coordinator_announcement", about=announcement
        )
        for p in people
    ]
    counting_backend.refuse_opens = 1
    result = services.deliveries_send(ids=[row.pk for row in rows])
    assert result.retry_ids == [row.pk for row in rows]
    assert result.retry_in > 0
    first, *rest = Delivery.objects.order_by("pk")
    assert (first.status, first.attempts) == (Status.PENDING, 1)
    assert "Connection refused" in first.last_error
    assert [(d.status, d.attempts) for d in rest] == [(Status.PENDING, 1), (Status.PENDING, 1)]
    assert first.queued_at > timezone.now()
    # The server is back: the retry sends all three.
    result = services.deliveries_send(ids=result.retry_ids)
    assert result.sent == 3
    assert list(Delivery.objects.order_by("pk").values_list("status", "attempts")) == [
        (Status.SENT, 2),
        (Status.SENT, 2),
        (Status.SENT, 2),
    ]
    # The error stays on record after the successful retry.
    assert "Connection refused" in Delivery.objects.order_by("pk").first().last_error


def test_send_connection_lost_mid_chunk_counts_an_attempt_on_that_row_only(announcement, counting_backend):
    people = [AgentFactory(email=f"p{i}@example.com") for i in range(3)]
    rows = [
        Delivery.objects.create(
            recipient=p, address=p.email, kind="coordinator_announcement", about=announcement
        )
        for p in people
    ]
    counting_backend.drop_at = frozenset({"p1@example.com"})
    result = services.deliveries_send(ids=[row.pk for row in rows])
    assert result.retry_ids == [rows[1].pk, rows[2].pk]
    assert list(Delivery.objects.order_by("pk").values_list("status", "attempts")) == [
        (Status.SENT, 1),
        (Status.PENDING, 1),
        (Status.PENDING, 0),
    ]
    assert [m.to for m in mail.outbox] == [["p0@example.com"]]


def test_send_task_raises_retry_on_smtp_error(announcement, counting_backend):
    from celery.exceptions import Retry

    person = AgentFactory()
    delivery = Delivery.objects.create(
        recipient=person, address=person.email, kind="coordinator_announcement", about=announcement
    )
    counting_backend.refuse_opens = 1
    with pytest.raises(Retry):
        send_deliveries.apply(args=[[delivery.pk]], throw=True)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 1)


def test_send_last_attempt_marks_failed(announcement, counting_backend, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    person = AgentFactory()
    delivery = Delivery.objects.create(
        recipient=person,
        address=person.email,
        kind="coordinator_announcement",
        about=announcement,
        attempts=2,
    )
    counting_backend.refuse_opens = 1
    result = services.deliveries_send(ids=[delivery.pk])
    delivery.refresh_from_db()
    assert (result.failed, result.retry_ids) == (1, [])
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 3)
    assert "Connection refused" in delivery.last_error


def test_retry_delay_grows_exponentially_with_jitter(settings):
    settings.OUTBOX_RETRY_BACKOFF = 4
    settings.OUTBOX_RETRY_BACKOFF_MAX = 20
    delays = [services._retry_delay(n) for n in (1, 2, 3, 4)]
    assert 2 <= delays[0] <= 4
    assert 4 <= delays[1] <= 8
    assert 8 <= delays[2] <= 16
    assert 10 <= delays[3] <= 20


def test_send_permanent_refusal_fails_that_row_only(announcement, counting_backend):
    bad, good = AgentFactory(email="gone@example.com"), AgentFactory(email="here@example.com")
    counting_backend.reject_addresses = frozenset({"gone@example.com"})
    ids = [
        Delivery.objects.create(
            recipient=p, address=p.email, kind="coordinator_announcement", about=announcement
        ).pk
        for p in (bad, good)
    ]
    result = services.deliveries_send(ids=ids)
    assert (result.sent, result.failed, result.retry_ids) == (1, 1, [])
    assert statuses() == {"gone@example.com": Status.FAILED, "here@example.com": Status.SENT}
    assert "550" in Delivery.objects.get(address="gone@example.com").last_error


def test_send_render_bug_fails_that_row_and_is_not_retried(counting_backend):
    person, other = AgentFactory(email="a@example.com"), AgentFactory(email="b@example.com")
    announcement = Announcement.objects.create(subject="S", body="B")
    broken = Delivery.objects.create(
        recipient=person, address=person.email, kind="invitation", about=announcement
    )
    fine = Delivery.objects.create(
        recipient=other, address=other.email, kind="coordinator_announcement", about=announcement
    )
    result = services.deliveries_send(ids=[broken.pk, fine.pk])
    assert (result.sent, result.failed, result.retry_ids) == (1, 1, [])
    broken.refresh_from_db()
    assert broken.status == Status.FAILED
    assert "AttributeError" in broken.last_error


def test_send_object_deleted_is_skipped(announcement, counting_backend):
    person = AgentFactory()
    delivery = Delivery.objects.create(
        recipient=person, address=person.email, kind="coordinator_announcement", about=announcement
    )
    announcement.delete()
    services.deliveries_send(ids=[delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == (Status.SKIPPED, "No longer relevant.")


# --- The sweep -------------------------------------------------------------------------------


def test_sweep_returns_stuck_sending_rows_and_requeues_pending(announcement, counting_backend, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    now = timezone.now()
    people = AgentFactory.create_batch(4)
    stuck, lost, recent, fresh = (
        Delivery.objects.create(
            recipient=p, address=p.email, kind="coordinator_announcement", about=announcement
        )
        for p in people
    )
    Delivery.objects.filter(pk=stuck.pk).update(status=Status.SENDING, claimed_at=now - timedelta(minutes=16))
    Delivery.objects.filter(pk=lost.pk).update(queued_at=None)
    Delivery.objects.filter(pk=recent.pk).update(status=Status.SENDING, claimed_at=now - timedelta(minutes=1))
    Delivery.objects.filter(pk=fresh.pk).update(queued_at=now - timedelta(minutes=1))
    assert sweep() == {"returned": 1, "failed": 0, "requeued": 2}
    # Eager publishing sent the two requeued rows at once; the recent ones are left alone.
    assert dict(Delivery.objects.values_list("pk", "status")) == {
        stuck.pk: Status.SENT,
        lost.pk: Status.SENT,
        recent.pk: Status.SENDING,
        fresh.pk: Status.PENDING,
    }
    stuck.refresh_from_db()
    assert stuck.attempts == 2  # one for the lost claim, one for the send


def test_sweep_fails_a_row_that_keeps_losing_its_worker(announcement, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    person = AgentFactory()
    delivery = Delivery.objects.create(
        recipient=person,
        address=person.email,
        kind="coordinator_announcement",
        about=announcement,
        status=Status.SENDING,
        attempts=1,
        claimed_at=timezone.now() - timedelta(hours=1),
    )
    assert sweep() == {"returned": 0, "failed": 1, "requeued": 0}
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED


# --- Preferences, and deliveries made stale ------------------------------------------------


def test_email_preferences_set_switches_off_and_back_on():
    person = AgentFactory()
    services.email_preferences_set(user=person, choices={"email_digest": False, "email_reminders": False})
    services.email_preferences_set(user=person, choices={"email_reminders": True})
    assert sorted(EmailOptOut.objects.filter(user=person).values_list("preference", flat=True)) == [
        "email_digest"
    ]


def test_email_preferences_set_unknown_preference_is_refused():
    person = AgentFactory()
    with pytest.raises(ValidationError, match="There is no email preference “email_nonsense”"):
        services.email_preferences_set(user=person, choices={"email_nonsense": False})
    assert EmailOptOut.objects.count() == 0


def test_deliveries_skip_pending_keeps_the_current_occurrence(announcement):
    person = AgentFactory()
    for occurrence in ("seq:1", "24h:seq:1", "seq:2", "24h:seq:2"):
        Delivery.objects.create(
            recipient=person,
            address=person.email,
            kind="coordinator_announcement",
            about=announcement,
            occurrence=occurrence,
        )
    skipped = services.deliveries_skip_pending(
        about=announcement, kinds=["coordinator_announcement"], keep_occurrence="seq:2", reason="Changed."
    )
    statuses = dict(Delivery.objects.values_list("occurrence", "status"))
    assert (skipped, statuses) == (
        2,
        {
            "seq:1": Status.SKIPPED,
            "24h:seq:1": Status.SKIPPED,
            "seq:2": Status.PENDING,
            "24h:seq:2": Status.PENDING,
        },
    )


def test_without_delivery_by_prefix_counts_only_the_given_statuses(announcement):
    from django.contrib.auth import get_user_model

    from outbox.selectors import ON_ITS_WAY, without_delivery

    skipped_one, sent_one, never = AgentFactory(), AgentFactory(), AgentFactory()
    for person, status in ((skipped_one, Status.SKIPPED), (sent_one, Status.SENT)):
        Delivery.objects.create(
            recipient=person,
            address=person.email,
            kind="coordinator_announcement",
            about=announcement,
            occurrence="24h:seq:1",
            status=status,
        )
    people = get_user_model().objects.filter(pk__in=[skipped_one.pk, sent_one.pk, never.pk])
    remaining = without_delivery(
        people,
        kind="coordinator_announcement",
        about=announcement,
        occurrence_prefix="24h:",
        statuses=ON_ITS_WAY,
    )
    assert sorted(remaining.values_list("pk", flat=True)) == sorted([skipped_one.pk, never.pk])
