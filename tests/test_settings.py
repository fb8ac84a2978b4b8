"""Settings come from the environment; production refuses to start half-configured."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": "k9$w!r2P@x7#Lm4&Qz8^Tn1*Vb6(Hc3)Yd5-Fg0+Js2=Ue7_Ia9~Ok4",
    "DJANGO_ALLOWED_HOSTS": "csweek.example.org",
    "DATABASE_URL": "postgres://csweek:secret@db.internal:5432/csweek",
    "CACHE_URL": "redis://redis.internal:6379/1",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "SITE_URL": "https://csweek.example.org",
}


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what a process needs to run: nothing of the test run's own configuration leaks in.
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if key in os.environ}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "csweek.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


DUMP = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "DB_ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_NAME": settings.DATABASES["default"]["NAME"],
    "CONN_MAX_AGE": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "BROKER": settings.CELERY_BROKER_URL,
    "CACHE": settings.CACHES["default"],
    "ADMIN_URL": settings.ADMIN_URL,
    "MFA_REQUIRED_FOR_STAFF": settings.MFA_REQUIRED_FOR_STAFF,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "EMAIL_HOST": getattr(settings, "EMAIL_HOST", ""),
    "EMAIL_USE_TLS": getattr(settings, "EMAIL_USE_TLS", False),
    "FROM": settings.DEFAULT_FROM_EMAIL,
    "SITE_URL": settings.SITE_URL,
    "TIME_ZONE": settings.TIME_ZONE,
    "SIGNUP_ALLOWED_DOMAINS": settings.SIGNUP_ALLOWED_DOMAINS,
    "SSL_REDIRECT": getattr(settings, "SECURE_SSL_REDIRECT", False),
    "PROXY_HEADER": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
    "SOCIAL": settings.SOCIALACCOUNT_PROVIDERS,
    "DB_OPTIONS": settings.DATABASES["default"]["OPTIONS"],
    "SESSION_ENGINE": settings.SESSION_ENGINE,
}))
"""


def _settings(env: dict[str, str]) -> dict:
    result = _run(DUMP, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_settings_production_env_parsed():
    values = _settings(
        {
            **PRODUCTION_ENV,
            "DEFAULT_FROM_EMAIL": "Customer Service Week <csweek@example.org>",
            "TIME_ZONE": "America/Chicago",
            "SIGNUP_ALLOWED_DOMAINS": "Example.org,@staff.example.org",
        }
    )
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["csweek.example.org"]
    assert values["DB_ENGINE"] == "django.db.backends.postgresql"
    assert values["DB_NAME"] == "csweek"
    assert values["CONN_MAX_AGE"] == 60
    assert values["BROKER"] == "redis://redis.internal:6379/0"
    assert values["CACHE"] == {
        "BACKEND": "csweek.core.cache.ReusedClientRedisCache",
        "LOCATION": "redis://redis.internal:6379/1",
    }
    assert values["ADMIN_URL"] == "admin/"
    assert values["MFA_REQUIRED_FOR_STAFF"] is True
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["EMAIL_HOST"] == "smtp.example.org"
    assert values["EMAIL_USE_TLS"] is True
    assert values["FROM"] == "Customer Service Week <csweek@example.org>"
    assert values["SITE_URL"] == "https://csweek.example.org"
    assert values["TIME_ZONE"] == "America/Chicago"
    assert values["SIGNUP_ALLOWED_DOMAINS"] == ["example.org", "staff.example.org"]
    assert values["SSL_REDIRECT"] is True
    assert values["PROXY_HEADER"] is None
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["STATICFILES"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["SOCIAL"] == {}
    assert values["DB_OPTIONS"] == {
        "connect_timeout": 5,
        "options": "-c jit=off",
        "server_side_binding": True,
        "prepare_threshold": 5,
    }
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_settings_debug_defaults_to_off():
    env = {**PRODUCTION_ENV}
    del env["DJANGO_DEBUG"]
    assert _settings(env)["DEBUG"] is False


def test_settings_embedded_defaults_when_debugging():
    values = _settings({"DJANGO_DEBUG": "1"})
    assert values["DEBUG"] is True
    assert values["DB_ENGINE"] == "django.db.backends.sqlite3"
    assert values["BROKER"] == "filesystem://"
    assert values["CACHE"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert values["CACHE"]["LOCATION"].endswith("/var/cache")  # shared by web, worker and beat
    assert values["EMAIL_BACKEND"] == "csweek.mail_backends.ConsoleAndFolderBackend"
    assert values["TIME_ZONE"] == "UTC"
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL", "EMAIL_URL"]
)
def test_settings_missing_required_variable_stops_with_one_line(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = _run("import django; django.setup()", env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert (
        lines[0]
        == f"csweek: missing required environment variable(s) for production (DJANGO_DEBUG is off): {missing}"
    )


def test_settings_missing_database_and_cache_named_together():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key not in {"DATABASE_URL", "CACHE_URL"}}
    result = _run("import django; django.setup()", env)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "csweek: missing required environment variable(s) for production (DJANGO_DEBUG is off): "
        "DATABASE_URL, CACHE_URL"
    )


def test_settings_admin_url_from_env_gets_one_trailing_slash():
    assert _settings({**PRODUCTION_ENV, "ADMIN_URL": "/staff-only"})["ADMIN_URL"] == "staff-only/"


def test_settings_mfa_requirement_can_be_switched_off_in_production():
    assert _settings({**PRODUCTION_ENV, "MFA_REQUIRED_FOR_STAFF": "false"})["MFA_REQUIRED_FOR_STAFF"] is False


def test_settings_oidc_provider_from_env():
    values = _settings(
        {
            **PRODUCTION_ENV,
            "OIDC_PROVIDER_ID": "entra",
            "OIDC_NAME": "Microsoft Entra ID",
            "OIDC_CLIENT_ID": "client-123",
            "OIDC_CLIENT_SECRET": "s3cret",
            "OIDC_SERVER_URL": "https://login.microsoftonline.com/tenant/v2.0",
        }
    )
    [app] = values["SOCIAL"]["openid_connect"]["APPS"]
    assert app["provider_id"] == "entra"
    assert app["name"] == "Microsoft Entra ID"
    assert app["client_id"] == "client-123"
    assert app["settings"] == {"server_url": "https://login.microsoftonline.com/tenant/v2.0"}


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    return _run(code, env)


def test_check_deploy_production_has_no_warnings():
    result = _check_deploy(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_behind_proxy_without_ssl_redirect_has_no_warnings():
    env = {**PRODUCTION_ENV, "DJANGO_BEHIND_PROXY": "true", "DJANGO_SECURE_SSL_REDIRECT": "false"}
    result = _check_deploy(env)
    assert result.returncode == 0, result.stderr
    values = _settings(env)
    assert values["SSL_REDIRECT"] is False
    assert values["PROXY_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_logging_production_writes_json_lines_to_stdout():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('csweek.test').warning('hello %s', 'world')"
    )
    result = _run(code, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.strip().splitlines()[-1])
    assert record["message"] == "hello world"
    assert record["level"] == "WARNING"
    assert record["logger"] == "csweek.test"


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's; run with DATABASE_URL=postgres://... to check it")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
