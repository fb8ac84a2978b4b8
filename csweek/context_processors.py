"""Navigation for base.html: each role sees only what it may use."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from csweek.navigation import registry
from surveys.selectors import open_surveys_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(entry.label, entry.url, entry.group) for entry in registry.for_user(user)]
    # The longest matching prefix is the current page: /people/import/ is "Import staff", not "People".
    path = request.path
    matches = [url for _, url, _ in items if path == url or (url != "/" and path.startswith(url))]
    current = max(matches, key=len, default=None)
    return {
        "nav_items": [
            {"label": label, "url": url, "group": group, "current": url == current}
            for label, url, group in items
        ]
    }


def open_surveys(request):
    """The surveys open now for the person and not answered yet, for the link on the dashboard and
    the schedule (`_open_surveys.html`). Lazy: only a page that shows the link runs the query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"open_surveys": []}
    return {"open_surveys": SimpleLazyObject(lambda: open_surveys_for(user, now=timezone.now()))}
