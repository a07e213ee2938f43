#!/usr/bin/env bash
# Starts the standalone emulator from the built classes on a free port, runs the stripe-node
# checks against it, and stops it again. Needs the emulator module built (make build does it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
log="$(mktemp)"
./mvnw -q -B -o -pl stripe-emulator dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null 2>&1 \
  || ./mvnw -q -B -pl stripe-emulator dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
java -cp "$root/stripe-emulator/target/classes:$(cat "$cp_file")" \
  com.anythingagents.stripe.emulator.StripeEmulatorMain --port 0 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$cp_file" "$log"' EXIT
base=""
for _ in $(seq 1 100); do
  base="$(sed -n 's/^Stripe emulator listening on //p' "$log")"
  [ -n "$base" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { echo "emulator did not start"; cat "$log"; exit 1; }
cd "$here"
[ -d node_modules ] || npm ci --no-audit --no-fund
STRIPE_API_BASE="$base" node --test check.mjs
