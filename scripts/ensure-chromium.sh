#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser tests (Playwright drives it through
# executable_path; no browser is ever downloaded by Playwright). Idempotent.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ ! -x "$CHROMIUM" ]; then
    echo "ensure-chromium: installing chromium" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")" >&2
