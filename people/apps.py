from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs):
    from people.services import roles_ensure

    roles_ensure()


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and teams"

    def ready(self):
        post_migrate.connect(_ensure_roles, sender=self)
