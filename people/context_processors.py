"""Navigation for base.html: each role sees only what it may use."""

from django.urls import reverse

from audit.navigation import audit_nav_items
from people import permissions
from recognition.navigation import recognition_nav_items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("Dashboard", reverse("dashboard")), ("Schedule", reverse("events:schedule"))]
    if user.is_active and user.is_coordinator:
        items.append(("Weeks", reverse("events:week_list")))
    if permissions.can_view_people(user):
        items.append(("People", reverse("people:person_list")))
    if permissions.can_manage_teams(user):
        items.append(("Teams", reverse("people:team_list")))
    if permissions.can_import_staff(user):
        items.append(("Import staff", reverse("people:staff_import")))
    items += recognition_nav_items(user)
    if permissions.can_manage_people(user):
        items.append(("Deliveries", reverse("outbox:delivery_list")))
    items += audit_nav_items(user)
    items.append(("Profile", reverse("people:profile")))
    if user.is_active and user.is_staff:
        items.append(("Admin", reverse("admin:index")))
    # The longest matching prefix is the current page: /people/import/ is "Import staff", not "People".
    path = request.path
    matches = [url for _, url in items if path == url or (url != "/" and path.startswith(url))]
    current = max(matches, key=len, default=None)
    return {"nav_items": [{"label": label, "url": url, "current": url == current} for label, url in items]}
