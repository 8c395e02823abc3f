#!/usr/bin/env bash
# `make test`: lint, Django's checks and the whole pytest suite against
# PostgreSQL and Redis, with browser tests in headless Debian Chromium.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-services.sh
scripts/setup.sh dev
export DJANGO_SETTINGS_MODULE=config.settings_test
py=.venv/bin/python

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== bandit (high severity)"
.venv/bin/bandit -q -r accounts awards judging courses accreditation notifications config -lll
echo "== Django checks"
$py manage.py check
$py manage.py makemigrations --check --dry-run
echo "== pytest"
# One worker a core (pytest-xdist); each has its own database, Redis database
# and files (config/settings_test.py).
.venv/bin/pytest -n auto "$@"
