from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Email outbox"

    def ready(self):
        # Each app declares its email kinds in <app>/deliveries.py; importing them registers them.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("deliveries")

        from outbox import signals

        signals.connect()
