"""Signals other apps listen to, so events need not import them."""

from django.dispatch import Signal

# Sent by events.services.week_create (and the admin's "add week") once the new week and its day
# themes exist, inside the transaction: sender=Week, week=<new Week>. A cloned week sends
# week_cloned instead.
week_created = Signal()

# Sent by events.services.week_clone after the new week and its activities exist, inside the
# transaction: sender=Week, source=<Week cloned from>, target=<new Week>.
week_cloned = Signal()

# Sent by events.services.week_update when the week moved to other dates or changed its time
# zone, inside the transaction: sender=Week, week=<Week as saved>, days=<days moved (may be 0)>,
# old_time_zone=<the zone before>. Receivers move their own times keeping local wall-clock time.
week_moved = Signal()
