"""allauth adapters: who may sign up, and account emails sent through the outbox after commit."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMessage

from csweek.core.validators import NOT_ONE_LINE

# One answer for every address the sign-up form refuses, invited or not, known or not: a different
# answer would tell anyone whether an address has an account or a pending invitation.
DOMAIN_REFUSAL = (
    "Sign-up is open only to invited people{domains}. If you have been invited, use the link in your "
    "invitation email to choose your password; otherwise ask your coordinator for an invitation."
)


def domain_refusal(email: str) -> str | None:
    """Why an account for `email` may not be created without an invitation, or None when it may."""
    domains = settings.SIGNUP_ALLOWED_DOMAINS
    domain = email.rsplit("@", 1)[-1].lower()
    if domain in domains:
        return None
    listed = f" and addresses at {', '.join(domains)}" if domains else ""
    return DOMAIN_REFUSAL.format(domains=listed)


def signup_refusal(email: str) -> str | None:
    """Why `email` may not use the sign-up form, or None when it may.

    Only the domain counts. An address at an allowed domain that has an account or a pending
    invitation goes on to allauth, which (ACCOUNT_PREVENT_ENUMERATION) answers as for a new address
    and emails the owner instead. Only the sign-up form asks this: allauth also calls the adapter's
    ``clean_email`` for password resets and single sign-on, where these rules must not apply.
    """
    return domain_refusal(email)


def email_payload(message: EmailMessage) -> dict:
    """A rendered message as JSON-safe data for the send task."""
    html = next(
        (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"),
        "",
    )
    return {
        "subject": message.subject,
        "text": message.body,
        "html": html,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
    }


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (the request is at hand), send from the worker once the data is committed."""
        from outbox.services import delivery_create_rendered
        from people.models import User

        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "site_url": settings.SITE_URL,
            **context,
        }
        payload = email_payload(self.render_mail(template_prefix, email, ctx))
        recipient = User.objects.filter(email__iexact=email).first()
        delivery_create_rendered(kind="account", address=email, recipient=recipient, payload=payload)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        """Single sign-on creates accounts only for allowed domains.

        Invited and existing people never get here: allauth signs them in by their email address
        (SOCIALACCOUNT_EMAIL_AUTHENTICATION) and links the provider to their account.
        """
        email = (sociallogin.user.email or "").lower()
        return bool(email) and domain_refusal(email) is None

    def populate_user(self, request, sociallogin, data):
        """Names from the provider are kept on one line, like names typed into csweek."""
        user = super().populate_user(request, sociallogin, data)
        for name in ("first_name", "last_name"):
            setattr(user, name, " ".join(NOT_ONE_LINE.sub(" ", getattr(user, name) or "").split()))
        return user
