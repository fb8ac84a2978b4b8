"""Tasks through a real broker and a real `celery worker` process (filesystem broker or Redis)."""

import email
from email import policy

import pytest
from django.urls import reverse

from people.models import Invitation
from tests.support.worker import running_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _read_messages(mail_dir):
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(mail_dir.glob("*.eml"))
    ]


def test_invitation_email_sent_by_real_worker_after_commit(client, coordinator, team, tmp_path):
    mail_dir = tmp_path / "mail"
    with running_worker(mail_dir):
        client.force_login(coordinator)
        response = client.post(
            reverse("people:person_invite"),
            {
                "email": "new.starter@example.com",
                "first_name": "Nia",
                "last_name": "Hart",
                "team": team.pk,
                "role": "Agent",
                "time_zone": "Asia/Kolkata",
            },
        )
        assert response.status_code == 302
        wait_until(lambda: len(list(mail_dir.glob("*.eml"))) == 1, message="the invitation email")
        invitation = Invitation.objects.get(user__email="new.starter@example.com")
        wait_until(
            lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists(),
            message="the invitation to be marked sent",
        )

    [message] = _read_messages(mail_dir)
    assert message["To"] == "new.starter@example.com"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = reverse("people:invitation_accept", args=[invitation.token])
    assert link in text
    assert link in html


def test_invitation_task_run_twice_by_worker_sends_one_email(coordinator, team, tmp_path):
    from outbox.models import Delivery
    from outbox.tasks import send_deliveries
    from people import services

    mail_dir = tmp_path / "mail"
    with running_worker(mail_dir) as worker:
        invitation = services.person_invite(by=coordinator, email="twice@example.com", team=team)
        [delivery_id] = Delivery.objects.filter(kind="invitation").values_list("pk", flat=True)
        send_deliveries.delay([delivery_id])
        send_deliveries.delay([delivery_id])
        wait_until(
            lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists(),
            message="the invitation to be marked sent",
        )
        # Both queued tasks (plus the on-commit one) must have run before counting.
        wait_until(lambda: sum("succeeded" in line for line in worker.output) >= 3, message="three task runs")
    assert len(_read_messages(mail_dir)) == 1
