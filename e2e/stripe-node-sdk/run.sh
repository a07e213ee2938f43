#!/usr/bin/env bash
# Starts the standalone emulator from the built classes on a free port, runs the stripe-node
# checks against it, and stops it again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
./mvnw -q -B -pl stripe-emulator -DskipTests package >/dev/null
cp_file="$(mktemp)"
./mvnw -q -B -pl stripe-emulator dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
log="$(mktemp)"
java -cp "$root/stripe-emulator/target/classes:$(cat "$cp_file")" \
  com.anythingagents.stripe.emulator.StripeEmulatorMain --port "$port" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$cp_file" "$log"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
cd "$here"
[ -d node_modules ] || npm ci --no-audit --no-fund
STRIPE_API_BASE="http://127.0.0.1:$port" node --test check.mjs
