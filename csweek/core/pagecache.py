"""Signed-in pages cached as rendered, per viewer, under data versions.

At 10,000 people most of a page's cost is building its queries and rendering its template, and
the same person reads the same page again and again between two changes of its data. A view
decorated with `cached_page(*names)` is rendered once for a viewer and served from the shared
cache until any of the data versions `names` moves (csweek.core.versions), the minute changes
(pages say "today", "open now", "in 3 days"), or the viewer's zone, language or clock differ.

What is never served from the cache:
- anything but a plain GET (htmx requests get partials and are rendered every time);
- a request with messages waiting (rendering them is what marks them as shown);
- a response that is not a 200 with ordinary headers, or that sets a cookie.

Forms on a cached page keep working: before storing, every CSRF token of the viewer's secret is
swapped for a random marker, and each hit puts the current request's token in its place, so a
page stored before a sign-in (which rotates the secret) posts with the new secret.
"""

import hashlib
import re
import secrets
import time
import zlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone, translation

from csweek.core import clock, versions

# An entry is of no use once the minute in its key has passed.
PAGE_SECONDS = 60
# Headers a cached response may carry (the middleware adds the others on each request).
STORABLE_HEADERS = frozenset({"content-type", "content-language", "vary"})
# Part of every key: a release storing entries in another shape changes it.
FORMAT = "v1"
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def _key(request: HttpRequest, view_name: str, names: tuple[str, ...]) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    viewer = (
        request.user.pk,
        timezone.get_current_timezone_name(),
        translation.get_language(),
        "12h" if clock.twelve_hour() else "24h",
        int(time.time() // 60),
    )
    return versions.versioned(f"page:{FORMAT}:{view_name}:{path}:" + ":".join(map(str, viewer)), names)


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE
        and request.method == "GET"
        and not getattr(request, "htmx", False)
        and request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and {name.lower() for name in response.headers} <= STORABLE_HEADERS
    )


def _tokens_masked(html: str, secret: str | None) -> tuple[str, str | None]:
    """`html` with the viewer's CSRF tokens replaced by a new random marker, and the marker
    (None when the page holds no token)."""
    if not secret:
        return html, None
    marker = "csrf-" + secrets.token_hex(16)
    masked = _TOKEN.sub(
        lambda match: marker if _unmask_cipher_token(match.group()) == secret else match.group(), html
    )
    return masked, (marker if marker in masked else None)


def cached_page(*names: str, more: Callable[[HttpRequest], tuple[str, ...]] | None = None) -> Callable:
    """Serve the decorated view's page from the cache, per viewer, while `names` stay unchanged
    (and the names `more(request)` adds for some viewers, such as the outbox for coordinators).

    Put it inside the view's permission decorators: they run on every request, cached or not."""

    def decorator(view: Callable) -> Callable:
        view_name = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            key = _key(request, view_name, names + (more(request) if more else ()))
            entry = cache.get(key)
            if entry is not None:
                packed, marker, headers = entry
                html = zlib.decompress(packed).decode()
                if marker:
                    html = html.replace(marker, get_token(request))
                response = HttpResponse(html)
                for name, value in headers:
                    response[name] = value
                return response
            response = view(request, *args, **kwargs)
            if _storable(response):
                html, marker = _tokens_masked(
                    response.content.decode(response.charset), request.META.get("CSRF_COOKIE")
                )
                # Compressed (2–8 KB from 9–95 KB): one entry per viewer and page adds up in Redis.
                packed = zlib.compress(html.encode(), 1)
                cache.set(key, (packed, marker, list(response.headers.items())), PAGE_SECONDS)
            return response

        return wrapper

    return decorator
