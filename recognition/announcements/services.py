"""Every write about announcements: draft, change, schedule, send, cancel, and the beat's sweep."""

import datetime
import html
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from audit.services import audit_record
from csweek.core.markdown import render_markdown
from events.models import Activity
from outbox.services import chat_posts_queue, deliveries_create
from people.models import Role, Team, User
from recognition.announcements import permissions, selectors
from recognition.models import Announcement

Status = Announcement.Status

AUDIENCE_MESSAGE = "Choose who receives it: everyone, or at least one team, role or activity."


def _check(by: User) -> None:
    if not permissions.can_manage_announcements(by):
        raise PermissionDenied("Only coordinators can write and send announcements.")


def _apply(
    announcement: Announcement,
    *,
    subject: str,
    body: str,
    everyone: bool,
    roles: Iterable[str],
    activity: Activity | None,
    post_to_chat: bool,
) -> None:
    roles = sorted(set(roles))
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"Unknown role: {', '.join(sorted(unknown))}."})
    announcement.subject = subject.strip()
    announcement.body = body.strip()
    announcement.audience_everyone = everyone
    announcement.audience_roles = [] if everyone else roles
    announcement.audience_activity = None if everyone else activity
    announcement.post_to_chat = post_to_chat
    announcement.updated_at = timezone.now()
    announcement.full_clean(exclude=["created_by", "sent_by"])


def _audience_check(*, everyone: bool, teams: list, roles: Iterable[str], activity) -> None:
    if not (everyone or teams or list(roles) or activity is not None):
        raise ValidationError({"audience_everyone": AUDIENCE_MESSAGE})


def _detail(announcement: Announcement) -> dict:
    return {
        "subject": announcement.subject,
        "everyone": announcement.audience_everyone,
        "teams": sorted(team.name for team in announcement.audience_teams.all()),
        "roles": list(announcement.audience_roles),
        "activity": announcement.audience_activity.title if announcement.audience_activity_id else "",
        "post_to_chat": announcement.post_to_chat,
    }


@transaction.atomic
def announcement_create(
    *,
    by: User,
    subject: str,
    body: str,
    everyone: bool = True,
    teams: Iterable[Team] = (),
    roles: Iterable[str] = (),
    activity: Activity | None = None,
    post_to_chat: bool = False,
) -> Announcement:
    """A draft announcement; nothing is sent until it is sent or scheduled."""
    _check(by)
    teams, roles = list(teams), list(roles)
    _audience_check(everyone=everyone, teams=teams, roles=roles, activity=activity)
    announcement = Announcement(created_by=by)
    _apply(
        announcement,
        subject=subject,
        body=body,
        everyone=everyone,
        roles=roles,
        activity=activity,
        post_to_chat=post_to_chat,
    )
    announcement.save()
    announcement.audience_teams.set([] if everyone else teams)
    audit_record(actor=by, action="announcement.created", obj=announcement, detail=_detail(announcement))
    return announcement


def _locked(announcement: Announcement) -> Announcement:
    return Announcement.objects.select_for_update().get(pk=announcement.pk)


def _editable(announcement: Announcement) -> None:
    if not announcement.is_editable:
        raise ValidationError("This announcement is sent: it can no longer be changed.")


@transaction.atomic
def announcement_update(
    *,
    by: User,
    announcement: Announcement,
    subject: str,
    body: str,
    everyone: bool = True,
    teams: Iterable[Team] = (),
    roles: Iterable[str] = (),
    activity: Activity | None = None,
    post_to_chat: bool = False,
) -> Announcement:
    """Change a draft or scheduled announcement (a scheduled one keeps its moment)."""
    _check(by)
    announcement = _locked(announcement)
    _editable(announcement)
    teams, roles = list(teams), list(roles)
    _audience_check(everyone=everyone, teams=teams, roles=roles, activity=activity)
    before, before_body = _detail(announcement), announcement.body
    _apply(
        announcement,
        subject=subject,
        body=body,
        everyone=everyone,
        roles=roles,
        activity=activity,
        post_to_chat=post_to_chat,
    )
    announcement.save()
    announcement.audience_teams.set([] if everyone else teams)
    after = _detail(announcement)
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if announcement.body != before_body:
        changed["body"] = "changed"
    audit_record(actor=by, action="announcement.updated", obj=announcement, detail=changed)
    return announcement


@transaction.atomic
def announcement_schedule(
    *, by: User, announcement: Announcement, send_at: datetime.datetime
) -> Announcement:
    """Send it at `send_at` (aware; the beat's sweep sends it within a minute of that moment)."""
    _check(by)
    announcement = _locked(announcement)
    _editable(announcement)
    if send_at <= timezone.now():
        raise ValidationError({"send_at": "Choose a moment in the future, or send it now."})
    announcement.status = Status.SCHEDULED
    announcement.scheduled_at = send_at
    announcement.sent_by = by
    announcement.updated_at = timezone.now()
    announcement.save(update_fields=["status", "scheduled_at", "sent_by", "updated_at"])
    audit_record(
        actor=by,
        action="announcement.scheduled",
        obj=announcement,
        detail={"send_at": send_at.isoformat(), "time_zone": str(timezone.get_current_timezone())},
    )
    return announcement


@transaction.atomic
def announcement_cancel(*, by: User, announcement: Announcement) -> Announcement:
    """Take a scheduled announcement back to a draft, before it goes."""
    _check(by)
    announcement = _locked(announcement)
    if announcement.status != Status.SCHEDULED:
        raise ValidationError("Only a scheduled announcement can be cancelled; this one is not scheduled.")
    announcement.status = Status.DRAFT
    announcement.scheduled_at = None
    announcement.updated_at = timezone.now()
    announcement.save(update_fields=["status", "scheduled_at", "updated_at"])
    audit_record(actor=by, action="announcement.cancelled", obj=announcement)
    return announcement


@transaction.atomic
def announcement_send_now(*, by: User, announcement: Announcement) -> Announcement:
    """Send it now: it is due at once, and a task sends it after the commit (the beat's sweep
    sends it should the task be lost)."""
    from recognition import tasks

    _check(by)
    announcement = _locked(announcement)
    _editable(announcement)
    if selectors.announcement_reach(announcement).recipients == 0:
        raise ValidationError(
            "Nobody would receive it: its audience is empty or has switched announcements off."
        )
    announcement.status = Status.SCHEDULED
    announcement.scheduled_at = timezone.now()
    announcement.sent_by = by
    announcement.updated_at = timezone.now()
    announcement.save(update_fields=["status", "scheduled_at", "sent_by", "updated_at"])
    pk = announcement.pk
    transaction.on_commit(lambda: tasks.announcement_send.delay(pk))
    return announcement


def _chat_text(announcement: Announcement) -> str:
    """The body as plain text: the payload builders escape it for each chat service, so the HTML
    entities of the rendered Markdown (&amp;, &lt;) are turned back into their characters first."""
    return Truncator(html.unescape(strip_tags(render_markdown(announcement.body))).strip()).chars(600)


def announcement_deliver(*, announcement_id: int, now: datetime.datetime | None = None) -> int | None:
    """Send a due announcement: one email per recipient (people who switched announcements off are
    left out and counted), the chat posts when asked for, and the announcement marked sent, in one
    transaction. Returns how many emails were queued, or None when it is not due (already sent,
    cancelled, or later): running it twice sends once."""
    now = now or timezone.now()
    with transaction.atomic():
        announcement = Announcement.objects.select_for_update().filter(pk=announcement_id).first()
        if announcement is None or announcement.status != Status.SCHEDULED or announcement.scheduled_at > now:
            return None
        reach = selectors.announcement_reach(announcement)
        ids = deliveries_create(
            kind=selectors.KIND,
            recipients=selectors.announcement_recipients(announcement),
            about=announcement,
        )
        announcement.status = Status.SENT
        announcement.sent_at = now
        announcement.recipient_count = len(ids)
        announcement.opted_out_count = reach.opted_out
        announcement.save(update_fields=["status", "sent_at", "recipient_count", "opted_out_count"])
        chat_posts = 0
        if announcement.post_to_chat:
            chat_posts = chat_posts_queue(
                topic="announcements",
                key=f"announcement:{announcement.pk}",
                title=announcement.subject,
                text=_chat_text(announcement),
                url=settings.SITE_URL + reverse("dashboard"),
            )
        audit_record(
            actor=announcement.sent_by or announcement.created_by,
            action="announcement.sent",
            obj=announcement,
            detail={"recipients": len(ids), "opted_out": reach.opted_out, "chat_posts": chat_posts},
        )
    return len(ids)


def announcements_due(*, now: datetime.datetime | None = None) -> int:
    """Send every scheduled announcement whose moment has come; returns how many were sent."""
    now = now or timezone.now()
    due = list(
        Announcement.objects.filter(status=Status.SCHEDULED, scheduled_at__lte=now)
        .order_by("scheduled_at", "pk")
        .values_list("pk", flat=True)
    )
    return sum(1 for pk in due if announcement_deliver(announcement_id=pk, now=now) is not None)
