#!/usr/bin/env bash
# Creates .venv and installs the Python and npm dependencies, then builds the
# front-end assets. `setup.sh dev` adds the test tools. Safe to run again:
# each step is skipped when its inputs have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${1:-runtime}"
requirements=requirements.txt
[ "$profile" = dev ] && requirements=requirements-dev.txt

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3
if [ ! -x .venv/bin/python ]; then
  echo "== Creating the virtual environment"
  "$python" -m venv .venv
fi

stamp=".venv/.installed-$profile"
digest=$(cat requirements.txt "$requirements" | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  echo "== Installing Python packages ($requirements)"
  # This machine's pip configuration names optional local indexes; their
  # "Location ... is ignored" warnings are noise.
  quiet_pip() { .venv/bin/pip install --quiet --disable-pip-version-check "$@" 2> >(grep -v "is ignored: it is neither" >&2); }
  quiet_pip --upgrade pip
  quiet_pip -r "$requirements"
  echo "$digest" > "$stamp"
fi

command -v npm >/dev/null 2>&1 || { echo "npm is needed to build the page styles: install Node.js" >&2; exit 1; }
npm_digest=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [ ! -f node_modules/.installed ] || [ "$(cat node_modules/.installed)" != "$npm_digest" ]; then
  echo "== Installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_digest" > node_modules/.installed
fi

assets_digest=$(cat package-lock.json assets/scss/*.scss | sha256sum | cut -d' ' -f1)
if [ ! -f static_build/.built ] || [ "$(cat static_build/.built)" != "$assets_digest" ]; then
  echo "== Building styles and scripts"
  npm run --silent build
  echo "$assets_digest" > static_build/.built
fi
