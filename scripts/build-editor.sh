#!/bin/sh
# Build the task page's code editor: install web/editor's locked packages from the npm registry
# and bundle them with esbuild into api/static/editor.js, the one file the site serves (no CDN).
# The bundle is committed, so running the site needs no Node; its first line records a hash of
# the sources (package-lock.json, editor.js), which tests/api/test_editor_bundle.py compares.
# Run it after changing web/editor, and commit the bundle with the change.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/web/editor"
npm ci --no-audit --no-fund
sources=$(cat package-lock.json editor.js | sha256sum | cut -d' ' -f1)
./node_modules/.bin/esbuild editor.js \
    --bundle --format=iife --minify --target=es2020 --legal-comments=eof \
    --banner:js="/* codestreak editor, built by scripts/build-editor.sh from web/editor (CodeMirror 6, MIT); sources sha256 $sources */" \
    --outfile="$root/api/static/editor.js"
echo "api/static/editor.js built from sources $sources"
