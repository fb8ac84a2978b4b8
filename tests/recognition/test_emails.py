"""Recognition emails: who is told what, HTML and text, queued on commit (and through a real worker)."""

import email
from email import policy

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from csweek.core.versions import without_bumps
from outbox import services as outbox_services
from outbox.models import Delivery
from recognition import services
from tests.factories import AgentFactory, ManagerFactory, opt_out
from tests.recognition.factories import STORY, NominationFactory
from tests.support.worker import running_worker, wait_until


def announce(nomination) -> list:
    """The announcement of this one award at its category's moment (without the email to everyone)."""
    return services.awards_announce(
        awards=[nomination], moment=nomination.category.announce_at, tell_everyone=False
    )


def bodies(message) -> tuple[str, str]:
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    return message.body, html


@pytest.mark.django_db
def test_manager_told_of_a_nomination_after_commit(
    agent, nominee, category, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.nomination_create(
            nominator=agent,
            nominee=nominee,
            category=category,
            story=STORY,
            evidence_quote="Fixed in one call.",
            evidence_reference="T-77",
        )
        assert mailoutbox == []  # nothing leaves before the commit
    assert len(without_bumps(callbacks)) == 1
    [message] = mailoutbox
    assert message.to == ["boss@example.com"]
    assert message.subject == "Nia Okafor was nominated for Customer Hero"
    text, html = bodies(message)
    assert STORY in text and "Fixed in one call." in text and "T-77" in text
    assert "http://localhost:8000/nominations/review/" in text
    assert 'href="http://localhost:8000/nominations/review/"' in html


@pytest.mark.django_db
def test_no_email_when_the_nomination_is_refused(
    agent, category, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.nomination_create(nominator=agent, nominee=agent, category=category, story=STORY)
    assert mailoutbox == []


@pytest.mark.django_db
def test_announcement_tells_the_nominator_and_the_nominee_not_the_approval(
    nomination, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_approve(nomination=nomination, by=manager, comment="Brilliant work.")
    assert mailoutbox == []  # a surprise: nobody hears of the approval until the announcement
    with django_capture_on_commit_callbacks(execute=True):
        announce(nomination)
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        ("agent@example.com", "Your nomination of Nia Okafor was approved"),
        ("nominee@example.com", "Congratulations! You received an award: Customer Hero"),
    ]
    to_nominee = next(m for m in mailoutbox if m.to == ["nominee@example.com"])
    text, html = bodies(to_nominee)
    assert f"nominated by {nomination.nominator.name}." in text
    assert "http://localhost:8000/wall/?week=2026" in html


@pytest.mark.django_db
def test_anonymous_nominator_never_named_to_the_nominee(
    nominee, category, manager, mailoutbox, django_capture_on_commit_callbacks
):
    secret = AgentFactory(first_name="Quiet", last_name="Admirer", email="quiet.admirer@example.com")
    nomination = services.nomination_create(
        nominator=secret, nominee=nominee, category=category, story=STORY, anonymous=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_approve(nomination=nomination, by=manager)
        announce(nomination)
    to_nominee = next(m for m in mailoutbox if m.to == ["nominee@example.com"])
    text, html = bodies(to_nominee)
    for part in (to_nominee.subject, text, html):
        assert "Quiet" not in part and "Admirer" not in part and "quiet.admirer" not in part
    assert "a colleague who asked to stay anonymous" in text


@pytest.mark.django_db
def test_decline_tells_the_nominator_only_with_the_comment(
    nomination, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_decline(
            nomination=nomination, by=manager, comment="Please add the customer's words."
        )
    [message] = mailoutbox
    assert message.to == ["agent@example.com"]
    assert message.subject == "Your nomination of Nia Okafor was declined"
    text, html = bodies(message)
    assert "Please add the customer's words." in text
    assert "Please add the customer&#x27;s words." in html


@pytest.mark.django_db
def test_people_who_turned_recognition_emails_off_are_not_told(
    nomination, manager, agent, nominee, mailoutbox, django_capture_on_commit_callbacks
):
    for person in (agent, nominee):
        opt_out(person, "email_recognition")
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_approve(nomination=nomination, by=manager)
    assert mailoutbox == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_nomination_emails_sent_by_a_real_worker(client, agent, nominee, category, manager, tmp_path):
    """Through the broker and a worker process: the on-commit queueing and the JSON task arguments."""
    mail_dir = tmp_path / "mail"
    with running_worker(mail_dir):
        client.force_login(agent)
        response = client.post(
            reverse("recognition:nomination_new"),
            {"nominee": nominee.pk, "category": category.pk, "story": STORY, "action": "send"},
        )
        assert response.status_code == 302
        wait_until(lambda: len(list(mail_dir.glob("*.eml"))) == 1, message="the manager's email")
        client.force_login(manager)
        nomination_id = nominee.nominations_received.get().pk
        client.post(reverse("recognition:approve", args=[nomination_id]))
        with transaction.atomic():
            announce(nominee.nominations_received.select_related("category").get())
        wait_until(lambda: len(list(mail_dir.glob("*.eml"))) == 3, message="the two announcement emails")
    messages = [
        email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in mail_dir.glob("*.eml")
    ]
    assert sorted(m["To"] for m in messages) == [
        "agent@example.com",
        "boss@example.com",
        "nominee@example.com",
    ]
    for message in messages:
        assert message.get_content_type() == "multipart/alternative"


# --- Through the outbox -------------------------------------------------------------------------


def recognition_deliveries() -> list[tuple[str, str, str, str]]:
    return sorted(
        Delivery.objects.filter(
            kind__in=["nomination_submitted", "nomination_decided", "award_received"]
        ).values_list("kind", "address", "occurrence", "status")
    )


@pytest.mark.django_db
def test_announcement_creates_one_delivery_each_published_together(
    nomination, manager, django_capture_on_commit_callbacks
):
    services.nomination_approve(nomination=nomination, by=manager)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert announce(nomination) == [nomination]
    assert len(without_bumps(callbacks)) == 1  # one publish for both emails: one broker timeout at most
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.nomination_approve(nomination=nomination, by=manager)
    assert announce(nomination) == []
    assert recognition_deliveries() == [
        ("award_received", "nominee@example.com", "", "sent"),
        ("nomination_decided", "agent@example.com", "approved", "sent"),
        ("nomination_submitted", "boss@example.com", "", "pending"),
    ]


@pytest.mark.django_db
def test_decline_never_creates_an_email_to_the_nominee(nomination, manager):
    services.nomination_decline(nomination=nomination, by=manager, comment="Not this time.")
    assert recognition_deliveries() == [
        ("nomination_decided", "agent@example.com", "declined", "pending"),
        ("nomination_submitted", "boss@example.com", "", "pending"),
    ]


@pytest.mark.django_db
def test_a_manager_nominating_their_own_person_is_not_told_but_a_co_manager_is(
    nominee, team, manager, category, mailoutbox, django_capture_on_commit_callbacks
):
    co_manager = ManagerFactory(email="coboss@example.com", team=team)
    team.managers.add(co_manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_create(nominator=manager, nominee=nominee, category=category, story=STORY)
    assert [message.to for message in mailoutbox] == [["coboss@example.com"]]
    assert recognition_deliveries() == [("nomination_submitted", "coboss@example.com", "", "sent")]


@pytest.mark.django_db
def test_manager_email_skipped_when_the_nomination_is_withdrawn_before_sending(
    agent, nominee, category, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        nomination = services.nomination_create(
            nominator=agent, nominee=nominee, category=category, story=STORY
        )
    services.nomination_withdraw(nomination=nomination, by=agent)
    for callback in callbacks:
        callback()
    assert mailoutbox == []
    assert recognition_deliveries() == [("nomination_submitted", "boss@example.com", "", "skipped")]


@pytest.mark.django_db
def test_bulk_approval_publishes_every_email_once_at_the_end(
    manager, team, category, mailoutbox, django_capture_on_commit_callbacks
):
    """In a category that tells nominees when approved: their emails go out at once, the
    nominators' wait for the announcement."""
    category.tell_nominee_early = True
    category.save()
    nominations = NominationFactory.create_batch(3, category=category, nominee__team=team)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = services.nominations_bulk_approve(nominations=nominations, by=manager)
    assert len(result.approved) == 3
    assert len(without_bumps(callbacks)) == 1
    assert Delivery.objects.filter(kind="award_received", status="sent").count() == 3
    assert Delivery.objects.filter(kind="nomination_decided").count() == 0
    assert len(mailoutbox) == 3


@pytest.mark.django_db
def test_award_email_wears_the_organisations_name_and_colour(
    nomination, manager, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox_services.organisation_update(by=coordinator, name="Acme Support", accent_colour="#0b5cad")
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_approve(nomination=nomination, by=manager, comment="Brilliant work.")
        announce(nomination)
    to_nominee = next(m for m in mailoutbox if m.to == ["nominee@example.com"])
    _, html = bodies(to_nominee)
    assert "Acme Support · Customer Service Week" in html
    assert "background: #0b5cad;" in html
    assert "🏆" in html
