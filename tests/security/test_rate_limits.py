"""Failed sign-ins are counted in the shared cache, so every web process enforces the same limit."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.factories import PASSWORD, AgentFactory
from tests.support.worker import database_url_for_subprocess

LOGIN_URL = "/accounts/login/"
TOO_MANY_LOGINS = "Too many failed login attempts. Try again later."

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the other process must see the account
    pytest.mark.skipif(
        settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache",
        reason="needs a shared cache: set CACHE_URL=redis://... (the PostgreSQL + Redis run)",
    ),
]

# Another web process: the same settings and cache, three wrong passwords for one account.
OTHER_PROCESS = """
import json, django
django.setup()
from django.test import Client
client = Client()
refused = []
for _ in range(3):
    response = client.post("/accounts/login/", {"login": "agent@example.com", "password": "wrong-password"})
    refused.append("Too many failed login attempts" in response.content.decode())
print(json.dumps(refused))
"""


def test_login_failures_in_two_processes_add_up_to_one_limit(client):
    AgentFactory(email="agent@example.com")
    for _ in range(3):
        response = client.post(LOGIN_URL, {"login": "agent@example.com", "password": "wrong-password"})
        assert response.context["form"].non_field_errors() != [TOO_MANY_LOGINS]

    result = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS],
        # The test settings read CACHE_URL and the run's cache key prefix from this environment.
        env={**os.environ, "DATABASE_URL": database_url_for_subprocess()},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # Its third attempt is the sixth for the account: refused there already.
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [False, False, True]

    response = client.post(LOGIN_URL, {"login": "agent@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [TOO_MANY_LOGINS]
    assert client.session.get("_auth_user_id") is None
