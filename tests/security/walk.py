"""The access walk: every URL pattern of the resolver, requested as each role against seeded data.

`tests/security/access_table.py` says what each role must get; `test_access_walk.py` compares.
A new URL fails the walk until its row is written in the table: the failure prints the answers
the walk saw, to be checked one by one before they are copied.
"""

import copy
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.sites import site as admin_site
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

ROLES = ("anonymous", "agent", "other_agent", "manager", "other_manager", "coordinator")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full route text (the table's key), its name and its parameters."""

    route: str
    name: str | None
    params: tuple[str, ...]


def _pattern_params(pattern) -> tuple[str, ...]:
    regex = pattern.pattern.regex
    return tuple(regex.groupindex)


def routes() -> list[Route]:
    """Every URL pattern the site answers, in resolver order."""

    def walk(patterns, prefix: str, namespace: str | None) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace
                ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
                for route in walk(entry.url_patterns, prefix + str(entry.pattern), ns):
                    yield Route(route.route, route.name, _pattern_params(entry) + route.params)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                yield Route(prefix + str(entry.pattern), name, _pattern_params(entry))

    return list(walk(get_resolver().url_patterns, "", None))


def table_key(route: Route) -> str:
    """The table speaks of the admin as `admin/` whatever ADMIN_URL says, and of its app index
    without the list of apps (which grows with every app that has models in the admin)."""
    text = re.sub(r"\(\?P<app_label>[^)]*\)", "(?P<app_label>...)", route.route)
    admin_prefix = getattr(settings, "ADMIN_URL", "admin/")
    if text.startswith(admin_prefix):
        return "admin/" + text[len(admin_prefix) :]
    return text


@dataclass
class World:
    """The seeded objects the walk puts into URLs, and a signed-in client per role."""

    users: dict
    week: object
    activity: object
    nomination: object
    award: object
    invitation: object
    delivery: object
    team: object
    unsubscribe_token: str
    survey: object = None
    category: object = None
    webhook: object = None
    announcement: object = None


def seed_world() -> World:
    """Two teams, each with a manager and an agent, a coordinator (staff, as in the demo), a
    published week with an activity, a sign-up, a nomination waiting for the first manager, an
    award, a pending invitation and an email delivery."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from audit.services import audit_record
    from events.models import Registration
    from outbox.kinds import get_kind
    from outbox.models import ChatWebhook, Delivery
    from outbox.services import unsubscribe_token
    from people.models import Invitation
    from recognition.models import Announcement, Nomination
    from tests.events.factories import ActivityFactory, WeekFactory, local
    from tests.factories import AgentFactory, CoordinatorFactory, ManagerFactory, TeamFactory
    from tests.recognition.factories import AwardCategoryFactory, NominationFactory

    team = TeamFactory(name="Front Line")
    other_team = TeamFactory(name="Billing")
    coordinator = CoordinatorFactory(email="coord@example.com", is_staff=True)
    manager = ManagerFactory(email="boss@example.com", team=team)
    team.managers.add(manager)
    other_manager = ManagerFactory(email="otherboss@example.com", team=other_team)
    other_team.managers.add(other_manager)
    agent = AgentFactory(email="agent@example.com", team=team)
    other_agent = AgentFactory(email="otheragent@example.com", team=other_team)
    colleague = AgentFactory(email="colleague@example.com", team=team)

    # The production rule: staff sign in with a second factor (the coordinator has one).
    TOTP.activate(coordinator, generate_totp_secret())

    week = WeekFactory(year=2030)
    activity = ActivityFactory(
        week=week, title="Listening skills", host=coordinator, starts_at=local(week, 1, 10), capacity=10
    )
    Registration.objects.create(user=agent, activity=activity)
    category = AwardCategoryFactory(week=week, name="Walk of Fame")
    nomination = NominationFactory(category=category, nominator=agent, nominee=colleague)
    award = NominationFactory(
        category=category,
        nominator=colleague,
        nominee=agent,
        status=Nomination.Status.APPROVED,
        reviewed_by=manager,
        reviewed_at=timezone.now(),
        announced_at=timezone.now(),
    )
    invited = AgentFactory(email="invited@example.com", team=team, is_active=False, verified=False)
    invitation = Invitation.objects.create(
        user=invited, invited_by=coordinator, expires_at=timezone.now() + datetime.timedelta(days=7)
    )
    delivery = Delivery.objects.create(
        recipient=agent,
        address=agent.email,
        kind="activity_reminder",
        content_type=ContentType.objects.get_for_model(activity),
        object_id=activity.pk,
        occurrence="24h",
        week_year=week.year,
        status=Delivery.Status.FAILED,
    )
    audit_record(actor=coordinator, action="week.published", obj=week)
    survey = _seed_survey(coordinator=coordinator, week=week)
    webhook = ChatWebhook.objects.create(name="Walk channel", url="https://hooks.slack.com/services/T/B/walk")
    announcement = Announcement.objects.create(subject="Walk news", body="Hello.", created_by=coordinator)
    users = {
        "anonymous": None,
        "agent": agent,
        "other_agent": other_agent,
        "manager": manager,
        "other_manager": other_manager,
        "coordinator": coordinator,
    }
    return World(
        users=users,
        week=week,
        activity=activity,
        nomination=nomination,
        award=award,
        category=category,
        invitation=invitation,
        delivery=delivery,
        team=team,
        unsubscribe_token=unsubscribe_token(user=agent, kind=get_kind("activity_reminder")),
        survey=survey,
        webhook=webhook,
        announcement=announcement,
    )


def _seed_survey(*, coordinator, week):
    """An open pulse survey for everyone, answered by nobody yet."""
    from surveys import services as survey_services

    now = timezone.now()
    survey = survey_services.survey_create(
        by=coordinator,
        week=week,
        title="Walk pulse",
        template="pulse",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=3),
    )
    return survey_services.survey_publish(by=coordinator, survey=survey)


def _admin_object_id(route: Route) -> str:
    """The pk of the first row of the model an admin URL is about, or 1 when it has none."""
    match = re.match(r"admin:(\w+)_(\w+?)_(change|delete|history)$", route.name or "")
    if match:
        for model, _model_admin in admin_site._registry.items():
            if (model._meta.app_label, model._meta.model_name) == match.group(1, 2):
                first = model._default_manager.order_by("pk").first()
                return str(first.pk) if first else "1"
    return "1"


def url_for(route: Route, world: World) -> str:
    """A concrete URL for `route`, pointing at the seeded objects."""
    key = table_key(route)
    values: dict[str, object] = {}
    for param in route.params:
        if param == "pk":
            if key.startswith("people/"):
                values[param] = world.users["agent"].pk
            elif key.startswith("teams/"):
                values[param] = world.team.pk
            elif key.startswith("activities/"):
                values[param] = world.activity.pk
            elif key.startswith("nominations/"):
                values[param] = world.nomination.pk
            elif key.startswith(("wall/", "awards/", "media/awards/")):
                values[param] = world.award.pk
            elif key.startswith("media/avatars/"):
                values[param] = world.users["agent"].pk
            elif key.startswith("deliveries/"):
                values[param] = world.delivery.pk
            elif key.startswith("announcements/"):
                values[param] = world.announcement.pk
            elif key.startswith("integrations/"):
                values[param] = world.webhook.pk
            elif key.startswith("surveys/"):
                values[param] = world.survey.pk
            elif key.startswith("weeks/<int:year>/categories/"):
                values[param] = world.category.pk
            elif key.startswith("registrations/"):
                values[param] = world.activity.registrations.get().pk
            else:
                raise AssertionError(f"The walk does not know which object `pk` is in {key}")
        elif param == "year":
            values[param] = world.week.year
        elif param == "day":
            values[param] = world.week.starts_on.isoformat()
        elif param == "question_pk":
            values[param] = world.survey.questions.order_by("position").first().pk
        elif param == "team_id":
            values[param] = world.team.pk
        elif param == "key" and key.startswith("reports/"):
            values[param] = "activities"
        elif param == "fmt":
            values[param] = "csv"
        elif param == "token":
            if key.startswith("invite/"):
                values[param] = world.invitation.token
            elif key.startswith("calendar/"):
                values[param] = world.users["agent"].calendar_token
            elif key.startswith("unsubscribe/"):
                values[param] = world.unsubscribe_token
            elif key.startswith("media/"):
                values[param] = "no-such-photo-token-0123456789"  # the walk's people and award have none
            else:
                raise AssertionError(f"The walk does not know which token is in {key}")
        elif param == "object_id":
            values[param] = _admin_object_id(route)
        elif param == "id" and key.startswith("admin/people/user/"):
            values[param] = world.users["agent"].pk
        elif param == "content_type_id":
            values[param] = ContentType.objects.get_for_model(type(world.activity)).pk
        elif param == "app_label":
            values[param] = "people"
        elif param == "version":
            values[param] = "1"  # the walk's organisation has no logo: a 404 for everyone
        elif param == "provider_id":
            values[param] = "sso"
        elif param in ("key", "uidb36", "url"):
            values[param] = {"key": "not-a-real-key", "uidb36": "1", "url": "nowhere"}[param]
        else:
            raise AssertionError(f"The walk has no sample value for `{param}` in {key}")
    if route.name:
        return reverse(route.name, kwargs=values)
    # An unnamed pattern (the admin's old-style object URL, say) is filled in by hand.
    text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.pop(m.group(1))), route.route)
    assert not values and "(?P<" not in text, f"The walk cannot fill in the unnamed pattern {key}"
    return "/" + text


LOGIN_PATHS = ("/accounts/login/",)


def outcome(response) -> str:
    """What the walk compares: ok (2xx), login (sent to sign in), redirect, or the status code."""
    if 200 <= response.status_code < 300:
        return "ok"
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        admin_login = reverse("admin:login")
        if location.startswith((*LOGIN_PATHS, admin_login)):
            return "login"
        return "redirect"
    return str(response.status_code)


def request_as(client: Client, method: str, url: str, data=None) -> object:
    """One request inside a savepoint that is rolled back, so the walk's POSTs change nothing
    the next request sees (signing out included: the client's cookies are put back); the cache
    (rate limits) is emptied too."""
    cache.clear()
    cookies = copy.deepcopy(client.cookies)
    sid = transaction.savepoint()
    try:
        if method == "GET":
            return client.get(url, data or {})
        return client.post(url, data or {})
    finally:
        transaction.savepoint_rollback(sid)
        client.cookies = cookies


def client_for(world: World, role: str) -> Client:
    client = Client(raise_request_exception=False)
    user = world.users[role]
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
