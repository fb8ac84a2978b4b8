"""Every key page under gunicorn and wrk, as the role that uses it, as a ratio to a trivial view.

Runs csweek with the production settings (DJANGO_DEBUG off, PostgreSQL, Redis cache and broker,
collected static files) on `seed_demo --scale N` data, in gunicorn with sync workers. Each page is
measured between two runs of /bench/trivial/ (HttpResponse("ok") under the same middleware), so
the ratio holds on a busy or a fast machine. Sessions are created directly in the session store
(no rate-limited sign-in form); the coordinator has a TOTP authenticator, so the MFA rule runs as
in production.

    make bench-pages                     # every page, 5 s each, scale 10,000
    make bench-pages PAGES=wall,schedule # some pages (names below, comma-separated)
    make bench-pages BENCH_ARGS="--viewers 50"  # up to 50 people of the page's role in turn

With --viewers N, wrk asks for the page as up to N different people of its role in turn (the named
user first, then others of the same role, agents from the same team), each with their own session
(and, for the calendar, their own feed). Nobody but the first is read before the run, so each one's
first read, rendered rather than served from the page cache, is part of the measurement.

Add a page: append a Page to PAGES; its path may use the {placeholders} of `context()`.
"""

import argparse
import io
import os
import shutil
import statistics
import subprocess  # nosec B404: runs gunicorn and wrk, fixed argument lists
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TRIVIAL = "/bench/trivial/"
MAX_P95_MS = 250
MAX_PAGE_BYTES = 300_000


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # may use the placeholders context() fills in, e.g. {year}
    user: str | None  # email of the signed-in user; None for no session
    target: float = 0.10  # lowest acceptable ratio to the trivial view
    crowd: str | None = None  # with --viewers: the role whose people also read it (else `user` only)


AGENT, MANAGER, COORDINATOR = "agent@example.com", "manager@example.com", "coordinator@example.com"
PAGES = [
    Page("dashboard", "/", AGENT, target=0.15, crowd="Agent"),
    Page("schedule", "/schedule/", AGENT, target=0.15, crowd="Agent"),
    Page("schedule-year", "/schedule/{year}/", AGENT, crowd="Agent"),
    Page("week-plan", "/weeks/{year}/", COORDINATOR, crowd="Coordinator"),
    Page("wall", "/wall/", AGENT, target=0.15, crowd="Agent"),
    Page("review", "/nominations/review/", MANAGER, crowd="Manager"),
    Page("mine", "/nominations/mine/", AGENT, crowd="Agent"),
    Page("deliveries", "/deliveries/", COORDINATOR, crowd="Coordinator"),
    Page("activity", "/activities/{activity}/", AGENT, crowd="Agent"),
    Page("activity-host", "/activities/{hosted_activity}/", AGENT),  # its host only
    Page("calendar", "/calendar/{calendar_token}.ics", None, crowd="Agent"),  # each their own feed
    Page("people", "/people/", COORDINATOR, crowd="Coordinator"),
    # The role dashboards, the report and the recap (insights).
    Page("dashboard-manager", "/", MANAGER, target=0.15, crowd="Manager"),
    Page("dashboard-coordinator", "/", COORDINATOR, target=0.15, crowd="Coordinator"),
    Page("report", "/reports/{year}/", COORDINATOR, crowd="Coordinator"),
    Page("report-manager", "/reports/{year}/", MANAGER, crowd="Manager"),
    Page("recap", "/weeks/{last_year}/recap/", AGENT, crowd="Agent"),
]


@dataclass(frozen=True)
class Viewer:
    email: str
    calendar_token: str


def production_env(args) -> dict[str, str]:
    """The README's production variables, pointed at the bench's database, Redis and a temp folder."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 60,  # nosec B105: a throwaway key for a local bench
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        "CELERY_BROKER_URL": args.broker_url,
        "EMAIL_URL": "smtp://127.0.0.1:2525",  # nothing is sent while reading pages
        "SITE_URL": f"http://127.0.0.1:{args.port}",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback
        "STATIC_ROOT": args.static_root,
        "LOG_LEVEL": "WARNING",
        "PAGE_CACHE": "1" if args.page_cache == "on" else "0",
    }


def database_ensure(url: str) -> None:
    """Create the benchmark's database when it is missing (a fresh machine has only the server)."""
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            print(f"creating database {name} …", flush=True)
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(args) -> tuple[dict[str, str], dict[str, list[Viewer]], dict[str, str], str]:
    """Seed when needed, ANALYZE, collect static files; returns (context, the viewers of each page,
    session cookie by email, the line saying how long seeding took)."""
    database_ensure(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from people.models import User

    # A database kept from an earlier run still gets the newer migrations and demo data (seed_demo
    # adds only what is missing).
    call_command("migrate", verbosity=0)
    print(f"seeding --scale {args.scale} (only what is missing) …", flush=True)
    people = User.objects.count()
    started = time.monotonic()
    call_command("seed_demo", scale=args.scale, force=True, verbosity=0, stdout=io.StringIO())
    seconds = time.monotonic() - started
    added = User.objects.count() - people
    # 0 new people: the database was seeded before and this run only added what was missing.
    seeded = f"seed_demo --scale {args.scale}: {seconds:.1f} s ({added} new people)"
    print(seeded, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)
    viewers = {page.name: viewers_of(page, args.viewers) for page in PAGES}
    emails = {viewer.email for page in PAGES if page.user for viewer in viewers[page.name]}
    return context(), viewers, sessions(emails), seeded


def viewers_of(page: Page, most: int) -> list[Viewer]:
    """Who reads `page` in the run: its user (agent@ for the calendar), then, up to `most` in all,
    active people of its crowd's role (agents from the same team, so each page holds as much)."""
    from people.models import User

    first = User.objects.get(email=page.user or AGENT)
    people = [first]
    if page.crowd and most > 1:
        others = User.objects.filter(is_active=True, groups__name=page.crowd).exclude(pk=first.pk)
        if page.crowd == "Agent":
            others = others.filter(team_id=first.team_id)
        people += list(others.order_by("pk")[: most - 1])
    return [Viewer(email=person.email, calendar_token=person.calendar_token) for person in people]


def context() -> dict[str, str]:
    from django.db.models import Count
    from django.utils import timezone

    from events.models import Activity
    from people.models import User

    agent = User.objects.get(email=AGENT)
    year = timezone.localdate().year
    this_week = Activity.objects.filter(week__year=year).annotate(n=Count("registrations"))
    hosted = this_week.filter(host=agent).order_by("-n").first()
    other = this_week.exclude(host=agent).filter(audience_teams=None, n__gt=0).order_by("starts_at").first()
    return {
        "year": str(year),
        "last_year": str(year - 1),
        "activity": str(other.pk),
        "hosted_activity": str(hosted.pk),
        "calendar_token": agent.calendar_token,
    }


def sessions(emails: set[str]) -> dict[str, str]:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import generate_totp_secret
    from allauth.mfa.utils import encrypt
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import SessionBase
    from django.utils.module_loading import import_string

    from people.middleware import mfa_required
    from people.models import User

    store_class: type[SessionBase] = import_string(settings.SESSION_ENGINE + ".SessionStore")
    cookies = {}
    for user in User.objects.filter(email__in=emails):
        if mfa_required(user):
            Authenticator.objects.get_or_create(
                user=user,
                type=Authenticator.Type.TOTP,
                defaults={"data": {"secret": encrypt(generate_totp_secret())}},
            )
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies[user.email] = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
    return cookies


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests=%d duration_us=%d p95_us=%d non2xx=%d errors=%d\\n",
    summary.requests, summary.duration, latency:percentile(95), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rotation_script(requests: list[tuple[str, str | None]]) -> str:
    """A wrk script asking for each (path, cookie) in turn, plus the summary line."""
    paths = ", ".join(lua_string(path) for path, _cookie in requests)
    cookies = ", ".join(lua_string(cookie or "") for _path, cookie in requests)
    return (
        f"""
local paths = {{{paths}}}
local cookies = {{{cookies}}}
local turn = 0
request = function()
  turn = turn % #paths + 1
  local headers = {{}}
  if cookies[turn] ~= "" then headers["Cookie"] = cookies[turn] end
  return wrk.format("GET", paths[turn], headers)
end
"""
        + WRK_SCRIPT
    )


def wrk(args, url: str, cookie: str | None, script: str) -> dict[str, float]:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "-s", script]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # nosec B603
    line = next(line for line in out.splitlines() if line.startswith("WRK "))
    values = dict(part.split("=") for part in line.split()[1:])
    seconds = int(values["duration_us"]) / 1e6
    bad = int(values["non2xx"]) + int(values["errors"])
    return {"rps": int(values["requests"]) / seconds, "p95_ms": int(values["p95_us"]) / 1000, "bad": bad}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the sign-in page) is an answer to report, not to follow


def fetch(url: str, cookie: str | None) -> tuple[int, int]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 (loopback)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:  # nosec B310
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, 0
    except urllib.error.URLError:
        return 0, 0  # not listening yet


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--pages", default=os.environ.get("PAGES", ""), help="comma-separated page names")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=1, help="median of this many rounds per page")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--viewers",
        type=int,
        default=1,
        help="read each page as up to this many people of its role in turn, each first read included",
    )
    parser.add_argument(
        "--page-cache",
        choices=["on", "off"],
        default="on",
        help="off: every request renders its page (PAGE_CACHE=0), the cost after each change of data",
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/csweek_scale", help="PostgreSQL"
    )
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/5")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk (make bench-pages does it as root)")
        return 2
    names = [n.strip() for n in args.pages.split(",") if n.strip()]
    unknown = set(names) - {page.name for page in PAGES}
    if unknown:
        print(f"unknown pages: {', '.join(sorted(unknown))}; known: {', '.join(p.name for p in PAGES)}")
        return 2
    pages = [page for page in PAGES if not names or page.name in names]

    tmp = Path(tempfile.mkdtemp(prefix="csweek-bench-"))
    args.static_root = str(tmp / "static")
    env = production_env(args)
    os.environ.update(env)
    ctx, viewers, cookies, seeded = prepare(args)
    script = tmp / "p95.lua"
    script.write_text(WRK_SCRIPT)

    base = f"http://127.0.0.1:{args.port}"
    gunicorn = [
        str(Path(sys.executable).parent / "gunicorn"),
        f"--workers={args.workers}",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{args.port}",
        "--log-level=warning",
        "csweek.wsgi:application",
    ]
    server = subprocess.Popen(gunicorn, cwd=ROOT, env={**os.environ, **env})  # nosec B603
    try:
        deadline = time.monotonic() + 30
        while fetch(base + TRIVIAL, None)[0] != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                print("gunicorn did not start")
                return 2
            time.sleep(0.2)
        results = []
        for page in pages:
            requests = [
                (
                    page.path.format(**{**ctx, "calendar_token": viewer.calendar_token}),
                    cookies[viewer.email] if page.user else None,
                )
                for viewer in viewers[page.name]
            ]
            # Only the first viewer is read beforehand: the others' first reads are measured.
            url, cookie = base + requests[0][0], requests[0][1]
            status, size = fetch(url, cookie)
            if status != 200:
                print(f"page={page.name} answered {status}, not 200")
                return 1
            page_script = str(script)
            if len(requests) > 1:
                page_script = str(tmp / f"{page.name}.lua")
                Path(page_script).write_text(rotation_script(requests))
            rounds = []
            for _ in range(args.rounds):
                before = wrk(args, base + TRIVIAL, None, str(script))
                measured = wrk(args, url, None if len(requests) > 1 else cookie, page_script)
                after = wrk(args, base + TRIVIAL, None, str(script))
                trivial = (before["rps"] + after["rps"]) / 2
                rounds.append((measured["rps"] / trivial, measured, trivial))
            ratio, measured, trivial = sorted(rounds, key=lambda r: r[0])[len(rounds) // 2]
            # wrk counts only 4xx and 5xx as errors: a viewer sent to sign in (302) would have passed
            # as a fast page. Each viewer's page, read again after the run, must be a 200.
            measured["bad"] += sum(fetch(base + path, viewer)[0] != 200 for path, viewer in requests[1:])
            ok = (
                ratio >= page.target
                and measured["p95_ms"] < MAX_P95_MS
                and size <= MAX_PAGE_BYTES
                and not measured["bad"]
            )
            results.append((page, ratio, measured, trivial, size, ok, len(requests)))
            print(
                f"  {page.name:<14} {len(requests):3d} viewers {measured['rps']:8.1f} req/s"
                f"  ratio {ratio:6.3f} (target {page.target})"
                f"  p95 {measured['p95_ms']:7.1f} ms  {size / 1000:7.1f} KB  trivial {trivial:7.1f} req/s"
                + (f"  {measured['bad']} errors, timeouts or viewers turned away" if measured["bad"] else "")
                + ("" if ok else "  BELOW TARGET"),
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(seeded)
    print()
    print("| page | path | viewers | req/s | ratio to trivial | target | p95 ms | KB |")
    print("|---|---|---|---|---|---|---|---|")
    for page, ratio, measured, _trivial, size, _ok, readers in results:
        print(
            f"| {page.name} | `{page.path}` | {readers} | {measured['rps']:.1f} | {ratio:.3f} "
            f"| {page.target} | {measured['p95_ms']:.0f} | {size / 1000:.0f} |"
        )
    print()
    for page, ratio, measured, trivial, size, ok, readers in results:
        print(
            f"page={page.name} rps={measured['rps']:.1f} ratio={ratio:.3f} p95_ms={measured['p95_ms']:.1f} "
            f"kb={size / 1000:.0f} errors={measured['bad']} trivial_rps={trivial:.1f} viewers={readers} "
            + ("ok" if ok else "BELOW")
        )
    failing = [r[0].name for r in results if not r[5]]
    median = statistics.median(r[1] for r in results) if results else 0
    print(
        f"pages={len(results)} at_target={len(results) - len(failing)} median_ratio={median:.3f} "
        f"below={','.join(failing) or 'none'} page_cache={args.page_cache} viewers={args.viewers}"
    )
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
