"""For base.html: the navigation (each role sees only what it may use, gathered by group) and the
organisation's identity."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from csweek.navigation import registry
from outbox.selectors import organisation_identity
from surveys.selectors import open_surveys_for

# The account menu (right of the header) holds these groups' entries and sign-out.
ACCOUNT_GROUPS = {"Account"}


def _groups(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """The menu's groups in the order of their first entry, and the account menu's entries."""
    groups: dict[str, dict] = {}
    account: list[dict] = []
    for item in items:
        if item["group"] in ACCOUNT_GROUPS:
            account.append(item)
            continue
        group = groups.setdefault(item["group"], {"name": item["group"], "items": [], "current": False})
        group["items"].append(item)
        group["current"] = group["current"] or item["current"]
    return list(groups.values()), account


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": [], "nav_account": []}
    entries = registry.for_user(user)
    items = [(entry.label, entry.url, entry.group) for entry in entries]
    path = request.path
    # An entry that owns the path is the current page; otherwise the longest matching prefix is:
    # /people/import/ is "Import staff", not "People".
    owner = next((entry.url for entry in entries if entry.owns_path(path)), None)
    matches = [url for _, url, _ in items if path == url or (url != "/" and path.startswith(url))]
    current = owner or max(matches, key=len, default=None)
    nav_items = [
        {"label": label, "url": url, "group": group, "current": url == current} for label, url, group in items
    ]
    nav_groups, nav_account = _groups(nav_items)
    return {"nav_items": nav_items, "nav_groups": nav_groups, "nav_account": nav_account}


def organisation(request):
    """The organisation's name, colour and logo for the header, footer and printouts (cached)."""
    return {"organisation": organisation_identity()}


def open_surveys(request):
    """The surveys open now for the person and not answered yet, for the link on the dashboard and
    the schedule (`_open_surveys.html`). Lazy: only a page that shows the link runs the query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"open_surveys": []}
    return {"open_surveys": SimpleLazyObject(lambda: open_surveys_for(user, now=timezone.now()))}
