"""Event emails through a real broker and a real `celery worker` process, queued after commit."""

import datetime
import email
import zoneinfo
from email import policy

import pytest
from django.urls import reverse

from events import services
from events.models import Registration
from outbox.models import Delivery
from people.models import User
from tests.events.factories import ActivityFactory, WeekFactory
from tests.factories import AgentFactory, CoordinatorFactory
from tests.support.smtp_sink import SmtpSink
from tests.support.worker import running_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _read_messages(mail_dir):
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(mail_dir.glob("*.eml"))
    ]


# The worker's clock is the real one (it skips activities already over): a week years ahead.
FUTURE_YEAR = datetime.date.today().year + 4


def _kolkata(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(zoneinfo.ZoneInfo("Asia/Kolkata"))


def test_waitlist_promotion_email_sent_by_real_worker(client, team, tmp_path):
    activity = ActivityFactory(
        week=WeekFactory(year=FUTURE_YEAR), host=CoordinatorFactory(), capacity=1, title="Escape room"
    )
    first = AgentFactory(team=team, email="first@example.com")
    second = AgentFactory(team=team, email="second@example.com", time_zone="Asia/Kolkata")
    services.registration_create(user=first, activity=activity)
    services.registration_create(user=second, activity=activity)
    mail_dir = tmp_path / "mail"
    with running_worker(mail_dir):
        client.force_login(first)
        response = client.post(reverse("events:activity_withdraw", args=[activity.pk]))
        assert response.status_code == 302
        wait_until(lambda: len(list(mail_dir.glob("*.eml"))) == 1, message="the promotion email")
    [message] = _read_messages(mail_dir)
    assert message["To"] == "second@example.com"
    assert message["Subject"] == "You have a place: Escape room"
    text = message.get_body(preferencelist=("plain",)).get_content()
    # 10:00 in London on the Monday is 14:30 in Kolkata (15:30 in winter time, were the week moved).
    start, end = _kolkata(activity.starts_at), _kolkata(activity.ends_at)
    assert f"{start:%A} {start.day} {start:%B %Y, %H:%M}–{end:%H:%M} (Asia/Kolkata)" in text
    assert f"/activities/{activity.pk}.ics" in text


def test_reminder_fan_out_reaches_the_smtp_server_once_per_person(tmp_path):
    activity = ActivityFactory(
        week=WeekFactory(year=FUTURE_YEAR), host=CoordinatorFactory(), title="Town hall"
    )
    User.objects.bulk_create(
        [User(email=f"person{i}@reminder.example", time_zone="Asia/Kolkata") for i in range(250)]
    )
    people = list(User.objects.filter(email__endswith="@reminder.example"))
    Registration.objects.bulk_create([Registration(user=person, activity=activity) for person in people])
    # The activity lies ahead in real time too, so the worker (whose clock is not frozen) sends it.
    mark = activity.starts_at - datetime.timedelta(hours=23)
    with SmtpSink() as sink, running_worker(tmp_path / "mail", {"EMAIL_URL": sink.url}):
        assert services.reminders_create(now=mark) == 250
        # The next ticks of beat find nothing new to create.
        assert services.reminders_create(now=mark + datetime.timedelta(minutes=1)) == 0
        wait_until(
            lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == 250,
            timeout=120,
            message="250 reminders sent",
        )
        assert services.reminders_create(now=mark + datetime.timedelta(minutes=2)) == 0
    assert (sink.received, sink.distinct, sink.duplicates) == (250, 250, 0)
    start = _kolkata(activity.starts_at)
    assert {headers["Subject"] for headers in sink.headers} == {
        f"Reminder: Town hall on {start:%A} {start.day} {start:%B} at {start:%H:%M}"
    }
    assert sorted(headers["To"] for headers in sink.headers) == sorted(person.email for person in people)
