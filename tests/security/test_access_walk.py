"""Every URL × GET/POST × six roles answers as the access table says; none answers 500, and no
query parameter a view reads turns a NUL byte into a 500 or echoes markup unescaped."""

import contextlib
import json

import pytest
from django.http import QueryDict

from tests.security.access_table import ACCESS
from tests.security.walk import ROLES, client_for, outcome, request_as, routes, seed_world, table_key, url_for

pytestmark = pytest.mark.walk

XSS = '"><script>alert("csweek")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def world(db, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    return seed_world()


def _row(key: str, got: dict[str, tuple[str, ...]]) -> str:
    return f'    {json.dumps(key)}: ("{" ".join(got["GET"])}", "{" ".join(got["POST"])}"),'


def test_access_walk_matches_the_table(world):
    clients = {role: client_for(world, role) for role in ROLES}
    walked: dict[str, dict[str, tuple[str, ...]]] = {}
    for route in routes():
        key = table_key(route)
        url = url_for(route, world)
        walked[key] = {
            method: tuple(outcome(request_as(clients[role], method, url)) for role in ROLES)
            for method in ("GET", "POST")
        }

    missing = sorted(set(walked) - set(ACCESS))
    stale = sorted(set(ACCESS) - set(walked))
    wrong = sorted(
        key
        for key, got in walked.items()
        if key in ACCESS
        and (tuple(ACCESS[key][0].split()), tuple(ACCESS[key][1].split())) != (got["GET"], got["POST"])
    )
    errors = sorted(key for key, got in walked.items() if "500" in got["GET"] + got["POST"])
    report = []
    if missing:
        report.append("URLs missing from the access table (answers seen, check each before copying):")
        report += [_row(key, walked[key]) for key in missing]
    if wrong:
        report.append(f"URLs answering otherwise than the table (roles: {' '.join(ROLES)}):")
        for key in wrong:
            report.append(f"  table: {ACCESS[key]}")
            report.append(_row(key, walked[key]))
    if stale:
        report.append("Table rows for URLs that no longer exist: " + ", ".join(stale))
    if errors:
        report.append("URLs answering 500: " + ", ".join(errors))
    assert not report, "\n".join(report)
    # The walk is only worth something if it both refuses and allows.
    answers = [a for got in walked.values() for method in got.values() for a in method]
    assert answers.count("ok") > 100
    assert answers.count("403") + answers.count("login") > 500


@contextlib.contextmanager
def _reads_recorded():
    """Record every key a view reads from a QueryDict (request.GET, forms bound to it, copies)."""
    seen: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")}

    def recording(name):
        original = originals[name]

        def method(self, key, *args, **kwargs):
            seen.add(key)
            return original(self, key, *args, **kwargs)

        return method

    for name in originals:
        setattr(QueryDict, name, recording(name))
    try:
        yield seen
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


def test_query_parameters_refuse_nul_and_escape_markup(world):
    clients = {role: client_for(world, role) for role in ROLES}
    tried = 0
    failures = []
    for route in routes():
        key = table_key(route)
        if key.startswith("admin/") or ACCESS.get(key, ("",))[0] == "":
            continue
        url = url_for(route, world)
        for role, expected in zip(ROLES, ACCESS[key][0].split(), strict=True):
            if expected != "ok":
                continue
            with _reads_recorded() as params:
                request_as(clients[role], "GET", url)
            for param in sorted(p for p in params if isinstance(p, str)):
                nul = request_as(clients[role], "GET", url, {param: "a\x00b"})
                if nul.status_code != 400:
                    failures.append(f"{role} GET {url}?{param}=NUL answered {nul.status_code}, not 400")
                xss = request_as(clients[role], "GET", url, {param: XSS})
                body = xss.content.decode(errors="replace")
                if xss.status_code >= 500 or "<script>alert(" in body or "<img src=x" in body:
                    failures.append(f"{role} GET {url}?{param}=<script> answered {xss.status_code} unescaped")
                tried += 1
    assert not failures, "\n".join(failures)
    assert tried > 30
