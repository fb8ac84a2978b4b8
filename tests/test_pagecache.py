"""Pages cached as rendered, per viewer, under data versions (csweek.core.pagecache)."""

import datetime
import re

import pytest
import time_machine
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from csweek.core import versions
from csweek.core.pagecache import cached_page
from events.models import Registration
from tests.events.factories import ActivityFactory, WeekFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
FORM = engines["django"].from_string('<form method="post">{% csrf_token %}</form> {{ note }}')


@pytest.fixture(autouse=True)
def _start_of_a_minute():
    """Keys carry the current minute, so a test that reads a page twice must not cross into the
    next one between the reads: each test starts at the first second of a minute, clock running."""
    with time_machine.travel(timezone.now().replace(second=1, microsecond=0), tick=True):
        yield


class Page:
    """A view that counts its renders; `respond` decides what it answers."""

    def __init__(self, respond=None):
        self.renders = 0
        self.respond = respond or (lambda request: HttpResponse(FORM.render({"note": "hello"}, request)))
        self.view = cached_page(versions.WEEK_DATA)(self._view)

    def _view(self, request):
        self.renders += 1
        return self.respond(request)


def request_for(user, *, secret="a" * 32, method="get", **extra):
    request = getattr(RequestFactory(), method)("/page/?tab=1", **extra)
    request.user = user
    request.META["CSRF_COOKIE"] = secret
    request.htmx = "HTTP_HX_REQUEST" in extra
    request._messages = CookieStorage(request)
    return request


def test_a_viewer_reading_again_gets_the_stored_page(agent):
    page = Page()
    first = page.view(request_for(agent)).content
    second = page.view(request_for(agent)).content
    assert page.renders == 1
    assert TOKEN.sub("", first.decode()) == TOKEN.sub("", second.decode())


def test_each_viewer_has_their_own_page(agent, other_agent):
    page = Page()
    page.view(request_for(agent))
    page.view(request_for(other_agent))
    assert page.renders == 2


def test_a_change_of_the_data_renders_again_and_another_kind_of_data_does_not(agent):
    page = Page()
    page.view(request_for(agent))
    versions.bump(versions.DELIVERIES)
    page.view(request_for(agent))
    assert page.renders == 1
    versions.bump(versions.WEEK_DATA)
    page.view(request_for(agent))
    assert page.renders == 2


def test_the_next_minute_renders_again(agent):
    page = Page()
    moment = datetime.datetime(2026, 10, 5, 9, 0, 10, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False) as clock:
        page.view(request_for(agent))
        clock.shift(datetime.timedelta(seconds=30))
        page.view(request_for(agent))
        assert page.renders == 1
        clock.shift(datetime.timedelta(seconds=30))
        page.view(request_for(agent))
        assert page.renders == 2


def test_another_time_zone_renders_again(agent):
    page = Page()
    page.view(request_for(agent))
    with timezone.override("America/Chicago"):
        page.view(request_for(agent))
    assert page.renders == 2


@pytest.mark.parametrize(
    "extra",
    [{"method": "post"}, {"method": "head"}, {"HTTP_HX_REQUEST": "true"}],
    ids=["post", "head", "htmx"],
)
def test_only_plain_gets_are_cached(agent, extra):
    page = Page()
    page.view(request_for(agent, **extra))
    page.view(request_for(agent, **extra))
    assert page.renders == 2


def test_a_request_with_messages_waiting_is_rendered_and_not_stored(agent):
    page = Page(lambda request: HttpResponse(" ".join(str(m) for m in messages.get_messages(request))))
    request = request_for(agent)
    messages.success(request, "Signed up.")
    assert page.view(request).content == b"Signed up."
    assert page.view(request_for(agent)).content == b""
    page.view(request_for(agent))
    assert page.renders == 2  # the page with the message was never stored


@pytest.mark.parametrize(
    "respond",
    [
        lambda request: HttpResponse("missing", status=404),
        lambda request: HttpResponse("moved", status=302, headers={"Location": "/"}),
        lambda request: HttpResponse("done", headers={"Content-Disposition": "attachment"}),
        lambda request: _with_cookie(HttpResponse("hello")),
    ],
    ids=["404", "redirect", "own-header", "cookie"],
)
def test_only_ordinary_pages_are_stored(agent, respond):
    page = Page(respond)
    page.view(request_for(agent))
    page.view(request_for(agent))
    assert page.renders == 2


def _with_cookie(response):
    response.set_cookie("seen", "1")
    return response


def test_switched_off_every_request_renders(agent, settings):
    settings.PAGE_CACHE = False
    page = Page()
    page.view(request_for(agent))
    page.view(request_for(agent))
    assert page.renders == 2


def test_a_stored_page_carries_the_current_requests_csrf_token(agent):
    page = Page()
    page.view(request_for(agent, secret="a" * 32))
    request = request_for(agent, secret="b" * 32)
    html = page.view(request).content.decode()
    assert page.renders == 1
    (token,) = TOKEN.findall(html)
    assert _unmask_cipher_token(token) == "b" * 32
    assert "csrf-" not in html


def test_other_long_words_on_the_page_are_left_alone(agent):
    word = "Z" * 32 + "Y" * 32  # 64 letters, like a token, but not one of this viewer's secret
    page = Page(lambda request: HttpResponse(f"{word} {get_token(request)}"))
    page.view(request_for(agent))
    html = page.view(request_for(agent)).content.decode()
    assert html.startswith(word + " ")
    assert _unmask_cipher_token(html.split()[1]) == "a" * 32


def test_a_cached_activity_page_still_signs_up_after_signing_in_again(agent):
    """Signing in rotates the CSRF secret: the stored page must post with the new one."""
    activity = ActivityFactory(week=WeekFactory(year=timezone.localdate().year + 1))
    client = Client(enforce_csrf_checks=True)
    url = reverse("events:activity_detail", args=[activity.pk])
    client.force_login(agent)
    assert client.get(url).context is not None  # rendered and stored
    client.logout()
    client.force_login(agent)
    response = client.get(url)
    assert response.context is None  # served from the cache
    tokens = TOKEN.findall(response.content.decode())
    secret = client.cookies["csrftoken"].value
    assert tokens and {_unmask_cipher_token(token) for token in tokens} == {secret}
    signup_url = reverse("events:activity_signup", args=[activity.pk])
    signup = client.post(signup_url, {"csrfmiddlewaretoken": tokens[0]})
    assert signup.status_code == 302
    assert Registration.objects.filter(user=agent, activity=activity).exists()
    client.get(url)  # shows the sign-up's message (never stored)
    page = client.get(url)
    assert page.context is not None  # the sign-up changed the data: rendered again, not the old page
    assert "Cancel my place" in page.content.decode()


def test_reactions_move_their_own_version_and_roles_the_page_data(agent, manager):
    """Reactions (only the wall shows them) and roles (every page) change no figure."""
    from django.contrib.auth.models import Group

    from people.models import Role
    from tests.recognition.factories import ReactionFactory

    reaction = ReactionFactory(user=agent)
    for name, change in (
        (versions.REACTIONS, lambda: ReactionFactory(nomination=reaction.nomination, user=manager)),
        (versions.REACTIONS, reaction.delete),
        (versions.PAGE_DATA, lambda: agent.groups.add(Group.objects.get(name=Role.MANAGER))),
        (versions.PAGE_DATA, lambda: agent.groups.clear()),
    ):
        before = versions.current(*versions.ALL)
        change()
        after = versions.current(*versions.ALL)
        changed = {
            n for n, b, a in zip(versions.ALL, before.split("-"), after.split("-"), strict=True) if a != b
        }
        assert changed == {name}


def _served_from_cache(client, url) -> bool:
    return client.get(url).context is None


def test_a_sign_up_renders_the_schedule_again_but_not_the_wall(client, agent):
    from events import services as events_services

    activity = ActivityFactory(week=WeekFactory(year=timezone.localdate().year + 1))
    client.force_login(agent)
    pages = [reverse("events:schedule"), reverse("recognition:wall"), reverse("dashboard")]
    for url in pages:
        client.get(url)
    assert all(_served_from_cache(client, url) for url in pages)
    events_services.registration_create(user=agent, activity=activity)
    assert [_served_from_cache(client, url) for url in pages] == [False, True, False]


def test_a_reaction_renders_the_wall_again_but_not_the_schedule(client, agent, manager):
    from tests.recognition.factories import NominationFactory, ReactionFactory

    award = NominationFactory(announced=True, nominee=manager)
    client.force_login(agent)
    pages = [reverse("recognition:wall"), reverse("events:schedule")]
    for url in pages:
        client.get(url)
    assert all(_served_from_cache(client, url) for url in pages)
    ReactionFactory(nomination=award, user=manager)
    assert [_served_from_cache(client, url) for url in pages] == [False, True]
