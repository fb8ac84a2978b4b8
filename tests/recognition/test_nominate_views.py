"""Nominating through the pages: search, preview, send; every refusal keeps what was typed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recognition.models import Nomination
from tests.factories import AgentFactory
from tests.recognition.factories import STORY, AwardCategoryFactory, NominationFactory

pytestmark = pytest.mark.django_db

NEW = reverse("recognition:nomination_new")


def form_data(nominee, category, **changes) -> dict:
    data = {
        "nominee": nominee.pk,
        "category": category.pk,
        "story": STORY,
        "evidence_quote": "She sorted it in one call.",
        "evidence_reference": "TICKET-981",
        "action": "preview",
    }
    data.update(changes)
    return data


def test_new_nomination_page_offers_only_the_categories_open_now(client, agent, category, week):
    now = timezone.now()
    AwardCategoryFactory(
        week=week,
        name="Closed Award",
        opens_at=now - datetime.timedelta(days=9),
        closes_at=now - datetime.timedelta(days=2),
    )
    client.force_login(agent)
    response = client.get(NEW)
    assert response.status_code == 200
    assert list(response.context["form"].fields["category"].queryset) == [category]
    assert "Closed Award" not in response.content.decode()


def test_new_nomination_page_says_when_nothing_is_open(client, agent):
    client.force_login(agent)
    response = client.get(NEW)
    assert "No award category is taking nominations right now." in response.content.decode()


def test_people_search_fragment_finds_colleagues_by_name_but_not_oneself(client, agent, nominee):
    AgentFactory(first_name="Nia", last_name="Inactive", is_active=False)
    client.force_login(agent)
    response = client.get(reverse("recognition:people_search"), {"person_q": "nia"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert [person.pk for person in response.context["results"]] == [nominee.pk]
    assert response.content.decode().startswith('<div id="person-results"')
    own = client.get(reverse("recognition:people_search"), {"person_q": agent.first_name})
    assert agent.pk not in [person.pk for person in own.context["results"]]


def test_search_without_javascript_lists_people_and_keeps_the_story(client, agent, nominee, category):
    client.force_login(agent)
    response = client.post(NEW, {"person_q": "Okafor", "story": "Half a story", "action": "search"})
    assert [person.pk for person in response.context["results"]] == [nominee.pk]
    assert "Half a story" in response.content.decode()
    assert response.context["form"].errors == {}


def test_preview_shows_the_award_and_sends_nothing(client, agent, nominee, category):
    client.force_login(agent)
    response = client.post(NEW, form_data(nominee, category))
    assert response.status_code == 200
    assert response.templates[0].name == "recognition/nomination_preview.html"
    page = response.content.decode()
    assert "Nia Okafor" in page and "She sorted it in one call." in page
    assert Nomination.objects.count() == 0


def test_send_creates_the_nomination_and_goes_to_my_nominations(client, agent, nominee, category):
    client.force_login(agent)
    response = client.post(NEW, form_data(nominee, category, action="send", anonymous="on"))
    assert response.status_code == 302
    assert response["Location"] == reverse("recognition:mine")
    nomination = Nomination.objects.get()
    assert (nomination.nominator, nomination.nominee, nomination.category) == (agent, nominee, category)
    assert (nomination.evidence_quote, nomination.evidence_reference, nomination.anonymous) == (
        "She sorted it in one call.",
        "TICKET-981",
        True,
    )


def test_edit_from_the_preview_brings_the_form_back_filled_in(client, agent, nominee, category):
    client.force_login(agent)
    response = client.post(NEW, form_data(nominee, category, action="edit"))
    page = response.content.decode()
    assert response.context["selected"] == nominee
    assert STORY.replace("'", "&#x27;") in page
    assert "TICKET-981" in page


@pytest.mark.parametrize("action", ["preview", "send"])
def test_self_nomination_refused_on_the_form_keeping_the_story(client, agent, category, action):
    client.force_login(agent)
    story = "Typed with care: this story must survive the refusal of the form."
    response = client.post(NEW, form_data(agent, category, story=story, action=action))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "nominee": ["You cannot nominate yourself; nominate a colleague who deserves it."]
    }
    assert story in response.content.decode()
    assert Nomination.objects.count() == 0


def test_duplicate_refused_on_the_form_keeping_the_story(client, agent, nominee, category):
    NominationFactory(nominator=agent, nominee=nominee, category=category)
    client.force_login(agent)
    story = "A second story about the same person, in the same category, typed again."
    response = client.post(NEW, form_data(nominee, category, story=story, action="send"))
    assert response.context["form"].errors == {
        "nominee": [
            "You have already nominated Nia Okafor for Customer Hero this week; choose another category."
        ]
    }
    assert story in response.content.decode()


def test_closed_category_refused_on_the_form_keeping_the_story(client, agent, nominee, category):
    client.force_login(agent)
    category.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    category.save()
    story = "The category closed while I was typing this long and careful story."
    response = client.post(NEW, form_data(nominee, category, story=story, action="send"))
    assert response.context["form"].errors == {
        "category": ["That category is not taking nominations now; choose one from the list."]
    }
    assert story in response.content.decode()


def test_daily_limit_refused_on_the_form_keeping_the_story(client, agent, nominee, category, settings):
    settings.RECOGNITION_DAILY_NOMINATION_LIMIT = 1
    NominationFactory(nominator=agent, category=category)
    client.force_login(agent)
    story = "One nomination too many today, but the story is kept for tomorrow."
    response = client.post(NEW, form_data(nominee, category, story=story, action="send"))
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith("You have sent 1 nominations in the last 24 hours, the most allowed.")
    assert story in response.content.decode()
    assert Nomination.objects.filter(nominee=nominee).count() == 0


def test_short_story_refused_with_the_count(client, agent, nominee, category):
    client.force_login(agent)
    response = client.post(NEW, form_data(nominee, category, story="Thanks!"))
    assert response.context["form"].errors == {
        "story": [
            "Tell the story in at least 30 characters: what they did and why it mattered (you wrote 7)."
        ]
    }
    assert "Thanks!" in response.content.decode()


def test_missing_colleague_is_a_clear_message(client, agent, category):
    client.force_login(agent)
    data = form_data(agent, category)
    del data["nominee"]
    response = client.post(NEW, data)
    assert response.context["form"].errors == {
        "nominee": ["Choose the colleague you are nominating: search by name, then pick them."]
    }


def test_reference_without_the_customers_words_is_refused(client, agent, nominee, category):
    client.force_login(agent)
    response = client.post(NEW, form_data(nominee, category, evidence_quote=""))
    assert response.context["form"].errors == {
        "evidence_quote": ["Add what the customer said, or leave the reference empty too."]
    }


def test_people_search_keeps_the_ticked_colleague_ticked(client, agent, nominee):
    other = AgentFactory(first_name="Nial", last_name="Burke")
    client.force_login(agent)
    response = client.get(
        reverse("recognition:people_search"),
        {"person_q": "nia", "nominee": nominee.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.context["selected"] == nominee
    assert [person.pk for person in response.context["results"]] == [other.pk]
    assert f'value="{nominee.pk}" checked' in response.content.decode()
