"""Recognition's answers to other apps' signals, so those apps need not import recognition."""

from django.dispatch import receiver

from events.signals import week_cloned
from recognition import services


@receiver(week_cloned, dispatch_uid="recognition.copy_categories_on_week_clone")
def copy_categories_on_week_clone(sender, source, target, **kwargs):
    """A cloned week gets the source's award categories, their windows shifted to the new dates."""
    services.categories_copy(source=source, target=target)
