"""The registry of email preferences: what a person may switch off, declared beside the kinds.

An app declares its preferences in ``<app>/deliveries.py``, next to the kinds they govern::

    register_preference(Preference(key="email_reminders", label="activity reminders", help_text="..."))

A person's choice is stored only when it differs from the default: an ``EmailOptOut`` row.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Preference:
    key: str
    # The short name an email's footer and the unsubscribe page use ("activity reminders").
    label: str
    # The profile's checkbox label.
    help_text: str
    # Everyone receives these emails until they switch them off (an opt-out row says they did).
    default: bool = True


_PREFERENCES: dict[str, Preference] = {}


def register_preference(preference: Preference) -> Preference:
    if not preference.default:
        raise ValueError(
            f"Preference {preference.key!r}: only preferences on by default can be stored as opt-outs."
        )
    if preference.key in _PREFERENCES and _PREFERENCES[preference.key] != preference:
        raise ValueError(f"Email preference {preference.key!r} is registered twice.")
    _PREFERENCES[preference.key] = preference
    return preference


def get_preference(key: str) -> Preference:
    try:
        return _PREFERENCES[key]
    except KeyError:
        raise LookupError(f"No email preference {key!r}; declare it in an app's deliveries.py.") from None


def all_preferences() -> list[Preference]:
    """In the order the apps declared them (the profile's order)."""
    return list(_PREFERENCES.values())
