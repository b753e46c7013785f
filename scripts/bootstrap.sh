#!/usr/bin/env bash
# Creates the project's virtualenv in .venv and installs codestreak into it: the pinned, hashed
# dependencies of requirements/run.txt (requirements/EXTRAS.txt when EXTRAS is given, e.g. `dev`),
# then the project itself, editable, without resolving anything again.
# Idempotent: reinstalls only when the lock file or pyproject.toml changed since the last install.
# scripts/lock.sh writes the lock files.
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRAS="${1:-}"
PYTHON="${PYTHON:-python3}"

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "codestreak needs Python 3.11 or newer as '$PYTHON' (set PYTHON=... to choose one)." >&2
    exit 2
fi
if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
        echo "Installing python3-venv..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        rm -rf .venv && "$PYTHON" -m venv .venv
    fi
fi

lock="requirements/${EXTRAS:-run}.txt"
if [ ! -f "$lock" ]; then
    echo "No lock file $lock for '${EXTRAS}' (scripts/lock.sh writes them)." >&2
    exit 2
fi

stamp=".venv/.installed${EXTRAS:+-$EXTRAS}"
want="$(cat pyproject.toml "$lock" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing codestreak with $lock into .venv..."
    pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
    "${pip[@]}" --require-hashes -r "$lock"
    # The build backend is pinned in the lock file too, so the project builds without fetching.
    "${pip[@]}" --no-deps --no-build-isolation --config-settings editable_mode=compat -e .
    echo "$want" > "$stamp"
fi
