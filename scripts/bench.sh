#!/usr/bin/env bash
# `make bench`: the pages on a small database, then everything on the scale
# data, each in a fresh PostgreSQL database. Arguments go to seed_scale for
# the scale data (for example --nominations 5000 --seed 7).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-services.sh
scripts/setup.sh dev
export DJANGO_SETTINGS_MODULE=config.settings
export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/9}"
export CELERY_TASK_ALWAYS_EAGER=true EMAIL_URL=memorymail://
export STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage
database="${BENCH_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/care_awards_bench}"

fresh_database() {
  export DATABASE_URL="$1"
  local name=${DATABASE_URL##*/}
  PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
  .venv/bin/python manage.py migrate --noinput -v0
  # The cache may hold summaries of another scale database.
  .venv/bin/python manage.py shell -v0 -c "from django.core.cache import cache; cache.clear()"
}

.venv/bin/python manage.py collectstatic --noinput -v0

echo "== Pages on 1/20 of the data"
fresh_database "${database}_small"
.venv/bin/python manage.py seed_scale --nominations 1000 --judges 120 --courses 500 --accreditations 500 \
  --leaders 2500 --appointments 5000
.venv/bin/python manage.py benchmark --pages-only --throughput-seconds 0 --output bench/results-small.json

echo "== Everything on the scale data"
fresh_database "$database"
.venv/bin/python manage.py seed_scale "$@"
.venv/bin/python manage.py benchmark --compare bench/results-small.json
