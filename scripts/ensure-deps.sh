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
  echo "==> Installing npm dependencies (first run takes a few minutes)"
  # `npm ci` rejects this lock on the registry mirror (optional platform bindings 404); install works.
  npm install --no-audit --no-fund --loglevel=error
  touch node_modules/.package-lock.json
fi

# Browser tests: Debian chromium, and a CJK font so screenshots show the Chinese UI, not boxes.
if [[ "${1:-}" == "--browser" ]] && { [[ ! -x /usr/bin/chromium ]] || [[ ! -d /usr/share/fonts/truetype/wqy ]]; }; then
  echo "==> Installing Debian chromium and a Chinese font for the browser tests"
  if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi
