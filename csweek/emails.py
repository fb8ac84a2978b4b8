"""The project's one email module: render a template set into a text + HTML message and send it.

Every email is queued from a service with ``transaction.on_commit`` and sent by a Celery task;
this module only renders and sends, so a task can retry it safely.
"""

from collections.abc import Sequence
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

# Errors worth retrying: the mail server or the network, never a bug in our code.
TRANSIENT_EMAIL_ERRORS = (SMTPException, ConnectionError, TimeoutError, OSError)

# Options of a task that sends email: retried with backoff on transient errors only.
RETRY = {
    "autoretry_for": TRANSIENT_EMAIL_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
}


def build_email(*, to: Sequence[str], template: str, context: dict) -> EmailMultiAlternatives:
    """Render templates/emails/<template>/{subject.txt,body.txt,body.html} into one message."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{template}/subject.txt", context)
    subject = " ".join(subject.split())  # a header must be a single line
    text = render_to_string(f"emails/{template}/body.txt", context)
    html = render_to_string(f"emails/{template}/body.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=list(to)
    )
    message.attach_alternative(html, "text/html")
    return message


def send_email(*, to: Sequence[str], template: str, context: dict) -> None:
    build_email(to=to, template=template, context=context).send()
