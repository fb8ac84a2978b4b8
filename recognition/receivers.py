"""Recognition's answers to other apps' signals, so those apps need not know about recognition."""

from django.dispatch import receiver

from events.signals import week_cloned, week_created, week_moved
from recognition import services


@receiver(week_created, dispatch_uid="recognition.default_categories_for_new_week")
def default_categories_for_new_week(sender, week, **kwargs):
    """A new week starts with the default award categories from the library."""
    services.categories_create_defaults(week=week)


@receiver(week_cloned, dispatch_uid="recognition.copy_categories_on_week_clone")
def copy_categories_on_week_clone(sender, source, target, **kwargs):
    """A cloned week gets the source's award categories (no defaults), windows moved to the new dates."""
    services.categories_copy(source=source, target=target)


@receiver(week_moved, dispatch_uid="recognition.categories_follow_week")
def categories_follow_week(sender, week, days, old_time_zone, **kwargs):
    """When the week moves, its nomination windows move with it."""
    services.categories_follow_week(week=week, days=days, old_time_zone=old_time_zone)
