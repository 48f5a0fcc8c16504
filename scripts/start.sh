#!/usr/bin/env bash
# npm start: install what is missing, build the H5 app (with the local demo sign-in), start the
# local cloud with the demo dealership and print the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
echo "==> Building the H5 app (about 40 s; skipped when nothing it is built from changed)"
SIDEKICK_DEMO=1 bash scripts/build-app.sh h5
echo "==> Starting the local cloud"
exec npx tsx scripts/start.ts
