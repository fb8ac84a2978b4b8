"""The registry of email kinds: what each kind renders, from what, and which preference switches it off.

An app declares its kinds in ``<app>/deliveries.py`` (imported when Django starts)::

    register(Kind(name="invitation", label="Invitation", context=invitation_context))

The send task renders ``templates/emails/<kind>/{subject.txt,body.txt,body.html}`` with the
dict the context builder returns for a delivery; a builder returning ``None`` means the email no
longer makes sense (an invitation already accepted, a cancelled activity) and the delivery is
skipped.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from outbox.preferences import get_preference

if TYPE_CHECKING:
    from outbox.models import Delivery

# (filename, content, mimetype), as EmailMessage.attach takes them.
Attachment = tuple[str, bytes | str, str]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    context: Callable[["Delivery"], dict | None]
    # The key of the preference (outbox.preferences) that switches it off; None for transactional
    # mail (invitations, password resets).
    preference: str | None = None
    attachments: Callable[["Delivery", dict], list[Attachment]] | None = None
    # Runs in the transaction that marks the delivery sent (e.g. stamp Invitation.sent_at).
    after_send: Callable[["Delivery"], None] | None = None
    # Called once per chunk with the chunk's deliveries of this kind, before any is rendered: loads
    # in one query what each context would otherwise look up per email (and sets it on them).
    prepare: Callable[[list["Delivery"]], None] | None = None
    # The year of the week an email is about, from the object it is about (for /deliveries/).
    week_of: Callable[[Any], int | None] | None = None

    def week_year(self, about) -> int | None:
        return self.week_of(about) if self.week_of is not None and about is not None else None

    @property
    def preference_label(self) -> str:
        """What the person switches off: the profile's name for the preference (several kinds may
        share one, e.g. every recognition email), capitalised, or "" for transactional mail."""
        if not self.preference:
            return ""
        return get_preference(self.preference).label.capitalize()

    @property
    def template_dir(self) -> str:
        return f"emails/{self.name}"


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.preference:
        get_preference(kind.preference)  # declared (register_preference) before the kinds it governs
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise ValueError(f"Email kind {kind.name!r} is registered twice.")
    _KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No email kind {name!r}; declare it in an app's deliveries.py.") from None


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.label)


def preference_kinds() -> list[Kind]:
    """Kinds a person may switch off (and unsubscribe from)."""
    return [kind for kind in all_kinds() if kind.preference]
