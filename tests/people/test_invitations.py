"""Invitations: the email, the link, accepting it once, expiry, resending, and the idempotent send task."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from csweek.core.versions import without_bumps
from outbox.models import Delivery
from outbox.tasks import send_deliveries
from people import services
from people.models import Invitation, User

pytestmark = pytest.mark.django_db

PASSWORD = "tangerine-bicycle-harbour-7"
USED = "This invitation has already been used. Sign in with your email and password."
EXPIRED = "This invitation has expired. Ask your coordinator to send a new one."


@pytest.fixture
def invitation(coordinator, team):
    """An invitation whose email is not sent: on_commit never runs inside the test's transaction."""
    return services.person_invite(
        by=coordinator, email="Nina@Example.com", first_name="Nina", last_name="Simone", team=team
    )


def accept_url(invitation: Invitation) -> str:
    return f"/invite/{invitation.token}/"


def accept(client, invitation: Invitation, password1: str = PASSWORD, password2: str | None = None):
    return client.post(
        accept_url(invitation),
        {"password1": password1, "password2": password1 if password2 is None else password2},
    )


# --- Inviting and the email -------------------------------------------------------------------


def test_person_invite_creates_person_without_password(coordinator, team, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    invitation = services.person_invite(
        by=coordinator, email="Nina@Example.com", first_name="Nina", team=team
    )
    person = invitation.user
    assert (person.email, person.first_name, person.team, person.role) == (
        "nina@example.com",
        "Nina",
        team,
        "Agent",
    )
    assert person.has_usable_password() is False
    assert person.time_zone == settings.TIME_ZONE
    assert invitation.expires_at - invitation.created == timedelta(days=settings.INVITATION_VALID_DAYS)


def test_person_invite_by_agent_is_refused(agent):
    with pytest.raises(PermissionDenied):
        services.person_invite(by=agent, email="nina@example.com")
    assert User.objects.filter(email="nina@example.com").exists() is False


def test_person_invite_email_sent_after_commit_with_link(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation = services.person_invite(by=coordinator, email="nina@example.com", first_name="Nina")
        assert mailoutbox == []
    assert len(without_bumps(callbacks)) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    link = f"{settings.SITE_URL}/invite/{invitation.token}/"
    assert message.to == ["nina@example.com"]
    assert message.subject == f"You are invited to csweek by {coordinator.name}"
    assert message.body.startswith("Hello Nina,\n")
    assert f"\n{link}\n" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<p>Hello Nina,</p>" in html
    assert f'<a href="{link}"' in html
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_invitation_email_escapes_names_in_html(coordinator, mailoutbox, django_capture_on_commit_callbacks):
    coordinator.first_name = "<i>Boss</i>"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.person_invite(by=coordinator, email="x@example.com", first_name="<script>alert(1)</script>")
    html = mailoutbox[0].alternatives[0][0]
    assert "<p>Hello &lt;script&gt;alert(1)&lt;/script&gt;,</p>" in html
    assert "&lt;i&gt;Boss&lt;/i&gt;" in html
    assert "<script>" not in html
    assert "<i>Boss</i>" not in html
    # Plain text is not HTML: it shows the name as typed, not entity-encoded.
    assert mailoutbox[0].body.startswith("Hello <script>alert(1)</script>,\n")


def _invitation_delivery_ids() -> list[int]:
    return list(Delivery.objects.filter(kind="invitation").order_by("pk").values_list("pk", flat=True))


def test_invitation_queued_twice_is_one_delivery_and_one_email(invitation, mailoutbox):
    services.invitations_queue([invitation.pk])
    services.invitations_queue([invitation.pk])
    ids = _invitation_delivery_ids()
    assert len(ids) == 1
    assert send_deliveries(ids) == 1
    assert send_deliveries(ids) == 0
    assert [m.to for m in mailoutbox] == [["nina@example.com"]]
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_invitation_deliveries_skip_expired_and_accepted(coordinator, mailoutbox, time_machine):
    expired = services.person_invite(by=coordinator, email="old@example.com")
    accepted = services.person_invite(by=coordinator, email="done@example.com")
    services.invitation_accept(invitation=accepted, password=PASSWORD)
    time_machine.move_to(expired.expires_at + timedelta(seconds=1), tick=False)
    fresh = services.person_invite(by=coordinator, email="fresh@example.com")
    assert send_deliveries([*_invitation_delivery_ids(), 999_999]) == 1
    assert [m.to for m in mailoutbox] == [["fresh@example.com"]]
    statuses = dict(Delivery.objects.values_list("recipient__email", "status"))
    assert statuses == {
        "old@example.com": "skipped",
        "done@example.com": "skipped",
        "fresh@example.com": "sent",
    }
    fresh.refresh_from_db()
    assert fresh.sent_at is not None


def test_invitation_delivery_ids_survive_json(invitation, mailoutbox):
    import json

    ids = json.loads(json.dumps(_invitation_delivery_ids()))
    assert send_deliveries(ids) == 1


# --- Accepting --------------------------------------------------------------------------------


def test_invitation_page_shows_who_is_joining_with_labelled_fields(client, invitation):
    response = client.get(accept_url(invitation))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a password for <strong>nina@example.com</strong>" in html
    assert '<label for="id_password1">Choose a password</label>' in html
    assert '<label for="id_password2">Type it again</label>' in html


def test_invitation_page_escapes_first_name(client, coordinator):
    invitation = services.person_invite(
        by=coordinator, email="x@example.com", first_name="<script>alert(1)</script>"
    )
    html = client.get(accept_url(invitation)).content.decode()
    assert "Welcome, &lt;script&gt;alert(1)&lt;/script&gt;!" in html
    assert "<script>alert(1)</script>" not in html


def test_invitation_accept_sets_password_verifies_email_signs_in_and_shows_profile(client, invitation):
    response = accept(client, invitation)
    assert response.status_code == 302
    assert response["Location"] == "/profile/"
    person = User.objects.get(pk=invitation.user_id)
    assert person.check_password(PASSWORD) is True
    assert list(EmailAddress.objects.filter(user=person).values_list("email", "verified", "primary")) == [
        ("nina@example.com", True, True)
    ]
    assert int(client.session["_auth_user_id"]) == person.pk
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    profile = client.get("/profile/")
    assert profile.status_code == 200
    assert "Welcome to csweek! Check your profile: time zone and emails." in profile.content.decode()


def test_invitation_accepted_person_can_sign_in_with_email_and_password(client, invitation):
    accept(client, invitation)
    client.logout()
    response = client.post("/accounts/login/", {"login": "nina@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_invitation_accept_mismatched_passwords_shows_error(client, invitation):
    response = accept(client, invitation, PASSWORD, "something-else-entirely")
    assert response.status_code == 200
    assert response.context["form"].errors == {"password2": ["The two passwords do not match."]}
    assert User.objects.get(pk=invitation.user_id).has_usable_password() is False
    assert "_auth_user_id" not in client.session


def test_invitation_accept_weak_password_shows_validator_errors(client, invitation):
    response = accept(client, invitation, "12345678")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "password1": ["This password is too common.", "This password is entirely numeric."]
    }
    assert User.objects.get(pk=invitation.user_id).has_usable_password() is False


def test_invitation_accept_password_like_own_name_is_refused(client, invitation):
    response = accept(client, invitation, "simone1234")
    assert response.context["form"].errors == {"password1": ["The password is too similar to the last name."]}


def test_invitation_expired_link_shows_gone_page_and_sets_no_password(client, invitation, time_machine):
    time_machine.move_to(invitation.expires_at + timedelta(seconds=1), tick=False)
    page = client.get(accept_url(invitation))
    assert page.status_code == 410
    assert "The link has expired or a newer invitation replaced it." in page.content.decode()
    response = accept(client, invitation)
    assert response.status_code == 410
    assert User.objects.get(pk=invitation.user_id).has_usable_password() is False
    assert "_auth_user_id" not in client.session


def test_invitation_used_link_cannot_be_reused(client, invitation):
    accept(client, invitation)
    client.logout()
    page = client.get(accept_url(invitation))
    assert page.status_code == 410
    assert "It has already been used." in page.content.decode()
    response = accept(client, invitation, "another-strong-pass-99")
    assert response.status_code == 410
    assert User.objects.get(pk=invitation.user_id).check_password(PASSWORD) is True
    assert "_auth_user_id" not in client.session


def test_invitation_unknown_token_is_404(client, invitation):
    assert client.get("/invite/not-a-real-token/").status_code == 404


def test_invitation_accept_service_refuses_used_invitation(invitation):
    services.invitation_accept(invitation=invitation, password=PASSWORD)
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, password="another-strong-pass-99")
    assert error.value.messages == [USED]


def test_invitation_accept_service_refuses_expired_invitation(invitation, time_machine):
    time_machine.move_to(invitation.expires_at, tick=False)
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, password=PASSWORD)
    assert error.value.messages == [EXPIRED]


# --- Resending --------------------------------------------------------------------------------


def test_invitation_resend_invalidates_older_links_and_emails_new_one(
    client, coordinator, invitation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fresh = services.invitation_resend(by=coordinator, person=invitation.user)
    assert fresh.pk != invitation.pk
    assert client.get(accept_url(invitation)).status_code == 410
    assert client.get(accept_url(fresh)).status_code == 200
    assert [m.to for m in mailoutbox] == [["nina@example.com"]]
    assert f"/invite/{fresh.token}/" in mailoutbox[0].body
    assert invitation.token not in mailoutbox[0].body
    assert accept(client, invitation).status_code == 410
    assert accept(client, fresh).status_code == 302


def test_invitation_resend_for_joined_person_is_refused(coordinator, invitation):
    services.invitation_accept(invitation=invitation, password=PASSWORD)
    with pytest.raises(ValidationError) as error:
        services.invitation_resend(by=coordinator, person=User.objects.get(pk=invitation.user_id))
    assert error.value.messages == ["nina@example.com has already joined."]


def test_invitation_resend_with_stale_person_sees_the_join(coordinator, invitation):
    stale = User.objects.get(pk=invitation.user_id)
    services.invitation_accept(invitation=invitation, password=PASSWORD)
    with pytest.raises(ValidationError) as error:
        services.invitation_resend(by=coordinator, person=stale)
    assert error.value.messages == ["nina@example.com has already joined."]


def test_invitation_resend_for_deactivated_person_is_refused(coordinator, invitation):
    User.objects.filter(pk=invitation.user_id).update(is_active=False)
    with pytest.raises(ValidationError) as error:
        services.invitation_resend(by=coordinator, person=invitation.user)
    assert error.value.messages == [
        "nina@example.com is deactivated; reactivate them before sending an invitation."
    ]
    assert Invitation.objects.filter(user_id=invitation.user_id).count() == 1


def test_invitation_resend_by_manager_is_refused(manager, invitation):
    with pytest.raises(PermissionDenied):
        services.invitation_resend(by=manager, person=invitation.user)
