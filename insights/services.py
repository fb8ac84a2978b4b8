"""Every write of insights: the recap's thank-you note and sending the recap."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from events.models import Week
from insights import permissions
from insights.deliveries import WEEK_RECAP
from insights.models import WeekRecap
from insights.selectors import recap_recipients, week_is_over
from outbox.services import deliveries_create
from people.models import User


def _require_manager(by: User) -> None:
    if not permissions.can_manage_recap(by):
        raise PermissionDenied("Only a coordinator can edit or send the recap.")


def recap_note_set(*, week: Week, by: User, note: str) -> WeekRecap:
    """Save the coordinators' thank-you note shown at the top of the recap."""
    _require_manager(by)
    with transaction.atomic():
        recap, _ = WeekRecap.objects.select_for_update().get_or_create(week=week)
        recap.thank_you_note = note.strip()
        recap.full_clean()
        recap.save()
    return recap


def recap_send(*, week: Week, by: User) -> int:
    """Email the recap to everyone (one email each, through the outbox); returns how many emails were
    created. Sending again only reaches people who have not had it yet."""
    _require_manager(by)
    if not week_is_over(week):
        raise ValidationError("The recap can be sent once the week is over.")
    with transaction.atomic():
        recap, _ = WeekRecap.objects.select_for_update().get_or_create(week=week)
        recipients = list(recap_recipients(recap).only("pk", "email", "is_active"))
        ids = deliveries_create(kind=WEEK_RECAP.name, recipients=recipients, about=recap)
        recap.sent_at = timezone.now()
        recap.sent_by = by
        recap.save(update_fields=["sent_at", "sent_by", "updated_at"])
        audit_record(actor=by, action="recap.sent", obj=week, detail={"recipients": len(ids)})
    return len(ids)
