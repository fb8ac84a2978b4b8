from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = "Recognition"

    def ready(self):
        from events.plan_links import PlanLink, register
        from recognition import receivers  # noqa: F401 -- connects the signal receivers

        register(PlanLink("Award categories and announcement", "recognition:categories"))
