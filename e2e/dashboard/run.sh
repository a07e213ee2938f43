#!/usr/bin/env bash
# The dashboard's browser tests: playwright-core (npm) driving Debian's chromium against the service
# jar in local mode on free ports. Needs the jar (make build; make test builds it first), Node.js 20+
# and Chromium. Without Chromium, as root (CI runs .ci/run as root), it installs Debian's package;
# otherwise it says how to. Screenshots and the service log land in e2e/artifacts/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

find_chromium() {
  if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; then echo "$CHROMIUM"; return; fi
  for name in chromium chromium-browser; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  done
}

chromium="$(find_chromium || true)"
if [ -z "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "No Chromium found: installing Debian's chromium (apt-get install -y chromium)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    chromium="$(find_chromium)"
  else
    echo "No Chromium found. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM=/path/to/chromium." >&2
    exit 1
  fi
fi

jar="$root/service/target/billing-service.jar"
[ -f "$jar" ] || { echo "$jar is missing: run make build first" >&2; exit 1; }

cd "$here"
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
rm -f "$root"/e2e/artifacts/*.png
echo "Browser tests: $("$chromium" --version 2>/dev/null | head -1), playwright-core $(node -p 'require("playwright-core/package.json").version')"
CHROMIUM="$chromium" BILLING_JAR="$jar" node --test --test-concurrency=1 dashboard.test.mjs
