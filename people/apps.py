from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


def _ensure_roles(sender, **kwargs):
    from people.services import roles_ensure

    roles_ensure()


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and teams"

    def ready(self):
        post_migrate.connect(_ensure_roles, sender=self)
        from allauth.mfa.models import Authenticator

        from people.middleware import mfa_enabled_forget

        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(mfa_enabled_forget, sender=Authenticator, dispatch_uid=f"mfa-enabled-{name}")
