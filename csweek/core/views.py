"""Small pieces every app's views share: role checks and service errors onto forms."""

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError


def form_add_service_errors(form, error: ValidationError, mapping: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one
    (`mapping` renames service fields to form fields), else at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = (mapping or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def allowed_only(check: Callable[..., bool], message: str):
    """A view decorator: signed-in people for whom `check(user)` holds; anyone else signed in gets a
    403 with `message`, and anonymous visitors go to the login page."""

    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
