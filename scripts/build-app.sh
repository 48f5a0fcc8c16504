#!/usr/bin/env bash
# Builds the app for one platform (`h5` or `weapp`) unless nothing it is built from changed since
# the last build of the same kind: the inputs (src/, config/, types/, the lockfile, the Babel and
# TypeScript settings) and the build's environment (demo sign-in, cloud environment, output
# folder) are hashed, and the hash of the last good build is kept in .cache/. The log goes to
# .cache/build-<platform>.log, inside this clone.
#   bash scripts/build-app.sh h5        # env: SIDEKICK_DEMO, CLOUD_ENV_ID, SIDEKICK_OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
platform="${1:?usage: build-app.sh h5|weapp}"
mkdir -p .cache
log=".cache/build-${platform}.log"
stamp=".cache/build-${platform}.hash"
out="${SIDEKICK_OUT_DIR:-dist}/${platform}"

inputs_hash() {
  {
    find src config types -type f -print0 | sort -z | xargs -0 sha256sum
    sha256sum package-lock.json babel.config.js tsconfig.json tsconfig.base.json project.config.json
    echo "demo=${SIDEKICK_DEMO:-} env=${CLOUD_ENV_ID:-} out=${out}"
  } | sha256sum | cut -d' ' -f1
}

hash="$(inputs_hash)"
marker="${out}/app.json"
[[ "$platform" == "h5" ]] && marker="${out}/index.html"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$hash" && -f "$marker" ]]; then
  echo "    ${platform}: unchanged since the last build, kept ${out}"
  exit 0
fi

rm -f "$stamp"
start=$SECONDS
npm run --silent "build:${platform}" >"$log" 2>&1 || {
  cat "$log"
  echo "The ${platform} build failed (log: ${log})" >&2
  exit 1
}
echo "$hash" >"$stamp"
echo "    ${platform}: built in $((SECONDS - start)) s (log: ${log})"
