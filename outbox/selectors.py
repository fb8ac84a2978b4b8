"""Reads for /deliveries/ (already limited to who may see them) and for who wants which emails."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse

from csweek.core import versions
from outbox import permissions
from outbox.kinds import all_kinds
from outbox.models import (
    DEFAULT_ACCENT_COLOUR,
    DEFAULT_ORGANISATION_NAME,
    ChatWebhook,
    Delivery,
    EmailOptOut,
    Organisation,
)


def deliveries_visible_to(user) -> QuerySet[Delivery]:
    if not permissions.can_manage_deliveries(user):
        return Delivery.objects.none()
    return Delivery.objects.all()


def delivery_visible_to(user, *, pk: int) -> Delivery | None:
    return deliveries_visible_to(user).filter(pk=pk).first()


def delivery_counts(*, viewer, week_year: int | None = None) -> list[dict]:
    """One row per kind: its label and how many deliveries are in each status, for the emails
    about one week's events when `week_year` is given. Counted once per version of the outbox
    (one query over every delivery), then read from the cache."""
    if not permissions.can_manage_deliveries(viewer):
        return []
    statuses = Delivery.Status.values
    labels = {kind.name: kind.label for kind in all_kinds()}
    table: dict[str, dict[str, int]] = {}
    deliveries = Delivery.objects.all()
    if week_year is not None:
        deliveries = deliveries.filter(week_year=week_year)
    rows = versions.cached(
        f"outbox:counts:{week_year or 'all'}",
        (versions.DELIVERIES,),
        lambda: list(deliveries.order_by().values_list("kind", "status").annotate(n=Count("pk"))),
    )
    for kind, status, n in rows:
        table.setdefault(kind, dict.fromkeys(statuses, 0))[status] = n
    return [
        {
            "kind": kind,
            "label": labels.get(kind, kind),
            "counts": [counts[status] for status in statuses],
            "total": sum(counts.values()),
        }
        for kind, counts in sorted(table.items(), key=lambda item: labels.get(item[0], item[0]))
    ]


def deliveries_search(
    *, viewer, kind: str = "", status: str = "", query: str = "", week_year: int | None = None
) -> QuerySet[Delivery]:
    deliveries = deliveries_visible_to(viewer).select_related("recipient").order_by("-created_at", "-pk")
    if week_year is not None:
        deliveries = deliveries.filter(week_year=week_year)
    if kind:
        deliveries = deliveries.filter(kind=kind)
    if status in Delivery.Status.values:
        deliveries = deliveries.filter(status=status)
    if query:
        deliveries = deliveries.filter(address__icontains=query)
    return deliveries


def delivery_week_years() -> list[int]:
    """The weeks emails were sent about, newest first (the choices of the week filter)."""
    # A skip scan: one index probe per year (the index starts with week_year) instead of reading the
    # whole outbox for a handful of distinct values.
    sql = (
        "WITH RECURSIVE years(y) AS (SELECT MAX(week_year) FROM outbox_delivery "
        "UNION ALL SELECT (SELECT MAX(week_year) FROM outbox_delivery WHERE week_year < years.y) "
        "FROM years WHERE years.y IS NOT NULL) SELECT y FROM years WHERE y IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


# Emails sent or on their way (skipped and failed ones were never received).
ON_ITS_WAY = (Delivery.Status.PENDING, Delivery.Status.SENDING, Delivery.Status.SENT)


def without_delivery(
    people: QuerySet,
    *,
    kind: str,
    about,
    occurrence: str = "",
    occurrence_prefix: str | None = None,
    statuses: Iterable[str] | None = None,
) -> QuerySet:
    """`people` who have no `kind` email about `about` for `occurrence` yet, in one NOT EXISTS
    subquery: a beat tick with nobody new finds nobody and writes nothing. With `occurrence_prefix`,
    any occurrence starting with it counts; with `statuses`, only emails in those statuses do."""
    existing = Delivery.objects.filter(
        recipient_id=OuterRef("pk"),
        kind=kind,
        content_type=ContentType.objects.get_for_model(about),
        object_id=about.pk,
    )
    return people.filter(~Exists(_narrowed(existing, occurrence, occurrence_prefix, statuses)))


def without_delivery_about_themselves(people: QuerySet, *, kind: str, occurrence: str = "") -> QuerySet:
    """`people` who have no `kind` email about themselves (a digest, say) for `occurrence` yet."""
    existing = Delivery.objects.filter(
        recipient_id=OuterRef("pk"),
        kind=kind,
        content_type=ContentType.objects.get_for_model(people.model),
        object_id=OuterRef("pk"),
    )
    return people.filter(~Exists(_narrowed(existing, occurrence, None, None)))


def _narrowed(deliveries: QuerySet, occurrence: str, occurrence_prefix: str | None, statuses) -> QuerySet:
    if occurrence_prefix is not None:
        deliveries = deliveries.filter(occurrence__startswith=occurrence_prefix)
    else:
        deliveries = deliveries.filter(occurrence=occurrence)
    if statuses is not None:
        deliveries = deliveries.filter(status__in=list(statuses))
    return deliveries


def with_preference(people: QuerySet, preference: str) -> QuerySet:
    """`people`, each carrying whether they keep `preference` on (`opted_in_<preference>`, one
    NOT EXISTS subquery in the same query), so creating their emails looks nothing up again."""
    opted_out = EmailOptOut.objects.filter(user_id=OuterRef("pk"), preference=preference)
    return people.annotate(**{opted_in_attribute(preference): ~Exists(opted_out)})


def opted_in(people: QuerySet, preference: str) -> QuerySet:
    """`people` who have not switched `preference` off."""
    return with_preference(people, preference).filter(**{opted_in_attribute(preference): True})


def opted_in_attribute(preference: str) -> str:
    return f"opted_in_{preference}"


def email_opt_outs(*, user) -> set[str]:
    """The preference keys `user` switched off."""
    return set(EmailOptOut.objects.filter(user=user).values_list("preference", flat=True))


def opted_out_user_ids(*, user_ids, preference: str) -> set[int]:
    """Among `user_ids`, the people who switched `preference` off (one query)."""
    return set(
        EmailOptOut.objects.filter(user_id__in=list(user_ids), preference=preference).values_list(
            "user_id", flat=True
        )
    )


@dataclass(frozen=True)
class Identity:
    """What pages and emails show of the organisation (the logo's bytes stay in the database)."""

    name: str
    accent_colour: str
    logo_version: str  # empty when there is no logo; changes with every new logo (cache busting)

    @property
    def logo_path(self) -> str:
        if not self.logo_version:
            return ""
        return reverse("outbox:organisation_logo", kwargs={"version": self.logo_version})


IDENTITY_CACHE_KEY = "outbox:identity:v1"
DEFAULT_IDENTITY = Identity(
    name=DEFAULT_ORGANISATION_NAME, accent_colour=DEFAULT_ACCENT_COLOUR, logo_version=""
)
IDENTITY_CACHE_SECONDS = 300


def _identity_from_database() -> Identity:
    row = Organisation.objects.filter(pk=1).values("name", "accent_colour", "logo_content_type", "updated_at")
    row = row.first()
    if row is None:
        return DEFAULT_IDENTITY
    version = str(int(row["updated_at"].timestamp())) if row["logo_content_type"] else ""
    return Identity(name=row["name"], accent_colour=row["accent_colour"], logo_version=version)


def organisation_identity() -> Identity:
    """The organisation's name, colour and logo, cached: every page and email asks for it."""
    identity = cache.get(IDENTITY_CACHE_KEY)
    if identity is None:
        identity = _identity_from_database()
        cache.set(IDENTITY_CACHE_KEY, identity, IDENTITY_CACHE_SECONDS)
    return identity


def organisation_for_edit() -> Organisation:
    return Organisation.objects.filter(pk=1).first() or Organisation()


def organisation_logo() -> tuple[bytes, str] | None:
    row = Organisation.objects.filter(pk=1).exclude(logo_content_type="").values("logo", "logo_content_type")
    row = row.first()
    if row is None:
        return None
    return bytes(row["logo"]), row["logo_content_type"]


def chat_webhooks_visible_to(user) -> QuerySet[ChatWebhook]:
    """The webhooks a coordinator manages (nobody else sees them), by name."""
    if not permissions.can_manage_integrations(user):
        return ChatWebhook.objects.none()
    return ChatWebhook.objects.order_by("name", "pk")


def chat_webhook_visible_to(user, *, pk: int) -> ChatWebhook | None:
    return chat_webhooks_visible_to(user).filter(pk=pk).first()


def delivery_counts_about(*, kind: str, model, object_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """For each of `object_ids` (rows of `model`), how many `kind` deliveries are in each status, in
    one query: {object_id: {"queued": n, "sent": n, "failed": n, "skipped": n}} (queued is pending
    or sending). Objects without deliveries are absent."""
    object_ids = list(object_ids)
    if not object_ids:
        return {}
    buckets = {
        Delivery.Status.PENDING: "queued",
        Delivery.Status.SENDING: "queued",
        Delivery.Status.SENT: "sent",
        Delivery.Status.FAILED: "failed",
        Delivery.Status.SKIPPED: "skipped",
    }
    rows = (
        Delivery.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=object_ids, kind=kind
        )
        .order_by()
        .values_list("object_id", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[str, int]] = {}
    for object_id, status, n in rows:
        row = counts.setdefault(object_id, {"queued": 0, "sent": 0, "failed": 0, "skipped": 0})
        row[buckets[status]] += n
    return counts
