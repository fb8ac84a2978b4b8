from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = "Recognition"

    def ready(self):
        from recognition import receivers  # noqa: F401 -- connects the signal receivers
