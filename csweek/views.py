"""Site-wide views: the dashboard, the health check and the error pages."""

import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connections
from django.http import HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from csweek.core import versions
from csweek.core.pagecache import cached_page
from insights import selectors as insights_selectors

BROKER_TIMEOUT_SECONDS = 2
logger = logging.getLogger(__name__)
# A small pool so that a hung broker ties up at most these threads, never the request.
_health_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def _outbox_for_coordinators(request) -> tuple[str, ...]:
    """The coordinator's panel counts emails pending and failed; the others show no email."""
    return (versions.DELIVERIES,) if request.user.is_coordinator else ()


@login_required
@cached_page(versions.WEEK_DATA, versions.SIGNUPS, versions.PAGE_DATA, more=_outbox_for_coordinators)
def dashboard(request):
    """Each role's view of the week: the agent's, the manager's and the coordinator's panels."""
    return render(request, "dashboard.html", insights_selectors.dashboard_for(request.user))


def _database_ok() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _broker_connect() -> bool:
    options = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
        "socket_timeout": BROKER_TIMEOUT_SECONDS,
        "max_retries": 0,
    }
    with Connection(
        settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=options
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
        conn.default_channel  # noqa: B018 -- opening a channel proves the broker answers
    return True


def _broker_ok() -> bool:
    """Ask the broker, but never wait longer than the timeout, whatever the transport does."""
    future = _health_pool.submit(_broker_connect)
    try:
        return future.result(timeout=BROKER_TIMEOUT_SECONDS + 1)
    except Exception:  # any failure, or no answer in time, means "down"
        logger.warning("health check: broker unreachable", exc_info=True)
        return False


@never_cache
def healthz(request):
    """Liveness for load balancers: database and broker, each "ok" or "down"; no login, no secrets."""
    checks = {
        "database": "ok" if _database_ok() else "down",
        "broker": "ok" if _broker_ok() else "down",
    }
    status = 200 if all(value == "ok" for value in checks.values()) else 503
    return JsonResponse(checks, status=status)


def error_400(request, exception):
    if isinstance(exception, RequestDataTooBig):
        # Form fields past DATA_UPLOAD_MAX_MEMORY_SIZE: too large, like a body past MAX_UPLOAD_MB.
        limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        return render(request, "413.html", {"limit_mb": limit_mb}, status=413)
    return render(request, "400.html", status=400)


def error_404(request, exception):
    return render(request, "404.html", status=404)


def error_403(request, exception):
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def error_500(request):
    # No request context: the page must render even when the database is what failed.
    return HttpResponseServerError(loader.get_template("500.html").render({}))
