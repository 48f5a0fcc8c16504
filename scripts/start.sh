#!/usr/bin/env bash
# npm start: install what is missing, build the H5 app (with the local demo sign-in), start the
# local cloud with the demo dealership and print the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
echo "==> Building the H5 app"
SIDEKICK_DEMO=1 npm run --silent build:h5 >/tmp/sidekick-build-h5.log 2>&1 || { cat /tmp/sidekick-build-h5.log; exit 1; }
echo "==> Starting the local cloud"
exec npx tsx scripts/start.ts
