"""Every write about people, teams, roles and invitations goes through these functions."""

from collections.abc import Iterable
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from csweek.core.images import OUTPUT_EXTENSION, avatar_encode
from csweek.core.media import media_delete_on_commit, media_store
from outbox.services import email_preferences_set
from people import permissions, selectors
from people.models import Invitation, Role, Team, User, team_name_clash

# What each role may do in the admin back office and through Django's permission checks.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COORDINATOR: [
        "people.add_user",
        "people.change_user",
        "people.view_user",
        "people.add_team",
        "people.change_team",
        "people.delete_team",
        "people.view_team",
        "people.add_invitation",
        "people.view_invitation",
        "people.import_staff",
        *[
            f"events.{action}_{model}"
            for model in ("week", "daytheme", "themetemplate", "activity", "registration", "teamcoverage")
            for action in ("add", "change", "delete", "view")
        ],
    ],
    Role.MANAGER: ["people.view_user", "people.view_team"],
    Role.AGENT: ["people.view_team"],
}


def roles_ensure() -> None:
    """Create the role groups and give them their permissions; safe to run on every migrate."""
    for role, perm_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for name in perm_names:
            app_label, codename = name.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.add(*wanted)


def user_set_role(*, user: User, role: str) -> None:
    """Give `user` exactly one role group."""
    if role not in Role.values:
        raise ValidationError(f"Unknown role “{role}”. Choose Coordinator, Manager or Agent.")
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    if role not in groups:
        roles_ensure()
        groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    user.groups.remove(*[g for name, g in groups.items() if name != role])
    user.groups.add(groups[role])
    user.__dict__.pop("roles", None)


def _require_coordinator(by: User) -> None:
    if not permissions.can_manage_people(by):
        raise PermissionDenied("Only a coordinator can manage teams and people.")


def _team_name_clean(*, name: str, team: Team | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the team a name."})
    message = team_name_clash(name, exclude_pk=team.pk if team is not None else None)
    if message:
        raise ValidationError({"name": message})
    return name


def _team_managers_clean(managers: Iterable[User]) -> list[User]:
    """Only active managers and coordinators may manage a team."""
    managers = list(managers)
    allowed = set(
        selectors.manager_candidates().filter(pk__in=[m.pk for m in managers]).values_list("pk", flat=True)
    )
    refused = [m for m in managers if m.pk not in allowed]
    if refused:
        names = ", ".join(sorted(m.name for m in refused))
        raise ValidationError(
            {"managers": f"Only active managers and coordinators can manage a team; {names} cannot."}
        )
    return managers


@transaction.atomic
def team_create(*, by: User, name: str, managers: Iterable[User] = ()) -> Team:
    """Create a team; its name is unique whatever the case, its managers are managers or coordinators."""
    if not permissions.can_manage_teams(by):
        raise PermissionDenied("Only a coordinator can manage teams.")
    team = Team(name=_team_name_clean(name=name))
    managers = _team_managers_clean(managers)
    team.full_clean()
    team.save()
    team.managers.set(managers)
    audit_record(actor=by, action="team.created", obj=team, detail={"managers": _emails(managers)})
    return team


@transaction.atomic
def team_update(*, by: User, team: Team, name: str, managers: Iterable[User]) -> Team:
    """Rename a team and choose its managers (replacing the previous ones)."""
    if not permissions.can_manage_teams(by):
        raise PermissionDenied("Only a coordinator can manage teams.")
    # A bound model form has already put the new name on `team`: read what is stored.
    old_name = Team.objects.values_list("name", flat=True).get(pk=team.pk)
    old_managers = set(team.managers.values_list("email", flat=True))
    team.name = _team_name_clean(name=name, team=team)
    managers = _team_managers_clean(managers)
    team.full_clean()
    team.save(update_fields=["name"])
    team.managers.set(managers)
    _team_update_record(by=by, team=team, old_name=old_name, old_managers=old_managers, managers=managers)
    return team


def _emails(people: Iterable[User]) -> list[str]:
    return sorted(person.email for person in people)


def _team_update_record(
    *, by: User, team: Team, old_name: str, old_managers: set[str], managers: list[User]
) -> None:
    new_managers = set(_emails(managers))
    detail = {}
    if old_name != team.name:
        detail.update({"renamed_from": old_name, "renamed_to": team.name})
    if new_managers != old_managers:
        detail["managers_added"] = sorted(new_managers - old_managers)
        detail["managers_removed"] = sorted(old_managers - new_managers)
    if detail:
        audit_record(actor=by, action="team.updated", obj=team, detail=detail)


@transaction.atomic
def team_delete(*, by: User, team: Team) -> None:
    """Delete a team; its members keep their accounts, without a team."""
    if not permissions.can_manage_teams(by):
        raise PermissionDenied("Only a coordinator can manage teams.")
    audit_record(actor=by, action="team.deleted", obj=team, detail={"members": team.members.count()})
    team.delete()


@transaction.atomic
def person_update(
    *,
    by: User,
    person: User,
    first_name: str,
    last_name: str,
    display_name: str,
    team: Team | None,
    role: str,
    time_zone: str,
    is_active: bool,
) -> User:
    """Change a person's name, team, role, time zone and whether they may sign in."""
    if not permissions.can_edit_person(by, person):
        raise PermissionDenied("Only a coordinator can edit people.")
    if not permissions.can_demote_or_deactivate(by, person):
        if role != Role.COORDINATOR:
            raise ValidationError(
                {"role": "You cannot remove your own coordinator role; ask another coordinator."}
            )
        if not is_active:
            raise ValidationError({"is_active": "You cannot deactivate yourself; ask another coordinator."})
    # A bound model form has already put the new values on `person`: compare with what is stored.
    stored = User.objects.select_related("team").prefetch_related("groups").get(pk=person.pk)
    person.first_name = first_name
    person.last_name = last_name
    person.display_name = display_name
    person.team = team
    person.time_zone = time_zone
    person.is_active = is_active
    person.full_clean(exclude=["password"])
    person.save()
    user_set_role(user=person, role=role)
    _person_changes_record(by=by, stored=stored, person=person, role=role)
    if not is_active:
        # An open invitation would otherwise let a deactivated person join (and be reactivated).
        now = timezone.now()
        Invitation.objects.filter(user=person, accepted_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
    return person


def _person_changes_record(*, by: User, stored: User, person: User, role: str) -> None:
    """One entry for each accountable change: role, team, and whether the person may sign in."""
    if stored.role != role:
        audit_record(
            actor=by, action="person.role_changed", obj=person, detail={"from": stored.role, "to": role}
        )
    if stored.team_id != person.team_id:
        detail = {
            "from": stored.team.name if stored.team else "",
            "to": person.team.name if person.team else "",
        }
        audit_record(actor=by, action="person.team_changed", obj=person, detail=detail)
    if stored.is_active != person.is_active:
        action = "person.reactivated" if person.is_active else "person.deactivated"
        audit_record(actor=by, action=action, obj=person)


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


def invitations_queue(invitation_ids: list[int]) -> None:
    """Email each invitation through the outbox; sent after the surrounding transaction commits."""
    from outbox.services import deliveries_create_each

    invitations = Invitation.objects.filter(pk__in=invitation_ids).select_related("user").order_by("pk")
    items = [(invitation.user, invitation) for invitation in invitations]
    deliveries_create_each(kind="invitation", items=items)


@transaction.atomic
def person_invite(
    *,
    by: User,
    email: str,
    first_name: str = "",
    last_name: str = "",
    team: Team | None = None,
    role: str = Role.AGENT,
    time_zone: str = "",
) -> Invitation:
    """Create the person (without a password) and email them a link to join."""
    _require_coordinator(by)
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"{email} already has an account; use “Resend invitation” instead."})
    person = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        team=team,
        time_zone=time_zone or settings.TIME_ZONE,
    )
    person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    user_set_role(user=person, role=role)
    invitation = Invitation.objects.create(user=person, invited_by=by, expires_at=_invitation_expiry())
    invitations_queue([invitation.pk])
    detail = {"role": role, "team": team.name if team else ""}
    audit_record(actor=by, action="invitation.sent", obj=person, detail=detail)
    return invitation


@transaction.atomic
def invitation_resend(*, by: User, person: User) -> Invitation:
    """A fresh link for someone who has not joined yet; older links stop working."""
    _require_coordinator(by)
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.has_usable_password():
        raise ValidationError(f"{person.email} has already joined.")
    if not person.is_active:
        raise ValidationError(f"{person.email} is deactivated; reactivate them before sending an invitation.")
    now = timezone.now()
    Invitation.objects.filter(user=person, accepted_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    invitation = Invitation.objects.create(user=person, invited_by=by, expires_at=_invitation_expiry())
    invitations_queue([invitation.pk])
    audit_record(actor=by, action="invitation.resent", obj=person)
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("user").filter(token=token).first()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Set the invited person's password; the link proves they own the address."""
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been used. Sign in with your email and password.")
    if invitation.is_expired:
        raise ValidationError("This invitation has expired. Ask your coordinator to send a new one.")
    user = invitation.user
    if user.has_usable_password() or user.last_login is not None:
        # An invitation only sets up an account nobody has used: it must never reset a password.
        raise ValidationError("This account is already set up. Sign in with your email and password.")
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    audit_record(actor=user, action="invitation.accepted", obj=user)
    return user


@transaction.atomic
def profile_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    display_name: str,
    time_zone: str,
    email_choices: dict[str, bool] | None = None,
    photo: bytes | None = None,
    remove_photo: bool = False,
) -> User:
    """Save what a person says about themselves and, in `email_choices` (preference key → wanted),
    which emails they want; `photo` is an uploaded picture (checked and re-encoded here),
    `remove_photo` goes back to initials."""
    user.first_name = first_name
    user.last_name = last_name
    user.display_name = display_name
    user.time_zone = time_zone
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        if photo is not None:
            _photo_replace(user=user, photo=photo)
        elif remove_photo:
            media_delete_on_commit(user.photo)
            user.photo = ""
        user.save()
        if email_choices:
            email_preferences_set(user=user, choices=email_choices)
    return user


def _photo_replace(*, user: User, photo: bytes) -> None:
    try:
        encoded = avatar_encode(photo)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    old = user.photo
    user.photo = media_store(folder="avatars", data=encoded, extension=OUTPUT_EXTENSION)
    # The old file goes once the new name is committed (a rollback leaves an unused file behind,
    # never a row naming a missing one).
    media_delete_on_commit(old)


def profile_photo_set(*, user: User, photo: bytes) -> User:
    """Replace a person's profile photo with `photo` (any JPEG, PNG or WebP up to 5 MB)."""
    with transaction.atomic():
        _photo_replace(user=user, photo=photo)
        user.save(update_fields=["photo"])
    return user
