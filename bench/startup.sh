#!/usr/bin/env bash
# Restart to healthy: from JVM start to /actuator/health UP, in local mode on a kept data directory
# (like a developer's .local/ after the first start), for the command `make run` uses (extracted jar
# and class data sharing archive) and, with STARTUP_COMPARE=true, the plain executable jar,
# interleaved. Prints wall time and the JVM's CPU time at that moment (on a shared box the CPU time
# is the steadier figure). The first start (initdb, emulator catalogue) is reported apart.
#   bench/startup.sh [restarts per variant, default 5]
# STARTUP_LOAD_RATE=300 keeps signed webhooks arriving at that rate throughout (open loop,
#   bench/WebhookIngest.java; refused connections while the service is down are expected);
# STARTUP_JAVA_OPTS adds JVM options; STARTUP_PORT=18200 is the first of the four ports used.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
base="${STARTUP_PORT:-18200}"
make -s build
work="$(mktemp -d)"
export BILLING_LOCAL_DIR="$work/local" PORT=$base LOCAL_POSTGRES_PORT=$((base + 1)) \
  LOCAL_REDIS_PORT=$((base + 2)) LOCAL_STRIPE_PORT=$((base + 3))
unset BILLING_LOCAL_EPHEMERAL DATABASE_URL REDIS_URL ENABLE_BILLING
cds="service/target/app/billing-service.jsa"
cds_cmd="java ${STARTUP_JAVA_OPTS:-} -XX:SharedArchiveFile=$cds -jar service/target/app/billing-service.jar serve"
jar_cmd="java ${STARTUP_JAVA_OPTS:-} -jar service/target/billing-service.jar serve"
[ -f "$cds" ] || { echo "no $cds: make build could not create it"; exit 1; }
load=""
trap '[ -n "$load" ] && kill $load 2>/dev/null; rm -rf "$work"' EXIT

# one start: prints "<wall ms> <JVM CPU ms>", then stops the service cleanly
start() {
  local began pid ticks
  began=$(date +%s%N)
  $1 >"$work/service.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$PORT/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
    kill -0 $pid 2>/dev/null || { cat "$work/service.log"; exit 1; }
    sleep 0.05
  done
  ticks=$(awk '{print $14 + $15}' /proc/$pid/stat)
  cp "$BILLING_LOCAL_DIR/session.properties" "$work/session" # the webhook secret, for the load
  echo "$(( ($(date +%s%N) - began) / 1000000 )) $(( ticks * 1000 / $(getconf CLK_TCK) ))"
  kill $pid
  wait $pid || true
}

summary() { sort -n | awk '{a[NR]=$1} END {printf "min %d  median %d  max %d ms", a[1], a[int((NR+1)/2)], a[NR]}'; }

echo "== first start (empty data directory: initdb, emulator catalogue): $(start "$cds_cmd" | awk '{print $1 " ms wall, " $2 " ms JVM CPU"}')"
if [ -n "${STARTUP_LOAD_RATE:-}" ]; then
  secret="$(sed -n 's/^STRIPE_WEBHOOK_SECRET=//p' "$work/session")"
  java bench/WebhookIngest.java --url "http://127.0.0.1:$PORT/webhooks/stripe" --secret "$secret" \
    --rate "$STARTUP_LOAD_RATE" --connections 16 --seconds 100000 --warmup 0 >"$work/load.log" 2>&1 &
  load=$!
  echo "== with signed webhooks arriving at $STARTUP_LOAD_RATE/s throughout"
fi
for i in $(seq 1 "$runs"); do
  echo "cds $(start "$cds_cmd")" | tee -a "$work/results"
  [ "${STARTUP_COMPARE:-false}" = true ] && echo "jar $(start "$jar_cmd")" | tee -a "$work/results"
done
for variant in cds jar; do
  grep -q "^$variant " "$work/results" || continue
  echo "$variant: wall $(awk -v v=$variant '$1 == v {print $2}' "$work/results" | summary);" \
    "JVM CPU $(awk -v v=$variant '$1 == v {print $3}' "$work/results" | summary)"
done
