"""Start a real `celery worker` process against the test database and broker, for end-to-end task tests."""

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from csweek.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)


def database_url_for_subprocess() -> str:
    """The URL of the database this test run is really using (pytest-django's test database)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or ''}{port}/{db['NAME']}"


def worker_env(mail_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csweek.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url_for_subprocess(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MAIL_DIR": str(mail_dir),
        "CSWEEK_VAR_DIR": str(mail_dir.parent / "worker-var"),
        "LOG_FORMAT": "text",
    }
    env.pop("EMAIL_URL", None)  # the worker writes mail to MAIL_DIR (console + folder backend)
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        env["CELERY_FILESYSTEM_DIR"] = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
    env.update(extra or {})
    return env


class WorkerProcess:
    """A running worker; `output` collects its log lines so a test can wait on them."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.output: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.output):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"worker never logged {text!r}; output:\n{''.join(self.output[-60:])}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@contextmanager
def running_worker(mail_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[WorkerProcess]:
    """Run a worker for the duration of the block, with this process publishing for real (not eager)."""
    mail_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "csweek",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--purge",
            f"--hostname=test-{os.getpid()}@%h",
        ],
        cwd=BASE_DIR,
        env=worker_env(mail_dir, extra_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    worker = WorkerProcess(process)
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        worker.wait_for("ready.")
        yield worker
    finally:
        celery_app.conf.task_always_eager = eager
        worker.stop()


def wait_until(predicate, timeout: float = 30, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {message}")
