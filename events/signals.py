"""Signals other apps listen to, so events need not import them."""

from django.dispatch import Signal

# Sent by events.services.week_clone after the new week and its activities exist, inside the
# transaction: sender=Week, source=<Week cloned from>, target=<new Week>.
week_cloned = Signal()
