"""The import-linter contract covers every module: a new module of csweek or a new app cannot
slip outside the layers unnoticed."""

import pkgutil
import sys
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

import csweek

ROOT = Path(settings.BASE_DIR)


def _importlinter() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _layers() -> list[set[str]]:
    (contract,) = [c for c in _importlinter()["contracts"] if c["type"] == "layers"]
    return [{name.strip() for name in layer.replace("|", ":").split(":")} for layer in contract["layers"]]


def test_architecture_every_csweek_module_is_in_a_layer():
    listed = set().union(*_layers())
    modules = {f"csweek.{info.name}" for info in pkgutil.iter_modules(csweek.__path__)}
    assert sorted(modules - listed) == []


def test_architecture_every_project_app_is_a_root_package_and_a_layer():
    project_apps = {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT)
        and not Path(config.path).resolve().is_relative_to(Path(sys.prefix).resolve())
    }
    assert sorted(project_apps - set(_importlinter()["root_packages"])) == []
    assert sorted(project_apps - {"csweek"} - set().union(*_layers())) == []
