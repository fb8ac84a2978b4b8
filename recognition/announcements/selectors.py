"""Reads for announcements: the list (coordinators only), and who an announcement reaches."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from events.models import Registration
from outbox.selectors import delivery_counts_about, opted_in
from people.models import User
from recognition.announcements import permissions
from recognition.models import Announcement

PREFERENCE = "email_announcements"
KIND = "coordinator_announcement"


def announcements_visible_to(user) -> QuerySet[Announcement]:
    if not permissions.can_manage_announcements(user):
        return Announcement.objects.none()
    return (
        Announcement.objects.select_related("audience_activity", "created_by", "sent_by")
        .prefetch_related("audience_teams")
        .order_by("-created_at", "-id")
    )


def announcement_visible_to(user, *, pk: int) -> Announcement | None:
    return announcements_visible_to(user).filter(pk=pk).first()


def audience_people(announcement: Announcement) -> QuerySet[User]:
    """Every active person the announcement is for, before anyone's email preference: everyone, or
    the union of the chosen teams, roles and the confirmed sign-ups of the chosen activity."""
    people = User.objects.filter(is_active=True)
    if announcement.audience_everyone:
        return people
    chosen = Q(pk__in=[])
    team_ids = [team.pk for team in announcement.audience_teams.all()]
    if team_ids:
        chosen |= Q(team_id__in=team_ids)
    if announcement.audience_roles:
        chosen |= Q(groups__name__in=list(announcement.audience_roles))
    if announcement.audience_activity_id:
        chosen |= Q(
            pk__in=Registration.objects.filter(
                activity_id=announcement.audience_activity_id, status=Registration.Status.CONFIRMED
            ).values("user_id")
        )
    # The role join could repeat a person; the subquery keeps the count and the rows one per person.
    return people.filter(pk__in=User.objects.filter(chosen).values("pk"))


def announcement_recipients(announcement: Announcement) -> QuerySet[User]:
    """Those who will get the email: the audience minus who switched announcements off."""
    return opted_in(audience_people(announcement), PREFERENCE).only("pk", "email", "is_active")


@dataclass(frozen=True)
class Reach:
    recipients: int
    opted_out: int


def announcement_reach(announcement: Announcement) -> Reach:
    """How many it would email now, and how many of its audience switched announcements off."""
    audience = audience_people(announcement).count()
    recipients = opted_in(audience_people(announcement), PREFERENCE).count()
    return Reach(recipients=recipients, opted_out=audience - recipients)


def announcement_delivery_counts(announcements) -> dict[int, dict[str, int]]:
    """Queued / sent / failed / skipped emails of each of `announcements` (one query)."""
    return delivery_counts_about(kind=KIND, model=Announcement, object_ids=[a.pk for a in announcements])
