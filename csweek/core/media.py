"""Uploaded files are kept under random names and handed out only by views that checked who asks:
this module stores them and builds the response for a view that said yes."""

import re
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect

# What a stored name looks like: a folder we chose, a random token, our extension. A requested name
# that does not match is a 404 before any storage is touched (no "../", no other folders).
STORED_NAME = re.compile(r"^[a-z]+/[A-Za-z0-9_-]{20,64}\.(?:jpg)$")
CACHE_SECONDS = 3600


def media_store(*, folder: str, data: bytes, extension: str) -> str:
    """Save `data` under `folder/<random>.<extension>`; return the stored name."""
    name = f"{folder}/{secrets.token_urlsafe(24)}.{extension}"
    return default_storage.save(name, ContentFile(data))


def media_delete_on_commit(name: str) -> None:
    """Delete a stored file once the transaction that stopped using it has committed."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def is_stored_name(name: str) -> bool:
    return bool(STORED_NAME.match(name or ""))


def media_response(name: str, *, content_type: str = "image/jpeg") -> HttpResponse:
    """The file for a viewer already allowed to see it.

    Local files: sent by Django (FileResponse) or, with MEDIA_ACCEL_REDIRECT_PREFIX, by nginx
    (X-Accel-Redirect). S3-compatible storage: a redirect to a signed URL that soon expires.
    """
    if not is_stored_name(name):
        raise Http404("No such file.")
    if settings.MEDIA_STORAGE == "s3":
        response: HttpResponse = HttpResponseRedirect(default_storage.url(name))
    elif settings.MEDIA_ACCEL_REDIRECT_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT_PREFIX.rstrip("/") + "/" + name
    else:
        try:
            handle = default_storage.open(name, "rb")
        except FileNotFoundError as error:
            raise Http404("No such file.") from error
        response = FileResponse(handle, content_type=content_type)
    # Private: a shared cache must never hand a signed-in person's file to someone else. A redirect
    # to a signed URL is kept for less than the URL lives, or the browser would follow a stale one.
    max_age = CACHE_SECONDS
    if settings.MEDIA_STORAGE == "s3":
        max_age = max(0, min(CACHE_SECONDS, settings.MEDIA_SIGNED_URL_SECONDS // 2))
    response["Cache-Control"] = f"private, max-age={max_age}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
