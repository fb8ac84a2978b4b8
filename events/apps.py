from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs):
    # Events' permissions exist only once this app has migrated: give them to the roles now.
    from people.services import roles_ensure

    roles_ensure()


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Weeks and activities"

    def ready(self):
        post_migrate.connect(_ensure_roles, sender=self)
