#!/usr/bin/env bash
# npm test: install what is missing (npm packages, Debian chromium), typecheck everything, build
# the real weapp and H5 apps, then run every jest project: app components (jsdom), domain and
# seed units, the emulator and the functions through the real wx-server-sdk, the build checks,
# and the browser tests in real Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --browser

# The type checks, the app builds and the function bundles share nothing: they run side by side.
# Type checks are incremental (.cache/tsc-*.tsbuildinfo); a build is skipped when its inputs are unchanged.
echo "==> Typecheck (app; functions, emulator, seed, tests), build weapp, H5 and the functions, side by side"
pids=()
npx tsc -p tsconfig.json & pids+=($!)
npx tsc -p tsconfig.node.json & pids+=($!)
# The build checks look at the cloud build of the mini-program (no demo sign-in), which must name a
# CloudBase environment; this one is a placeholder, and the build is never uploaded.
CLOUD_ENV_ID="${CLOUD_ENV_ID:-sidekick-test-placeholder}" bash scripts/build-app.sh weapp & pids+=($!)
# H5 with the local demo sign-in, for the browser tests.
SIDEKICK_DEMO=1 bash scripts/build-app.sh h5 & pids+=($!)
# The functions' local bundles, kept in .cache/functions/ per source hash, shared by every test stack
# (SIDEKICK_LOCAL_FUNCTIONS below names the folder, so no stack hashes the sources again).
mkdir -p .cache
npx tsx scripts/build-functions.ts --cache .cache/functions-dir & pids+=($!)
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
(( failed == 0 )) || { echo "A type check or a build failed (its errors are above): the tests did not run." >&2; exit 1; }

SIDEKICK_LOCAL_FUNCTIONS="$(cat .cache/functions-dir)"
export SIDEKICK_LOCAL_FUNCTIONS
echo "==> jest"
# Records each way in the OEM chaos test (test/functions/oem-chaos.test.ts). The issue's 10,000
# take several minutes on the shared 2-core machine (BENCHMARKS.md has the times); 2,000 keep
# every fault and both kills in the suite's budget. SIDEKICK_CHAOS_RECORDS=10000 npm test runs
# the full size.
export SIDEKICK_CHAOS_RECORDS="${SIDEKICK_CHAOS_RECORDS:-2000}"
exec npx jest --ci "$@"
