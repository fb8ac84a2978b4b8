"""The profile page: who you are, your team, your time zone and which emails you get."""

import pytest
from django.conf import settings
from django.test import override_settings

from people.models import User
from tests.factories import AgentFactory, wants

pytestmark = pytest.mark.django_db

PROFILE_URL = "/profile/"
BAD_ZONE = "“Mars/Olympus” is not a known time zone. Use an IANA name such as Europe/London."


def profile_data(**overrides) -> dict:
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "display_name": "Countess",
        "time_zone": "America/New_York",
        "email_reminders": "on",
        "email_recognition": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_profile_anonymous_redirects_to_login(client):
    response = client.get(PROFILE_URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/profile/"


def test_profile_shows_name_display_name_team_and_time_zone(client, team):
    user = AgentFactory(
        email="ada@example.com",
        first_name="Ada",
        last_name="Byron",
        display_name="Countess",
        team=team,
        time_zone="Europe/Rome",
    )
    client.force_login(user)
    response = client.get(PROFILE_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Signed in as <strong>ada@example.com</strong>" in html
    assert "team <strong>Front Line</strong>" in html
    assert 'name="first_name" value="Ada"' in html
    assert 'name="last_name" value="Byron"' in html
    assert 'name="display_name" value="Countess"' in html
    assert '<option value="Europe/Rome" selected>Europe/Rome</option>' in html


def test_profile_without_team_says_so(client):
    user = AgentFactory(team=None)
    client.force_login(user)
    assert "· no team yet" in client.get(PROFILE_URL).content.decode()


def test_profile_save_updates_every_field(client, agent):
    client.force_login(agent)
    response = client.post(PROFILE_URL, profile_data())
    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    agent.refresh_from_db()
    assert (agent.first_name, agent.last_name, agent.display_name, agent.time_zone) == (
        "Ada",
        "Lovelace",
        "Countess",
        "America/New_York",
    )
    assert (
        wants(agent, "email_reminders"),
        wants(agent, "email_daily_theme"),
        wants(agent, "email_recognition"),
        wants(agent, "email_digest"),
    ) == (
        True,
        False,
        True,
        False,
    )
    page = client.get(PROFILE_URL).content.decode()
    assert "Your profile is saved." in page


def test_profile_unticking_every_email_turns_them_all_off(client, agent):
    client.force_login(agent)
    client.post(PROFILE_URL, profile_data(email_reminders=None, email_recognition=None))
    agent.refresh_from_db()
    assert (
        wants(agent, "email_reminders"),
        wants(agent, "email_daily_theme"),
        wants(agent, "email_recognition"),
        wants(agent, "email_digest"),
    ) == (
        False,
        False,
        False,
        False,
    )
    assert wants(agent, "email_nomination_news") is False
    client.post(PROFILE_URL, profile_data(email_nomination_news="on"))
    agent.refresh_from_db()
    assert (wants(agent, "email_recognition"), wants(agent, "email_nomination_news")) == (True, True)


def test_profile_unknown_time_zone_shows_error_and_keeps_typed_values(client, agent):
    client.force_login(agent)
    first_name_before = agent.first_name
    response = client.post(PROFILE_URL, profile_data(time_zone="Mars/Olympus"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"time_zone": [BAD_ZONE]}
    html = response.content.decode()
    assert BAD_ZONE in html
    assert 'name="first_name" value="Ada"' in html
    assert 'name="last_name" value="Lovelace"' in html
    assert 'name="display_name" value="Countess"' in html
    agent.refresh_from_db()
    assert (agent.first_name, agent.time_zone) == (first_name_before, "Europe/London")


def test_profile_empty_time_zone_is_required(client, agent):
    client.force_login(agent)
    response = client.post(PROFILE_URL, profile_data(time_zone=""))
    assert response.context["form"].errors == {"time_zone": ["This field is required."]}


@override_settings(TIME_ZONE="Asia/Tokyo")
def test_new_user_time_zone_defaults_to_site_time_zone(client):
    user = User.objects.create_user("new@example.com", "pw-long-enough-1")
    assert user.time_zone == "Asia/Tokyo"
    client.force_login(user)
    html = client.get(PROFILE_URL).content.decode()
    assert '<option value="Asia/Tokyo" selected>Asia/Tokyo</option>' in html


def test_site_time_zone_is_a_valid_default():
    assert User._meta.get_field("time_zone").default() == settings.TIME_ZONE


def test_profile_escapes_first_name(client):
    user = AgentFactory(first_name="<script>alert(1)</script>", display_name="<b>bold</b>")
    client.force_login(user)
    html = client.get(PROFILE_URL).content.decode()
    assert 'name="first_name" value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert 'name="display_name" value="&lt;b&gt;bold&lt;/b&gt;"' in html
    assert "<script>alert(1)</script>" not in html
    assert "<b>bold</b>" not in html


def test_profile_every_field_has_a_label(client, agent):
    client.force_login(agent)
    form = client.get(PROFILE_URL).context["form"]
    html = client.get(PROFILE_URL).content.decode()
    for field in form:
        assert f'<label for="{field.id_for_label}"' in html, field.name


def test_profile_lists_each_declared_email_preference_ticked_unless_switched_off(client):
    from outbox.preferences import all_preferences

    user = AgentFactory(opted_out=["email_digest"])
    client.force_login(user)
    form = client.get(PROFILE_URL).context["form"]
    checkboxes = [name for name, field in form.fields.items() if field.widget.input_type == "checkbox"]
    assert (
        checkboxes
        == [preference.key for preference in all_preferences()]
        == [
            "email_reminders",
            "email_daily_theme",
            "email_recognition",
            "email_nomination_news",
            "email_digest",
            "email_surveys",
            "email_announcements",
        ]
    )
    assert [form[name].initial for name in checkboxes] == [True, True, True, True, False, True, True]
