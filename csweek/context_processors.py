"""Navigation for base.html: each role sees only what it may use."""

from csweek.navigation import registry


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
