"""People of the organisation: users (with their profile), teams and invitations."""

import secrets
import zoneinfo
from functools import cached_property

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from csweek.core.validators import validate_one_line


class Role(models.TextChoices):
    """The three roles, stored as Django groups of the same name (made by ``roles_ensure`` on migrate)."""

    COORDINATOR = "Coordinator", "Coordinator"
    MANAGER = "Manager", "Manager"
    AGENT = "Agent", "Agent"


def validate_time_zone(value: str) -> None:
    if value not in available_time_zones():
        raise ValidationError(
            "“%(value)s” is not a known time zone. Use an IANA name such as Europe/London.",
            params={"value": value},
            code="invalid_time_zone",
        )


_TIME_ZONES: frozenset[str] | None = None


def available_time_zones() -> frozenset[str]:
    global _TIME_ZONES
    if _TIME_ZONES is None:
        _TIME_ZONES = frozenset(zoneinfo.available_timezones()) | {"UTC"}
    return _TIME_ZONES


def default_time_zone() -> str:
    return settings.TIME_ZONE


def new_token() -> str:
    return secrets.token_urlsafe(32)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in; the profile lives here to keep every page at one user query."""

    email = models.EmailField("email address", unique=True)
    first_name = models.CharField(max_length=150, blank=True, validators=[validate_one_line])
    last_name = models.CharField(max_length=150, blank=True, validators=[validate_one_line])
    display_name = models.CharField(
        max_length=150,
        blank=True,
        validators=[validate_one_line],
        help_text="How colleagues see you, e.g. on the recognition wall.",
    )
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    time_zone = models.CharField(max_length=64, default=default_time_zone, validators=[validate_time_zone])
    calendar_token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    # The stored name of the profile photo (csweek.core.media), re-encoded at upload; empty: initials.
    photo = models.CharField(max_length=120, blank=True, default="", editable=False)
    is_staff = models.BooleanField(default=False, help_text="May use the admin back office.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        permissions = [("import_staff", "Can import staff from a CSV file")]
        constraints = [models.UniqueConstraint(Lower("email"), name="people_user_email_ci_unique")]
        indexes = [
            models.Index(fields=["team", "is_active"]),
            # /people/ lists everyone in this order: a page of 50 reads 50 index entries, no sort.
            models.Index(fields=["first_name", "last_name", "email"], name="people_user_name_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.display_name or self.first_name or self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        """Names of the user's role groups, read once (and from a prefetch when there is one)."""
        return frozenset(group.name for group in self.groups.all())

    @property
    def role(self) -> str:
        for role in (Role.COORDINATOR, Role.MANAGER, Role.AGENT):
            if role in self.roles:
                return role
        return ""

    @property
    def is_coordinator(self) -> bool:
        return self.is_superuser or Role.COORDINATOR in self.roles

    @property
    def is_manager(self) -> bool:
        return Role.MANAGER in self.roles


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True, validators=[validate_one_line])
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="managed_teams")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="people_team_name_ci_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        message = team_name_clash(self.name or "", exclude_pk=self.pk)
        if message:
            raise ValidationError({"name": message})


def team_name_clash(name: str, *, exclude_pk: int | None = None) -> str | None:
    """Why `name` cannot be used (another team has it, whatever the case), or None when it can."""
    name = name.strip()
    clash = Team.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if name and clash.exists():
        return f"A team called “{name}” already exists; choose another name."
    return None


class Invitation(models.Model):
    """A link that lets an invited person set their password and sign in for the first time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["user", "accepted_at"])]

    def __str__(self) -> str:
        return f"Invitation for {self.user.email}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and not self.is_expired
