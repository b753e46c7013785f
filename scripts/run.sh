#!/usr/bin/env bash
# Runs codestreak on this machine with the embedded SQLite database: installs the package,
# starts the local Docker engine, builds the sandbox image when it is missing (from Debian
# packages when no image registry answers), migrates the database, loads the content and serves.
# Extra arguments go to the server (for example --host 0.0.0.0 --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
scripts/ensure-docker.sh

image="$(.venv/bin/python -c 'from core.settings import get_settings; print(get_settings().sandbox_image)')"
if ! docker image inspect "$image" >/dev/null 2>&1; then
    .venv/bin/codestreak sandbox build-image || .venv/bin/codestreak sandbox build-image --offline
fi

.venv/bin/codestreak db upgrade
# The shipped tasks are proved in the sandbox by the test suite; moderators' tasks are proved
# when they are added.
.venv/bin/codestreak content load --no-verify
exec .venv/bin/codestreak web "$@"
