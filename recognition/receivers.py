"""Recognition's answers to other apps' signals, so those apps need not know about recognition."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from events.models import Week
from events.signals import week_cloned, week_moved
from recognition import services


@receiver(post_save, sender=Week, dispatch_uid="recognition.default_categories_for_new_week")
def default_categories_for_new_week(sender, instance, created, raw=False, **kwargs):
    """Every new week starts with the default award categories (fixtures being loaded are left alone)."""
    if created and not raw:
        services.categories_create_defaults(week=instance)


@receiver(week_cloned, dispatch_uid="recognition.copy_categories_on_week_clone")
def copy_categories_on_week_clone(sender, source, target, **kwargs):
    """A cloned week gets the source's award categories, their windows shifted to the new dates."""
    services.categories_copy(source=source, target=target, replace_unused=True)


@receiver(week_moved, dispatch_uid="recognition.categories_follow_week")
def categories_follow_week(sender, week, days, old_time_zone, **kwargs):
    """When the week moves, its nomination windows move with it."""
    services.categories_follow_week(week=week, days=days, old_time_zone=old_time_zone)
