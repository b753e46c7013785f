#!/usr/bin/env bash
# Writes the lock files that scripts/bootstrap.sh installs from, with pip-tools' pip-compile:
#   requirements/run.txt  the dependencies of pyproject.toml (and the build backend's),
#   requirements/dev.txt  the same plus the `dev` extra, pinned to run.txt's versions.
# Every package is pinned with the hashes of all its files on PyPI. Pins already in a lock file
# are kept unless pyproject.toml asks otherwise; extra arguments go to both pip-compile calls:
#   scripts/lock.sh                              after editing pyproject.toml's dependencies
#   scripts/lock.sh --upgrade-package fastapi    move one package to its newest allowed version
#   scripts/lock.sh --upgrade                    move every package
# Resolves against PyPI alone (LOCK_INDEX_URL to choose another index), whatever local wheel
# folders or mirrors the machine's pip configuration adds, so the hashes are the index's own.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/pip-compile ]; then
    scripts/bootstrap.sh dev
fi

compile() {
    env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL -u PIP_CONSTRAINT \
        PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="scripts/lock.sh" \
        .venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
        --build-deps-for editable --index-url "${LOCK_INDEX_URL:-https://pypi.org/simple}" \
        --no-emit-index-url --no-emit-find-links "$@"
}

mkdir -p requirements
compile --output-file requirements/run.txt "$@" pyproject.toml
compile --extra dev --constraint requirements/run.txt --output-file requirements/dev.txt \
    "$@" pyproject.toml
echo "Wrote requirements/run.txt and requirements/dev.txt; scripts/bootstrap.sh dev installs them."
