#!/usr/bin/env bash
# Installs axe-core, the accessibility engine the browser tests inject into every page type,
# from the npm registry at the version locked in tests/browser/axe/package-lock.json.
# Idempotent: runs `npm ci` only when the installed version differs from the locked one.
set -euo pipefail
cd "$(dirname "$0")/../tests/browser/axe"

if ! command -v npm >/dev/null 2>&1; then
    echo "ensure-axe: installing npm" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi

version_of() {
    node -e 'const fs = require("fs");
const [file, key] = process.argv.slice(1);
try { const data = JSON.parse(fs.readFileSync(file, "utf8"));
  console.log(key ? data.packages[key].version : data.version); } catch { console.log(""); }' "$@"
}

locked="$(version_of package-lock.json node_modules/axe-core)"
installed="$(version_of node_modules/axe-core/package.json)"
if [ -z "$installed" ] || [ "$installed" != "$locked" ]; then
    echo "ensure-axe: installing axe-core $locked" >&2
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
fi
echo "ensure-axe: axe-core $(version_of node_modules/axe-core/package.json)" >&2
