"""The data versions (csweek.core.versions), wired once for every app: WEEK_DATA, SIGNUPS,
REACTIONS and PAGE_DATA. The reports, the recap, the dashboards' figures, the calendar feeds and
the pages cached whole are stored under the versions of what they read, and every save or delete
of that data bumps them here. Bulk writes, which send no signal, bump them where the services make
them. (The outbox bumps its own version, DELIVERIES, in outbox.signals.)"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from csweek.core import versions
from events.models import Activity, DayTheme, Registration, TeamCoverage, ThemeTemplate, Week
from insights.models import WeekRecap
from outbox.models import ChatWebhook, Organisation
from people.models import Invitation, Team, User
from recognition.models import Announcement, AwardCategory, Nomination, Reaction
from surveys.models import Participation, Question, Response, Survey

WEEK_DATA_MODELS = (
    Week,
    DayTheme,
    Activity,
    TeamCoverage,  # the manager's coverage figures
    Team,
    User,
    AwardCategory,
    Nomination,
)
# The rest of what pages show (versions.PAGE_DATA), for the pages cached whole. Survey answers
# arrive with their Response; email opt-outs are the outbox's (versions.DELIVERIES). allauth's
# addresses and authenticators are left out: no cached page shows them, and a two-factor sign-in
# saves its authenticator's last use.
PAGE_DATA_MODELS = (
    ThemeTemplate,
    WeekRecap,
    ChatWebhook,
    Organisation,
    Invitation,
    Announcement,
    Survey,
    Question,
    Participation,
    Response,
)
# A sign-in only stamps last_login, which no figure reads: it must not empty every cached report.
IGNORED_FIELDS = {User: {"last_login"}}


def _saved(sender, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= IGNORED_FIELDS.get(sender, set()):
        return
    versions.bump(versions.WEEK_DATA)


def _deleted(sender, **kwargs):
    versions.bump(versions.WEEK_DATA)


def _signups_changed(sender, **kwargs):
    versions.bump(versions.SIGNUPS)


def _reactions_changed(sender, **kwargs):
    versions.bump(versions.REACTIONS)


def _page_data_changed(sender, **kwargs):
    versions.bump(versions.PAGE_DATA)


def _roles_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        versions.bump(versions.PAGE_DATA)


def _many_changed(sender, action, **kwargs):
    """Activities' audiences and teams' managers (many-to-many: their own signal)."""
    if action in {"post_add", "post_remove", "post_clear"}:
        versions.bump(versions.WEEK_DATA)


def connect() -> None:
    for model in WEEK_DATA_MODELS:
        post_save.connect(_saved, sender=model, dispatch_uid=f"week-data-version-save-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"week-data-version-delete-{model.__name__}")
    for signal in (post_save, post_delete):
        signal.connect(_signups_changed, sender=Registration, dispatch_uid="signups-version")
        signal.connect(_reactions_changed, sender=Reaction, dispatch_uid="reactions-version")
    for model in PAGE_DATA_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(
                _page_data_changed, sender=model, dispatch_uid=f"page-data-version-{model.__name__}"
            )
    # Roles are groups: what a person may see and do.
    m2m_changed.connect(_roles_changed, sender=User.groups.through, dispatch_uid="page-data-version-roles")
    m2m_changed.connect(
        _many_changed, sender=Activity.audience_teams.through, dispatch_uid="week-data-version-audience"
    )
    # Who manages which team decides what a manager's report and dashboard hold.
    m2m_changed.connect(
        _many_changed, sender=Team.managers.through, dispatch_uid="week-data-version-team-managers"
    )
