#!/usr/bin/env bash
# npm run bench: build what the figures measure (the app for weapp and H5, the bare Taro baseline),
# then run the benchmarks; each prints its figures and compares against its baseline in the same run.
# A subset: `npm run bench -- --only scoring,profile` (the builds run only when `build` is selected).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
only="${BENCH_ONLY:-}"
args=("$@")
for i in "${!args[@]}"; do
  if [[ "${args[$i]}" == "--only" ]]; then only="${args[$((i + 1))]:-}"; fi
done
if [[ -z "$only" || ",$only," == *",build,"* ]]; then
  echo "==> Building weapp, H5 and the bare Taro baseline" >&2
  # The cloud build of the mini-program is what ships; its environment id here is a placeholder.
  CLOUD_ENV_ID="${CLOUD_ENV_ID:-sidekick-bench-placeholder}" bash scripts/build-app.sh weapp
  bash scripts/build-app.sh h5
  mkdir -p .cache
  (cd bench/fixtures/bare-taro && npx taro build --type weapp) >.cache/build-bare-taro.log 2>&1 || { cat .cache/build-bare-taro.log; exit 1; }
fi
exec npx tsx bench/run.ts "$@"
