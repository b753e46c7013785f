#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs and starts what the tests need (MariaDB,
# Redis, the Docker engine, Chromium and axe-core; the tests build the sandbox image from this
# checkout), then runs lint, type checks and every test.
# Idempotent: whatever is already installed or running is reused. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh dev
scripts/ensure-mariadb.sh
scripts/ensure-redis.sh
scripts/ensure-docker.sh
scripts/ensure-chromium.sh
scripts/ensure-axe.sh

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy"
.venv/bin/mypy .

echo "== pytest"
set +e
.venv/bin/pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure." >&2
    exit 1
fi
exit "$status"
