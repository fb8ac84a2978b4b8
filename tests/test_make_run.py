"""`make run`'s processes (Procfile.dev via honcho): web, worker and beat start, serve, stop on one Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.worker import WorkerProcess, wait_until

pytestmark = pytest.mark.worker

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_make_run_processes_serve_and_stop_on_one_interrupt(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    port = _free_port()
    env.update(
        DJANGO_DEBUG="1",
        DJANGO_SETTINGS_MODULE="csweek.settings",
        CSWEEK_VAR_DIR=str(tmp_path / "var"),
        PORT=str(port),
        PATH=f"{BIN}:{env.get('PATH', '')}",
        LOG_FORMAT="text",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=180,
    )
    process = subprocess.Popen(
        [str(BIN / "honcho"), "-f", "Procfile.dev", "start"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    run = WorkerProcess(process)
    try:
        run.wait_for("ready.", timeout=90)
        run.wait_for("beat: Starting...", timeout=90)

        def healthy() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_until(healthy, timeout=60, message="the web process to answer /healthz")
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        assert process.wait(timeout=60) is not None
        run._reader.join(timeout=10)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    output = "".join(run.output)
    for name in ("web", "worker", "beat"):
        assert f"{name}.1" in output
    # honcho reports every process stopped; nothing is left listening on the port.
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
