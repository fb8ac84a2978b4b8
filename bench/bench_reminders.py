"""Time the outbox fan-out through a real Celery worker into a real SMTP server, against plain smtplib.

Creates N recipients, fans one email out to all of them through the outbox (Delivery rows, send
tasks on the broker, a `celery worker` process sending over SMTP), waits until the SMTP sink has
every message, then sends N equivalent messages (same size, text + HTML) with a plain `smtplib`
loop over one connection to the same sink. Prints, as its last line:

    sent=N delivered=D duplicates=X lost=L rate=R/s baseline=B/s ratio=R/B

Runs on a throwaway SQLite database and filesystem broker in a temporary folder, or on the broker
`CELERY_BROKER_URL` names (e.g. redis://127.0.0.1:6379/5; its queue is purged) and the database
`DATABASE_URL` names (it must be a scratch database: the bench migrates it and adds N people).

The fan-out is chosen with ``--kind``; FAN_OUTS maps each kind to a function that creates what
the email is about and calls the service that fans it out. The default, ``activity_reminder``,
registers the N people to one activity and calls the real reminder service at its 24 h mark (each
email then carries the activity's .ics, as the baseline's messages do); ``announcement`` puts them in
one team and sends that team an announcement from the composer's service (recognition), whose send
task the worker runs.

Usage: `make bench-reminders N=5000 [WORKERS=1]`, or
`DJANGO_DEBUG=1 .venv/bin/python bench/bench_reminders.py --n 5000`.
"""

import argparse
import os
import shutil
import smtplib
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "bench.example"


def fan_out_announcement(people) -> None:
    """One announcement for a team holding the N people, sent now by a coordinator through the
    composer's service: the worker runs its send task, which queues one email per person."""
    from people.models import Role, Team, User
    from people.services import user_set_role
    from recognition.announcements.services import announcement_create, announcement_send_now

    team, _ = Team.objects.get_or_create(name="Bench announcements")
    User.objects.filter(pk__in=[person.pk for person in people]).update(team=team)
    coordinator, _ = User.objects.get_or_create(
        email="coordinator@host.bench.example", defaults={"first_name": "Coordinator"}
    )
    user_set_role(user=coordinator, role=Role.COORDINATOR)
    announcement = announcement_create(
        by=coordinator,
        subject="Customer Service Week starts on Monday",
        body="Join the kick-off at 10:00 in the **atrium** or online.\n\nEvery team has a theme each day.",
        everyone=False,
        teams=[team],
    )
    announcement_send_now(by=coordinator, announcement=announcement)


def fan_out_activity_reminder(people) -> None:
    """N confirmed registrations to one activity; the real reminder service at its 24 h mark."""
    import datetime

    from events.models import Activity, Registration, Week, default_week_dates
    from events.services import reminders_create
    from people.models import User

    # A week ahead in real time: the worker's clock decides whether a reminder is still worth sending.
    year = datetime.date.today().year + 10
    Week.objects.filter(year=year).delete()
    starts_on, ends_on = default_week_dates(year)
    week = Week.objects.create(
        year=year,
        theme="Bench",
        time_zone="Europe/London",
        starts_on=starts_on,
        ends_on=ends_on,
        status=Week.Status.PUBLISHED,
    )
    host, _ = User.objects.get_or_create(email="host@host.bench.example", defaults={"first_name": "Host"})
    starts_at = datetime.datetime.combine(starts_on, datetime.time(10), tzinfo=datetime.UTC)
    activity = Activity.objects.create(
        week=week,
        title="Customer Service Week kick-off",
        kind=Activity.Kind.TEAM_BUILDING,
        description="Join the kick-off in the atrium or online.",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
        format=Activity.Format.HYBRID,
        room="Atrium",
        join_url="https://meet.example.com/kick-off",
        host=host,
    )
    Registration.objects.bulk_create(
        [Registration(user=person, activity=activity) for person in people], batch_size=1000
    )
    created = reminders_create(now=starts_at - datetime.timedelta(hours=23))
    assert created == len(people), f"the reminder service created {created} deliveries for {len(people)}"


FAN_OUTS = {"activity_reminder": fan_out_activity_reminder, "announcement": fan_out_announcement}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--kind", choices=sorted(FAN_OUTS), default="activity_reminder")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (each --pool=solo)")
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="csweek-bench-")
    os.environ["CSWEEK_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "csweek.settings"
    for name in ("CELERY_FILESYSTEM_DIR", "EMAIL_URL"):
        os.environ.pop(name, None)
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    try:
        run(args)
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(var_dir, ignore_errors=True)


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: timed out waiting for {what}")
        time.sleep(0.05)


def baseline_rate(n: int, port: int, sample) -> float:
    """N messages like the outbox's (same text, HTML, attachments), sent by smtplib over one connection."""
    text, html, attachments = sample
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for i in range(n):
            message = EmailMessage()
            message["Subject"] = "Customer Service Week starts on Monday"
            message["From"] = f"csweek <noreply@{DOMAIN}>"
            message["To"] = f"baseline{i}@{DOMAIN}"
            message["Message-ID"] = make_msgid(domain=DOMAIN)
            message.set_content(text)
            message.add_alternative(html, subtype="html")
            for filename, content, mimetype in attachments:
                maintype, subtype = mimetype.split("/")
                if isinstance(content, str):
                    content = content.encode()
                message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
            smtp.send_message(message)
    return n / (time.perf_counter() - started)


def run(args) -> None:
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    from outbox.kinds import get_kind
    from outbox.models import Delivery
    from outbox.services import delivery_message
    from people.models import User
    from tests.support.smtp_sink import SmtpSink
    from tests.support.worker import running_worker

    n = args.n
    call_command("migrate", verbosity=0)
    Delivery.objects.all().delete()
    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()  # with their sign-ups
    User.objects.bulk_create(
        [User(email=f"person{i}@{DOMAIN}", first_name=f"Person{i}") for i in range(n)], batch_size=1000
    )
    people = list(User.objects.filter(email__endswith=f"@{DOMAIN}").order_by("pk"))
    broker = settings.CELERY_BROKER_URL.split("://")[0]
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"bench: N={n} kind={args.kind} workers={args.workers} broker={broker} database={database}")

    with SmtpSink() as sink:
        mail_dir = Path(os.environ["CSWEEK_VAR_DIR"]) / "mail"
        env = {"EMAIL_URL": sink.url, "LOG_LEVEL": "INFO"}  # the worker says "ready." at INFO
        workers = [running_worker(mail_dir, env) for _ in range(args.workers)]
        for worker in workers:
            worker.__enter__()
        try:
            started = time.perf_counter()
            FAN_OUTS[args.kind](people)
            wait_until(lambda: sink.received >= n, args.timeout, f"{n} messages at the SMTP sink")
            wait_until(
                lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() >= n,
                60,
                "every delivery marked sent",
            )
            elapsed = time.perf_counter() - started
        finally:
            for worker in reversed(workers):
                worker.__exit__(None, None, None)
        delivered = sink.distinct
        duplicates = sink.duplicates
        sent = Delivery.objects.count()

        # The baseline sends the very same content the outbox rendered for one person.
        one = Delivery.objects.select_related("recipient").first()
        message = delivery_message(delivery=one, kind=get_kind(one.kind))
        sample = (message.body, message.alternatives[0][0], message.attachments)
        baseline = baseline_rate(n, sink.port, sample)

    rate = n / elapsed
    lost = sent - delivered
    print(
        f"bench: fan-out {elapsed:.2f}s ({rate:.0f}/s); smtplib loop {n / baseline:.2f}s ({baseline:.0f}/s)"
    )
    print(
        f"sent={sent} delivered={delivered} duplicates={duplicates} lost={lost} "
        f"rate={rate:.0f}/s baseline={baseline:.0f}/s ratio={rate / baseline:.2f}"
    )


if __name__ == "__main__":
    main()
