"""Guards every request and response shares: body size, NUL bytes, Permissions-Policy, private caching."""

import os
from itertools import chain

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import render

from csweek.core import clock

MEGABYTE = 1024 * 1024
NUL = "\x00"


def _body_size(request) -> int:
    """The larger of the declared Content-Length and what is already buffered (ASGI)."""
    try:
        declared = max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        declared = 0  # Django reads no body then either
    # Under WSGI Django never reads past Content-Length. Under ASGI the server has already buffered
    # the whole body into a seekable file, and a chunked request may have understated its length.
    stream = getattr(request, "_stream", None)
    if stream is not None and getattr(stream, "seekable", lambda: False)():
        position = stream.tell()
        buffered = stream.seek(0, os.SEEK_END)
        stream.seek(position)
        return max(declared, buffered)
    return declared


class RequestBodyLimitMiddleware:
    """Refuses a body over MAX_UPLOAD_MB with a 413 before any view reads it. Under gunicorn (WSGI)
    nothing past the headers is read; under ASGI the server has already spooled the body, so cap it
    at the proxy too (nginx's client_max_body_size)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit_mb = settings.MAX_UPLOAD_MB
        if _body_size(request) > limit_mb * MEGABYTE:
            return render(request, "413.html", {"limit_mb": limit_mb}, status=413)
        return self.get_response(request)


def _request_strings(request):
    """Every string of the request that may reach a query: path, query, form fields, our cookies."""
    yield request.path_info
    yield from chain.from_iterable((key, *values) for key, values in request.GET.lists())
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        yield request.COOKIES.get(name, "")
    if request.method == "POST":
        # Uploaded files are not looked at: their contents may hold any byte, and Django already
        # drops non-printable characters from their names.
        yield from chain.from_iterable((key, *values) for key, values in request.POST.lists())


class RejectNulBytesMiddleware:
    """A NUL byte in the request is a 400: PostgreSQL refuses it in text, which would be a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(NUL in text for text in _request_strings(request)):
            raise BadRequest("The request contains a NUL character.")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Switches off browser features csweek never uses (PERMISSIONS_POLICY), on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivateCacheControlMiddleware:
    """A signed-in person's pages are never stored by a browser or proxy, unless the view decided."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response and request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response


class HourCycleMiddleware:
    """Times of day in 12- or 24-hour form as the viewer's browser language prefers (en-US: 2:30 pm)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = clock.activate(clock.prefers_twelve_hour(request.headers.get("Accept-Language", "")))
        try:
            return self.get_response(request)
        finally:
            clock.deactivate(token)
