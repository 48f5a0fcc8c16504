#!/usr/bin/env bash
# Installs what the project needs when it is missing, so `npm start` and `npm test` work on a
# fresh clone with nothing installed by hand. Safe to run again: it does nothing when up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

need_install=0
if [[ ! -d node_modules ]] || [[ ! -f node_modules/.package-lock.json ]]; then
  need_install=1
elif [[ package-lock.json -nt node_modules/.package-lock.json ]] || [[ package.json -nt node_modules/.package-lock.json ]]; then
  need_install=1
fi
if ((need_install)); then
  echo "==> Installing npm dependencies (first run: about 8 minutes, most of it compiling better-sqlite3)"
  mkdir -p .cache
  log=.cache/npm-install.log
  # `npm ci` rejects this lock on the registry mirror (optional platform bindings 404); install works.
  # It runs in the background so a line every 20 s says it is alive and what it is doing.
  npm install --no-audit --no-fund --foreground-scripts --loglevel=error >"$log" 2>&1 &
  pid=$!
  start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null && sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
      step="downloading packages"
      grep -q "gyp info\|make: Entering\|CXX(target)" "$log" 2>/dev/null && step="compiling better-sqlite3 (native, the longest step)"
      echo "    ... $((SECONDS - start)) s, ${step}"
    fi
  done
  wait "$pid" || { tail -50 "$log"; echo "npm install failed (log: $log)" >&2; exit 1; }
  echo "    installed in $((SECONDS - start)) s (log: $log)"
  touch node_modules/.package-lock.json
fi

# Browser tests: Debian chromium, and a CJK font so screenshots show the Chinese UI, not boxes.
if [[ "${1:-}" == "--browser" ]] && { [[ ! -x /usr/bin/chromium ]] || [[ ! -d /usr/share/fonts/truetype/wqy ]]; }; then
  echo "==> Installing Debian chromium and a Chinese font for the browser tests"
  if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi
