"""Time the staff CSV import against plain CSV parsing + bulk_create, measured in the same run.

Runs on a throwaway SQLite database in a temporary folder (never var/), so it can run beside the
dev server and the test suite. Usage: `make bench-import N=5000`, or
`DJANGO_DEBUG=1 .venv/bin/python bench/bench_import.py --rows 5000`.
"""

import argparse
import csv
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEAMS = 50
ZONES = ("Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo", "")


def build_csv(rows: int) -> str:
    """One manager per team, in the file, named by every other member of that team."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["email", "first_name", "last_name", "team", "role", "manager_email", "time_zone"])
    for i in range(rows):
        team = i % TEAMS
        is_manager = i < TEAMS
        writer.writerow(
            [
                f"person{i}@bench.example",
                f"First{i}",
                f"Last, {i}",  # a quoted comma, as spreadsheets write it
                f"Team {team}",
                "Manager" if is_manager else "Agent",
                "" if is_manager else f"person{team}@bench.example",
                ZONES[i % len(ZONES)],
            ]
        )
    return out.getvalue()


def timed(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    return result, elapsed, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="csweek-bench-")
    os.environ["CSWEEK_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "csweek.settings"
    # Always the throwaway SQLite file and filesystem broker: never a real database or mail queue.
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_FILESYSTEM_DIR", "EMAIL_URL"):
        os.environ.pop(name, None)
    os.environ["LOG_LEVEL"] = "ERROR"  # kombu warns that the filesystem broker has no host
    sys.path.insert(0, str(ROOT))
    try:
        run(args.rows)
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(var_dir, ignore_errors=True)


def run(rows: int) -> None:
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    from people.models import Invitation, User
    from people.services import roles_ensure, user_set_role
    from people.staff_import import staff_import_apply, staff_import_parse

    assert str(settings.DATABASES["default"]["NAME"]).startswith(os.environ["CSWEEK_VAR_DIR"])
    call_command("migrate", verbosity=0)
    roles_ensure()
    coordinator = User.objects.create_user("coordinator@bench.example", "bench-password")
    user_set_role(user=coordinator, role="Coordinator")

    content = build_csv(rows)

    def baseline():
        # The floor: read the same file with the csv module and insert the same number of users.
        unusable = make_password(None)
        with transaction.atomic():
            records = list(csv.DictReader(io.StringIO(content, newline="")))
            User.objects.bulk_create(
                [
                    User(
                        email=f"baseline-{r['email']}",
                        first_name=r["first_name"],
                        last_name=r["last_name"],
                        time_zone=r["time_zone"] or settings.TIME_ZONE,
                        password=unusable,
                    )
                    for r in records
                ],
                batch_size=500,
            )

    _, t_base, q_base = timed(baseline)
    User.objects.filter(email__startswith="baseline-").delete()  # untimed: the import starts clean
    plan, t_parse, q_parse = timed(lambda: staff_import_parse(content))
    assert plan.is_valid, (plan.file_error, plan.errors[:5])
    result, t_apply, q_apply = timed(lambda: staff_import_apply(by=coordinator, content=content))
    again, t_re, q_re = timed(lambda: staff_import_apply(by=coordinator, content=content))

    assert (result.created, result.updated, result.teams_created) == (rows, 0, min(rows, TEAMS)), result
    assert (again.created, again.updated, again.unchanged) == (0, 0, rows), again
    assert User.objects.count() == rows + 1
    assert Invitation.objects.count() == rows

    print(f"baseline  csv + bulk_create {rows} users: {t_base:7.3f}s  {q_base:4d} queries")
    for name, seconds, queries in (
        ("parse", t_parse, q_parse),
        ("apply", t_apply, q_apply),
        ("reimport", t_re, q_re),
    ):
        print(f"{name:9s} {seconds:7.3f}s  {queries:4d} queries  ratio to baseline {seconds / t_base:5.1f}")
    print(
        f"rows={rows} parse={t_parse:.2f}s apply={t_apply:.2f}s reimport={t_re:.2f}s "
        f"baseline={t_base:.2f}s ratio={t_apply / t_base:.1f}"
    )


if __name__ == "__main__":
    main()
