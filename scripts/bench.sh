#!/usr/bin/env bash
# npm run bench: build what the figures measure (the app for weapp and H5, the bare Taro baseline),
# then run the benchmarks; each prints its figures and compares against its baseline in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
echo "==> Building weapp, H5 and the bare Taro baseline" >&2
npm run --silent build:weapp >/tmp/sidekick-bench-build.log 2>&1 || { cat /tmp/sidekick-bench-build.log; exit 1; }
npm run --silent build:h5 >>/tmp/sidekick-bench-build.log 2>&1 || { cat /tmp/sidekick-bench-build.log; exit 1; }
(cd bench/fixtures/bare-taro && npx taro build --type weapp) >>/tmp/sidekick-bench-build.log 2>&1 || { cat /tmp/sidekick-bench-build.log; exit 1; }
exec npx tsx bench/run.ts
