#!/usr/bin/env bash
# Runs codestreak on this machine with the embedded SQLite database: installs the package,
# starts the local Docker engine, builds the sandbox image when it is missing (from Debian
# packages when no image registry answers), then runs everything with `codestreak run`.
# Extra arguments go to the server (for example --host 0.0.0.0 --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
scripts/ensure-docker.sh

image="$(.venv/bin/python -c 'from core.settings import get_settings; print(get_settings().sandbox_image)')"
if ! docker image inspect "$image" >/dev/null 2>&1; then
    .venv/bin/codestreak sandbox build-image || {
        echo "No image registry answered; building the sandbox base from Debian packages instead."
        .venv/bin/codestreak sandbox build-image --offline
    }
fi

# Applies migrations and loads the content itself; serves the site, the sandbox and, with
# DISCORD_TOKEN set in .env, the bot.
exec .venv/bin/codestreak run "$@"
