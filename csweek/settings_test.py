"""Settings for the test suite: the embedded defaults plus fast hashing and eager tasks."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
# Each test run gets its own SQLite file and broker folder, so runs side by side never collide.
_RUN_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test", f"run-{os.getpid()}")
os.environ.setdefault("CSWEEK_VAR_DIR", _RUN_DIR)

from csweek.settings import *  # noqa: E402,F403 -- test settings extend the real ones

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Unit tests run tasks in-process; tests/test_worker*.py start a real worker instead.
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A local cache, unless CACHE_URL names a shared one (the PostgreSQL + Redis run): then the rate
# limits are tested as production runs them. The key prefix keeps this run's keys apart from
# another's; processes the tests start inherit it and share the counters.
if os.environ.get("CACHE_URL"):
    CACHES = {"default": env.cache_url("CACHE_URL")}  # noqa: F405 -- from the real settings
    CACHES["default"]["KEY_PREFIX"] = os.environ.setdefault("CSWEEK_CACHE_KEY_PREFIX", f"test-{os.getpid()}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Many tests sign coordinators in with force_login; the MFA tests switch this on themselves.
MFA_REQUIRED_FOR_STAFF = False
LOGGING["root"]["level"] = "WARNING"  # noqa: F405 -- keep test output readable
