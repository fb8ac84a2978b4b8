"""The site's menu: the shell's own entries plus every app's `<app>/navigation.py` `ENTRIES`,
collected once when the apps are ready (see csweek.apps)."""

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from csweek.core.navigation import NavEntry, Navigation


def _is_staff(user) -> bool:
    return user.is_active and user.is_staff


ENTRIES = [
    NavEntry("Dashboard", "dashboard", group="Plan", order=0),
    NavEntry("Admin", "admin:index", group="Admin", order=1000, visible=_is_staff),
]

registry = Navigation()


def collect() -> None:
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "navigation"):
            module = import_module(f"{app_config.name}.navigation")
            registry.register(getattr(module, "ENTRIES", []))
