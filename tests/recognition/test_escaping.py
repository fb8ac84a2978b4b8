"""Script and attribute-breaking payloads in stories, evidence and comments are shown escaped everywhere."""

import pytest
from django.urls import reverse

from recognition import services
from tests.recognition.factories import STORY

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG = '"><img src=x onerror=alert(1)>'
IMG_ESCAPED = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
HOSTILE_STORY = f"{STORY} {SCRIPT} {IMG}"


def assert_escaped(html: str) -> None:
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert SCRIPT_ESCAPED in html
    assert IMG_ESCAPED in html


@pytest.fixture
def hostile(agent, nominee, category, manager):
    return services.nomination_create(
        nominator=agent,
        nominee=nominee,
        category=category,
        story=HOSTILE_STORY,
        evidence_quote=f"Customer: {SCRIPT}",
        evidence_reference=IMG,
    )


def test_preview_and_refused_form_escape_the_payloads(client, agent, nominee, category):
    client.force_login(agent)
    data = {
        "nominee": nominee.pk,
        "category": category.pk,
        "story": HOSTILE_STORY,
        "evidence_quote": SCRIPT,
        "evidence_reference": IMG,
    }
    assert_escaped(
        client.post(reverse("recognition:nomination_new"), {**data, "action": "preview"}).content.decode()
    )
    refused = client.post(
        reverse("recognition:nomination_new"), {**data, "nominee": agent.pk, "action": "send"}
    )
    assert refused.context["form"].errors
    assert_escaped(refused.content.decode())
    edit = client.post(reverse("recognition:nomination_new"), {**data, "action": "edit"})
    assert_escaped(edit.content.decode())


def test_people_search_escapes_the_query(client, agent):
    client.force_login(agent)
    page = client.get(reverse("recognition:people_search"), {"person_q": IMG}).content.decode()
    assert "<img src=x" not in page
    assert IMG_ESCAPED in page


def test_review_and_decline_pages_escape_the_payloads(client, hostile, manager):
    client.force_login(manager)
    assert_escaped(client.get(reverse("recognition:review")).content.decode())
    decline = client.post(reverse("recognition:decline", args=[hostile.pk]), {"comment": ""})
    assert SCRIPT not in decline.content.decode()
    assert SCRIPT_ESCAPED in decline.content.decode()


def test_mine_wall_and_comment_escape_the_payloads(client, hostile, manager, agent, nominee):
    services.nomination_approve(nomination=hostile, by=manager, comment=f"Yes {SCRIPT} {IMG}")
    services.awards_announce(awards=[hostile], moment=hostile.category.announce_at, tell_everyone=False)
    client.force_login(agent)
    assert_escaped(client.get(reverse("recognition:mine")).content.decode())
    client.force_login(nominee)
    assert_escaped(client.get(reverse("recognition:mine")).content.decode())
    assert_escaped(client.get(reverse("recognition:wall"), {"week": 2026}).content.decode())
    client.force_login(manager)
    assert_escaped(client.get(reverse("recognition:review"), {"status": "approved"}).content.decode())


def test_every_email_escapes_the_payloads_in_html(
    agent, nominee, category, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        nomination = services.nomination_create(
            nominator=agent,
            nominee=nominee,
            category=category,
            story=HOSTILE_STORY,
            evidence_quote=f"Customer: {SCRIPT}",
            evidence_reference=IMG,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_approve(nomination=nomination, by=manager, comment=f"{SCRIPT} {IMG}")
        services.awards_announce(awards=[nomination], moment=category.announce_at, tell_everyone=False)
    assert sorted(m.subject for m in mailoutbox) == [
        "Congratulations! You received an award: Customer Hero",
        "Nia Okafor was nominated for Customer Hero",
        "Your nomination of Nia Okafor was approved",
    ]
    for message in mailoutbox:
        html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
        assert SCRIPT not in html
        assert "<img src=x" not in html
        assert SCRIPT_ESCAPED in html
        # The plain-text part is not HTML: it carries the words as typed.
        assert SCRIPT in message.body


def test_declined_email_escapes_the_comment(
    nomination, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_decline(nomination=nomination, by=manager, comment=f"{SCRIPT} {IMG}")
    [message] = mailoutbox
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    assert_escaped(html)
