"""/deliveries/ for coordinators, and the one-click unsubscribe link of every email."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from csweek.core.views import allowed_only
from outbox import permissions, selectors, services
from outbox.forms import DeliveryFilterForm
from outbox.models import Delivery

PAGE_SIZE = 50


coordinator_required = allowed_only(
    permissions.can_manage_deliveries, "Only coordinators can see the email deliveries."
)


@coordinator_required
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
