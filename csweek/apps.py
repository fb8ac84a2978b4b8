from django.apps import AppConfig


class CsweekConfig(AppConfig):
    name = "csweek"
    verbose_name = "Customer Service Week"

    def ready(self):
        # Each app lists its menu entries in <app>/navigation.py; the menu is assembled once here.
        from csweek import data_versions, sections
        from csweek.navigation import collect

        collect()
        sections.register()
        data_versions.connect()
