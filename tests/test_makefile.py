"""`make run`: the links in emails and calendar feeds follow the port that is served."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture
def fake_bin(tmp_path) -> Path:
    """Stand-ins for python, pip and honcho that print what `make run` hands them."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (tmp_path / "venv").mkdir()
    for name in ("python", "pip", "honcho"):
        script = bin_dir / name
        script.write_text('#!/bin/sh\necho "SITE_URL=$SITE_URL PORT=$PORT"\n')
        script.chmod(0o755)
    return bin_dir


def _make_run(fake_bin: Path, tmp_path: Path, *args: str, **env: str) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    environ = {key: value for key, value in os.environ.items() if key not in {"SITE_URL", "PORT"}}
    environ.update(env)
    result = subprocess.run(
        [make, "--no-print-directory", "run", f"VENV={tmp_path / 'venv'}", f"BIN={fake_bin}", *args],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip().splitlines()[-1]


def test_make_run_site_url_follows_port(fake_bin, tmp_path):
    assert _make_run(fake_bin, tmp_path, "PORT=8080") == "SITE_URL=http://localhost:8080 PORT=8080"


def test_make_run_site_url_from_environment_wins(fake_bin, tmp_path):
    line = _make_run(fake_bin, tmp_path, "PORT=8080", SITE_URL="https://csweek.example.com")
    assert line == "SITE_URL=https://csweek.example.com PORT=8080"
