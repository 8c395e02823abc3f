#!/usr/bin/env bash
# `make run`: set up, migrate, load demo data and start the web server with a
# Celery worker and beat, all on embedded defaults (SQLite, local files, a
# filesystem broker). Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh runtime
export DJANGO_SETTINGS_MODULE=config.settings
py=.venv/bin/python

echo "== Preparing the database and demo data"
$py manage.py migrate --noinput -v0
$py manage.py collectstatic --noinput -v0
$py manage.py seed_demo

pids=()
stop() {
  trap - INT TERM EXIT
  echo "== Stopping"
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/celery -A config worker --beat --concurrency 1 --loglevel INFO &
pids+=($!)
.venv/bin/gunicorn config.wsgi --bind "${BIND:-127.0.0.1:8000}" --workers 2 --access-logfile - &
pids+=($!)

echo "== The service is starting on http://${BIND:-127.0.0.1:8000} (Ctrl-C stops it)"
# Stop everything as soon as either process ends.
wait -n
