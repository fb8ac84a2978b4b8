"""Staff CSV import: parse and check a file into a plan (no writes), then apply the plan atomically.

Columns: email, first_name, last_name, team, role, manager_email, time_zone. A blank optional cell
leaves the current value of an existing person unchanged; new people get no team, the Agent role
and the default time zone. `manager_email` makes that person a manager of the row's team.
Every database step reads or writes all rows at once, so the query count does not grow with the file.
"""

import csv
import io
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from audit.services import audit_record
from csweek.core import versions
from csweek.core.validators import NOT_ONE_LINE
from people import permissions
from people.models import Invitation, Role, Team, User, available_time_zones
from people.services import _invitation_expiry, invitations_queue, roles_ensure

logger = logging.getLogger(__name__)

COLUMNS = ("email", "first_name", "last_name", "team", "role", "manager_email", "time_zone")
ROLE_BY_NAME = {role.lower(): role for role in Role.values}
MANAGING_ROLES = {Role.MANAGER, Role.COORDINATOR}
NAME_MAX = 150
TEAM_MAX = 100
# Lookups by email go in chunks far below SQLite's 32,766 host parameters: a handful of queries
# even for the largest file the upload form accepts.
LOOKUP_CHUNK = 2000
BATCH = 500
FIRST_LINE = re.compile(r"[^\r\n]*")
T = TypeVar("T")


@dataclass
class RowError:
    line: int
    email: str
    reason: str


@dataclass
class PlannedRow:
    line: int
    email: str
    first_name: str
    last_name: str
    team: str
    role: str
    manager_email: str
    time_zone: str
    action: str = "create"  # create / update / unchanged
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)
    file_error: str = ""
    # The people already in csweek whom the file names, by lower-cased email, for _apply to reuse.
    users: dict[str, User] = field(default_factory=dict, repr=False)

    @property
    def is_valid(self) -> bool:
        return not self.file_error and not self.errors and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def to_create(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == "create"]

    @property
    def to_update(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == "update"]

    @property
    def unchanged_count(self) -> int:
        return self.count("unchanged")

    @property
    def has_changes(self) -> bool:
        return any(row.action != "unchanged" for row in self.rows)


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int
    teams_created: int

    @property
    def summary(self) -> str:
        def n(count: int, one: str, many: str) -> str:
            return f"{count} {one if count == 1 else many}"

        text = (
            f"Import done: {n(self.created, 'person', 'people')} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {n(self.teams_created, 'new team', 'new teams')}."
        )
        if self.created:
            text += " Invitations are on their way." if self.created > 1 else " The invitation is on its way."
        return text


def _chunked(items: Iterable[T], size: int = LOOKUP_CHUNK) -> Iterator[list[T]]:
    items = sorted(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _read_records(content: str):
    """Yield (line_number, cells) from the text of a CSV file; line numbers match a spreadsheet's."""
    content = content.lstrip("\ufeff")
    first_line = FIRST_LINE.match(content).group()
    # Spreadsheets in many European locales export CSV with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    for cells in reader:
        yield reader.line_num, cells


def staff_import_parse(content: str, *, by: User | None = None) -> ImportPlan:
    """Check every row against the file and the database; nothing is written."""
    return _parse(content, by=by, lock=False)


def _parse(content: str, *, by: User | None, lock: bool) -> ImportPlan:
    plan = ImportPlan()
    records = _read_records(content)
    try:
        _, header = next(records)
    except StopIteration:
        plan.file_error = "The file is empty."
        return plan
    except csv.Error as error:
        plan.file_error = f"The file could not be read as CSV: {error}."
        return plan
    header = [cell.strip().lower() for cell in header]
    missing = [col for col in COLUMNS if col not in header]
    if missing:
        plan.file_error = (
            f"The first line must name the columns {', '.join(COLUMNS)}; missing: {', '.join(missing)}."
        )
        return plan
    index = {col: header.index(col) for col in COLUMNS}

    raw_rows: list[PlannedRow] = []
    seen: dict[str, int] = {}
    refused: dict[str, int] = {}  # valid addresses on rows with a problem, for clearer manager errors
    zones = {zone.lower(): zone for zone in available_time_zones()}
    own_email = by.email.lower() if by is not None and by.role == Role.COORDINATOR else ""
    try:
        for line, cells in records:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are common at the end of exports
            if len(cells) < len(header):
                cells = cells + [""] * (len(header) - len(cells))
            values = {col: cells[i].strip() for col, i in index.items()}
            email = values["email"].lower()
            error = _row_error(line, values, email, seen, zones, extra=cells[len(header) :])
            demoted = values["role"] and values["role"].lower() != Role.COORDINATOR.lower()
            if not error and email == own_email and demoted:
                error = "You cannot remove your own coordinator role; ask another coordinator."
            if error:
                plan.errors.append(RowError(line=line, email=values["email"], reason=error))
                if seen.get(email) == line:
                    refused[email] = line
                continue
            raw_rows.append(
                PlannedRow(
                    line=line,
                    email=email,
                    first_name=values["first_name"],
                    last_name=values["last_name"],
                    team=values["team"],
                    role=ROLE_BY_NAME[values["role"].lower()] if values["role"] else "",
                    manager_email=values["manager_email"].lower(),
                    time_zone=zones[values["time_zone"].lower()] if values["time_zone"] else "",
                )
            )
    except csv.Error as error:
        plan.file_error = f"The file could not be read as CSV: {error}."
        return plan

    _resolve_against_database(plan, raw_rows, refused, lock=lock)
    if not plan.rows and not plan.errors and not plan.file_error:
        plan.file_error = "The file has a header line but no people."
    return plan


def _row_error(
    line: int,
    values: dict[str, str],
    email: str,
    seen: dict[str, int],
    zones: dict[str, str],
    extra: list[str],
) -> str:
    """The first problem with one row, or ""; records the row's address in `seen` once it is valid."""
    if any(cell.strip() for cell in extra):
        return (
            f"The line has {len(extra)} more cell(s) than the header: "
            "put a value that contains a comma or semicolon in double quotes."
        )
    if not email:
        return "Missing email address."
    try:
        validate_email(email)
    except ValidationError:
        return f"“{values['email']}” is not a valid email address."
    if email in seen:
        return f"Duplicate row: {email} is already on line {seen[email]}."
    seen[email] = line  # also for a row refused below, so its duplicates are reported now
    if values["role"] and values["role"].lower() not in ROLE_BY_NAME:
        return f"Unknown role “{values['role']}”: use Coordinator, Manager or Agent."
    if values["time_zone"] and values["time_zone"].lower() not in zones:
        return f"Unknown time zone “{values['time_zone']}”: use an IANA name such as Europe/London."
    for col, limit in (("first_name", NAME_MAX), ("last_name", NAME_MAX), ("team", TEAM_MAX)):
        if len(values[col]) > limit:
            return f"{col.replace('_', ' ').capitalize()} is longer than {limit} characters."
        if NOT_ONE_LINE.search(values[col]):
            label = col.replace("_", " ").capitalize()
            return f"{label} has a line break or control character: keep it on one line."
    manager = values["manager_email"].lower()
    if manager:
        try:
            validate_email(manager)
        except ValidationError:
            return f"Manager “{values['manager_email']}” is not a valid email address."
        if manager == email:
            return "A person cannot be their own manager."
    return ""


def _users_by_email(emails: Iterable[str], *, lock: bool) -> dict[str, User]:
    """Existing people by lower-cased email (addresses are unique ignoring case), with team and roles."""
    users: dict[str, User] = {}
    for chunk in _chunked(emails):
        queryset = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk)
        if lock:
            queryset = queryset.select_for_update(of=("self",))
        users.update((user.email_lower, user) for user in queryset.select_related("team"))
    # Role names straight from the membership table: a prefetch builds a manager per user, which
    # costs more than the rest of the check on a large file.
    roles: dict[int, set[str]] = {user.pk: set() for user in users.values()}
    for chunk in _chunked(roles):
        memberships = User.groups.through.objects.filter(user_id__in=chunk, group__name__in=Role.values)
        for user_id, role in memberships.values_list("user_id", "group__name"):
            roles[user_id].add(role)
    for user in users.values():
        user.__dict__["roles"] = frozenset(roles[user.pk])  # fills the User.roles cached_property
    return users


def _resolve_against_database(
    plan: ImportPlan, raw_rows: list[PlannedRow], refused: dict[str, int], *, lock: bool
) -> None:
    """Work out create/update/unchanged per row and check managers, in a fixed number of queries."""
    emails = {row.email for row in raw_rows} | {row.manager_email for row in raw_rows if row.manager_email}
    existing = plan.users = _users_by_email(emails, lock=lock)
    teams = {team.name.lower(): team for team in Team.objects.prefetch_related("managers")}
    managers_of = {team.pk: {user.email.lower() for user in team.managers.all()} for team in teams.values()}
    file_roles = {row.email: row.role for row in raw_rows}
    new_teams: dict[str, str] = {}

    for row in raw_rows:
        user = existing.get(row.email)
        team_name = row.team or (user.team.name if user and user.team else "")
        if row.manager_email:
            manager_role = _effective_role(row.manager_email, file_roles, existing)
            reason = ""
            if manager_role is None and row.manager_email in refused:
                reason = (
                    f"Manager {row.manager_email} is on line {refused[row.manager_email]}, "
                    "which has a problem: fix that line first."
                )
            elif manager_role is None:
                reason = f"Manager not found: {row.manager_email} is neither in the file nor in csweek."
            elif manager_role not in MANAGING_ROLES:
                reason = (
                    f"{row.manager_email} cannot manage a team: their role is {manager_role}. "
                    "Give them the Manager role in the file."
                )
            elif not team_name:
                reason = "A manager is given but no team to manage: fill in the team."
            if reason:
                plan.errors.append(RowError(row.line, row.email, reason))
                continue
        team = teams.get(team_name.lower()) if team_name else None
        if team_name and team is None:
            new_teams.setdefault(team_name.lower(), team_name)
        if user is None:
            row.action = "create"
            row.changes = _description(row, team, team_name, managers_of)
        else:
            row.changes = _changes(user, row, team, team_name, managers_of)
            row.action = "update" if row.changes else "unchanged"
            if row.changes and user.is_superuser:
                reason = f"{row.email} is a site administrator: change them in the admin, not by import."
                plan.errors.append(RowError(row.line, row.email, reason))
                continue
        plan.rows.append(row)

    plan.new_teams = sorted(new_teams.values(), key=str.lower)
    plan.errors.sort(key=lambda error: error.line)


def _effective_role(email: str, file_roles: dict[str, str], existing: dict[str, User]) -> str | None:
    """The role `email` will have after the import, or None when nobody has that address."""
    if file_roles.get(email):
        return file_roles[email]
    if email in existing:
        return existing[email].role or Role.AGENT
    if email in file_roles:
        return Role.AGENT
    return None


def _manager_change(row: PlannedRow, team: Team | None, team_name: str, managers_of) -> list[str]:
    if row.manager_email and (team is None or row.manager_email not in managers_of[team.pk]):
        return [f"{row.manager_email} becomes a manager of {team_name}"]
    return []


def _description(row: PlannedRow, team: Team | None, team_name: str, managers_of) -> list[str]:
    name = f"{row.first_name} {row.last_name}".strip()
    parts = [name] if name else []
    if team_name:
        parts.append(f"team {team_name}")
    parts.append(f"role {row.role or Role.AGENT}")
    parts.append(f"time zone {row.time_zone or settings.TIME_ZONE}")
    return parts + _manager_change(row, team, team_name, managers_of)


def _changes(user: User, row: PlannedRow, team: Team | None, team_name: str, managers_of) -> list[str]:
    changes = []
    if row.first_name and row.first_name != user.first_name:
        changes.append(f"first name “{user.first_name}” → “{row.first_name}”")
    if row.last_name and row.last_name != user.last_name:
        changes.append(f"last name “{user.last_name}” → “{row.last_name}”")
    if row.team and (user.team is None or user.team.name.lower() != row.team.lower()):
        before = user.team.name if user.team else "none"
        changes.append(f"team “{before}” → “{team.name if team else row.team}”")
    if row.role and row.role != user.role:
        changes.append(f"role {user.role or 'none'} → {row.role}")
    if row.time_zone and row.time_zone != user.time_zone:
        changes.append(f"time zone {user.time_zone} → {row.time_zone}")
    return changes + _manager_change(row, team, team_name, managers_of)


def staff_import_apply(*, by: User, content: str) -> ImportResult:
    """Re-check the file and write it in one transaction; invitations go out after commit."""
    if not permissions.can_manage_people(by):
        raise PermissionDenied("Only a coordinator can import staff.")
    try:
        with transaction.atomic():
            plan = _parse(content, by=by, lock=True)
            if not plan.is_valid:
                problems = plan.file_error or (
                    f"{len(plan.errors)} row(s) have problems; fix them and upload the file again."
                )
                raise ValidationError(f"Nothing was imported. {problems}")
            return _apply(by=by, plan=plan)
    except IntegrityError as error:
        # Someone changed the same people between our checks and our writes (the file was checked
        # inside this transaction, so it is a race, not a bad row); everything was rolled back.
        logger.warning("staff import rolled back", exc_info=error)
        raise ValidationError(
            "Nothing was imported: some of these people or teams changed while the import ran. "
            "Upload the file again to see the new preview."
        ) from error


def _apply(*, by: User, plan: ImportPlan) -> ImportResult:
    if not plan.has_changes:
        return ImportResult(created=0, updated=0, unchanged=len(plan.rows), teams_created=0)
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    if len(groups) < len(Role.values):
        roles_ensure()
        groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    Team.objects.bulk_create([Team(name=name) for name in plan.new_teams])
    teams = {team.name.lower(): team for team in Team.objects.all()}

    changing = [row for row in plan.rows if row.action != "unchanged"]
    existing = plan.users
    unusable = make_password(None)  # "!" + random: nobody can sign in before accepting the invite
    to_create: list[User] = []
    to_update: list[User] = []
    for row in changing:
        team = teams[row.team.lower()] if row.team else None
        user = existing.get(row.email)
        if user is None:
            to_create.append(
                User(
                    email=row.email,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    team=team,
                    time_zone=row.time_zone or settings.TIME_ZONE,
                    password=unusable,
                )
            )
        else:
            user.first_name = row.first_name or user.first_name
            user.last_name = row.last_name or user.last_name
            user.team = team or user.team
            user.time_zone = row.time_zone or user.time_zone
            to_update.append(user)
    created = User.objects.bulk_create(to_create, batch_size=BATCH)
    User.objects.bulk_update(to_update, ["first_name", "last_name", "team", "time_zone"], batch_size=BATCH)
    users = {**existing, **{user.email: user for user in created}}

    # Roles: every created person gets one; an existing person's role changes only when given.
    membership = User.groups.through
    role_rows = [
        row
        for row in changing
        if row.action == "create" or (row.role and row.role != existing[row.email].role)
    ]
    for chunk in _chunked(row.email for row in role_rows if row.action == "update"):
        membership.objects.filter(
            user_id__in=[users[email].pk for email in chunk], group__name__in=Role.values
        ).delete()
    membership.objects.bulk_create(
        [
            membership(user_id=users[row.email].pk, group_id=groups[row.role or Role.AGENT].pk)
            for row in role_rows
        ],
        batch_size=BATCH,
    )

    team_managers = Team.managers.through
    pairs = {(users[row.email].team_id, users[row.manager_email].pk) for row in changing if row.manager_email}
    team_managers.objects.bulk_create(
        [team_managers(team_id=team_id, user_id=user_id) for team_id, user_id in sorted(pairs)],
        ignore_conflicts=True,
        batch_size=BATCH,
    )

    expires_at = _invitation_expiry()
    invitations = Invitation.objects.bulk_create(
        [Invitation(user=user, invited_by=by, expires_at=expires_at) for user in created],
        batch_size=BATCH,
    )
    invitations_queue([invitation.pk for invitation in invitations])
    # Teams' sizes, people, roles and invitations changed in bulk, which sends no signal: cached
    # figures and pages are stale.
    versions.bump(versions.WEEK_DATA, versions.PAGE_DATA)
    result = ImportResult(
        created=len(created),
        updated=len(to_update),
        unchanged=plan.count("unchanged"),
        teams_created=len(plan.new_teams),
    )
    # One entry for the whole file, not one per row.
    detail = {**vars(result), "roles_set": len(role_rows), "manager_assignments": len(pairs)}
    audit_record(actor=by, action="staff.imported", detail=detail)
    return result
