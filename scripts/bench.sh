#!/usr/bin/env bash
# `make bench`: a fresh PostgreSQL database with scale data, then the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-services.sh
scripts/setup.sh dev
export DJANGO_SETTINGS_MODULE=config.settings
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/care_awards_bench}"
export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/9}"
export CELERY_TASK_ALWAYS_EAGER=true EMAIL_URL=memorymail://
export STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage
db=${DATABASE_URL##*/}
PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
# The cache may hold summaries of an earlier scale database.
.venv/bin/python manage.py shell -c "from django.core.cache import cache; cache.clear()"
.venv/bin/python manage.py seed_scale "$@"
.venv/bin/python manage.py benchmark
