"""/deliveries/ for coordinators, the one-click unsubscribe link of every email, the organisation's
identity (its form, its logo and the accent colour as a stylesheet) and the chat webhooks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csweek.core import versions
from csweek.core.colours import accent_shades
from csweek.core.pagecache import cached_page
from csweek.core.views import allowed_only, form_add_service_errors
from outbox import chat, permissions, selectors, services
from outbox.forms import ChatWebhookForm, DeliveryFilterForm, OrganisationForm
from outbox.models import Delivery

PAGE_SIZE = 50


coordinator_required = allowed_only(
    permissions.can_manage_deliveries, "Only coordinators can see the email deliveries."
)


@coordinator_required
@cached_page(versions.DELIVERIES, versions.WEEK_DATA, versions.PAGE_DATA)
def delivery_list(request):
    data = request.GET.copy()
    data.setdefault("status", Delivery.Status.FAILED)
    form = DeliveryFilterForm(data, week_years=selectors.delivery_week_years())
    # A filter that does not validate (an unknown week, say) shows the default view: failed emails.
    default = {"week": None, "kind": "", "status": Delivery.Status.FAILED, "q": ""}
    filters = form.cleaned_data if form.is_valid() else default
    deliveries = selectors.deliveries_search(
        viewer=request.user,
        kind=filters["kind"],
        status=filters["status"],
        query=filters["q"].strip(),
        week_year=filters["week"],
    )
    context = {
        "form": form,
        "week_year": filters["week"],
        "counts": selectors.delivery_counts(viewer=request.user, week_year=filters["week"]),
        "statuses": Delivery.Status.choices,
        "page": Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page")),
        "kind": filters["kind"],
        "query": filters["q"].strip(),
    }
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "outbox/delivery_list.html#results" if fragment else "outbox/delivery_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@coordinator_required
@require_POST
def delivery_retry(request, pk: int):
    delivery = selectors.delivery_visible_to(request.user, pk=pk)
    if delivery is None:
        raise Http404("No such delivery.")
    try:
        services.delivery_retry(by=request.user, delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The email to {delivery.address} is queued again.")
    return redirect("outbox:delivery_list")


@coordinator_required
@require_POST
def deliveries_retry_failed(request):
    kind = request.POST.get("kind", "")
    week = request.POST.get("week", "")
    week_year = int(week) if week.isdigit() else None
    count = services.deliveries_retry_failed(
        by=request.user, kind=kind, week_year=week_year, query=request.POST.get("q", "").strip()
    )
    messages.success(request, f"{count} failed email{'s' if count != 1 else ''} queued again.")
    return redirect("outbox:delivery_list")


# The signed token is the credential (no session is used), and RFC 8058 mail clients POST without
# a CSRF token, so this view is exempt from CSRF.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        person, kind = services.unsubscribe_resolve(token=token)
    except ValidationError as error:
        return render(request, "outbox/unsubscribe.html", {"error": " ".join(error.messages)}, status=400)
    done = False
    if request.method == "POST":
        services.user_unsubscribe(user=person, kind=kind)
        done = True
    return render(request, "outbox/unsubscribe.html", {"person": person, "kind": kind, "done": done})


organisation_editor_required = allowed_only(
    permissions.can_edit_organisation, "Only coordinators can change the organisation's identity."
)


@organisation_editor_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request):
    organisation = selectors.organisation_for_edit()
    if request.method == "POST":
        form = OrganisationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.organisation_update(
                    by=request.user,
                    name=form.cleaned_data["name"],
                    accent_colour=form.cleaned_data["accent_colour"],
                    logo=form.cleaned_data["logo"],
                    remove_logo=form.cleaned_data["remove_logo"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "The organisation's name, logo and colour are saved.")
                return redirect("outbox:organisation_edit")
    else:
        form = OrganisationForm(
            initial={"name": organisation.name, "accent_colour": organisation.accent_colour}
        )
    return render(
        request,
        "outbox/organisation_form.html",
        {"form": form, "has_logo": bool(organisation.logo_content_type)},
    )


@require_GET
def organisation_logo(request, version: str):
    """The uploaded logo; its address carries a version, so it may be cached for a year."""
    logo = selectors.organisation_logo()
    if logo is None:
        raise Http404("No logo")
    data, content_type = logo
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def theme_css(request):
    """The accent colour as the design system's tokens: a stylesheet, since the CSP forbids inline style."""
    shades = accent_shades(selectors.organisation_identity().accent_colour)
    body = ":root {\n" + "".join(f"  --cs-{name}: {value};\n" for name, value in shades.items()) + "}\n"
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


integrations_manager_required = allowed_only(
    permissions.can_manage_integrations, "Only coordinators can manage the Slack and Teams webhooks."
)


@integrations_manager_required
@require_GET
def chat_webhook_list(request):
    page = Paginator(selectors.chat_webhooks_visible_to(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for webhook in page:
        webhook.masked_url = chat.mask_url(webhook.url)
        webhook.topic_labels = [
            topic.label for topic in chat.TOPICS.values() if getattr(webhook, topic.field)
        ]
    return render(request, "outbox/chat_webhook_list.html", {"page": page})


@integrations_manager_required
@require_http_methods(["GET", "POST"])
def chat_webhook_form(request, pk: int | None = None):
    webhook = None
    if pk is not None:
        webhook = selectors.chat_webhook_visible_to(request.user, pk=pk)
        if webhook is None:
            raise Http404("No such webhook.")
    if request.method == "POST":
        form = ChatWebhookForm(request.POST, editing=webhook is not None)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "name": data["name"],
                "service": data["service"],
                "topics": data["topics"],
                "enabled": data["enabled"],
                "url": data["url"],
            }
            try:
                if webhook is None:
                    webhook = services.chat_webhook_create(by=request.user, **fields)
                else:
                    services.chat_webhook_update(by=request.user, webhook=webhook, **fields)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, f"The webhook “{webhook.name}” is saved.")
                return redirect("outbox:chat_webhook_list")
    elif webhook is not None:
        form = ChatWebhookForm(
            editing=True,
            initial={
                "name": webhook.name,
                "service": webhook.service,
                "enabled": webhook.enabled,
                "topics": [topic.key for topic in chat.TOPICS.values() if getattr(webhook, topic.field)],
            },
        )
    else:
        form = ChatWebhookForm()
    masked = chat.mask_url(webhook.url) if webhook is not None else ""
    return render(
        request, "outbox/chat_webhook_form.html", {"form": form, "webhook": webhook, "masked_url": masked}
    )


@integrations_manager_required
@require_http_methods(["GET", "POST"])
def chat_webhook_remove(request, pk: int):
    webhook = selectors.chat_webhook_visible_to(request.user, pk=pk)
    if webhook is None:
        raise Http404("No such webhook.")
    if request.method == "POST":
        name = webhook.name
        services.chat_webhook_delete(by=request.user, webhook=webhook)
        messages.success(request, f"The webhook “{name}” is removed; nothing more is posted there.")
        return redirect("outbox:chat_webhook_list")
    return render(
        request,
        "outbox/chat_webhook_remove.html",
        {"webhook": webhook, "masked_url": chat.mask_url(webhook.url)},
    )
