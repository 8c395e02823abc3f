"""Test settings: PostgreSQL and Redis, as in production.

Each pytest-xdist worker uses its own Redis database so that clearing the
cache in one worker never touches another.
"""

import os
import tempfile

os.environ.setdefault("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/care_awards")
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
if "PYTEST_XDIST_WORKER" in os.environ:
    # Set, not defaulted: the xdist controller imported these settings first and
    # its REDIS_URL (worker 0's database) is in every worker's environment.
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:6379/{1 + int(_worker)}"
    os.environ["VAR_DIR"] = f"{tempfile.gettempdir()}/care-awards-tests-{_worker}"
os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{1 + int(_worker)}")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("VAR_DIR", f"{tempfile.gettempdir()}/care-awards-tests-{_worker}")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if "EMAIL_URL" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Eager in the test process; the Celery integration test starts a real
# worker with CELERY_TASK_ALWAYS_EAGER=false.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "true").lower() == "true"
CELERY_TASK_EAGER_PROPAGATES = True
SITE_URL = "http://testserver"

# Live-server threads would otherwise keep connections open past the test
# run, and PostgreSQL refuses to drop the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
