#!/usr/bin/env bash
# Signed webhook ingest benchmark: starts the service (embedded Postgres, billing on, workers on)
# on a loopback port, drives it with wrk and pre-signed events (max throughput, closed loop) and
# with bench/WebhookIngest.java (fixed rate, open loop), and reports throughput, latency, CPU and
# how long the worker needs to drain the backlog. Bounded in time; loopback only.
#   bench/run.sh [seconds per phase, default 20]
# BENCH_JAR=other.jar compares another build (no make); BENCH_FIXED_RATE=false skips phase 2;
# BENCH_HTTPCLIENT=true adds the earlier HttpClient open-loop run; BENCH_JAVA_OPTS adds JVM options (e.g. a JFR recording); billing variables pass through.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
port=18000
secret="whsec_bench_$(date +%s)"
jwt="bench-jwt-secret-0123456789abcdef-0123456789"
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null; else echo "install wrk (apt-get install wrk)"; exit 1; fi
fi
jar="${BENCH_JAR:-service/target/billing-service.jar}"
[ -n "${BENCH_JAR:-}" ] || make -s build
events="$(mktemp)"
export BILLING_LOCAL_EPHEMERAL=true ENABLE_BILLING=true PORT=$port AUTH_JWT_SECRET=$jwt \
  STRIPE_SECRET_KEY=sk_test_bench STRIPE_WEBHOOK_SECRET=$secret \
  STRIPE_PRODUCT_PRICE_MAP=bench=price_bench STRIPE_API_BASE=http://127.0.0.1:9
log="$(mktemp)"
java -Xmx512m ${BENCH_JAVA_OPTS:-} -jar "$jar" serve >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log" "$events"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.5
done
token="$(java -jar "$jar" token --role operator)"
backlog() {
  curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/actuator/prometheus" \
    | awk '/^stripe_events_oldest_unprocessed_age_seconds/ {print $2}'
}
drain() {
  local start=$(date +%s%N)
  for _ in $(seq 1 600); do
    age="$(backlog)"
    [ "${age%.*}" = "0" ] && break
    # NaN: the service cannot reach its database; nothing will drain
    [ "$age" = "NaN" ] && { cp "$log" /tmp/bench-service.log; echo "database unreachable (log: /tmp/bench-service.log)"; exit 1; }
    sleep 0.5
  done
  echo "backlog drained $(( ($(date +%s%N) - start) / 1000000 )) ms after the load stopped (oldest unprocessed age now ${age}s)"
}
rss() { echo "service RSS: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"; }
ticks() { awk '{print $14 + $15}' /proc/$pid/stat; }
# the embedded PostgreSQL daemonizes (its parent is not the service): count every postgres process
pg_ticks() { local t=0 p; for p in $(pgrep -x postgres); do t=$(( t + $(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0) )); done; echo $t; }
# pre-signed events are generated right before each wrk run: the signature must be under 300 s old
flood() {
  java bench/WebhookIngest.java --generate "$events" --count "$2" --secret "$secret"
  local before=$(ticks) pg_before=$(pg_ticks) TIMEFORMAT="wrk CPU: user %Us sys %Ss over %Rs"
  time EVENTS="$events" WRK_THREADS=2 wrk -t2 -c16 -d"$1"s -s bench/ingest.lua "http://127.0.0.1:$port/webhooks/stripe"
  echo "service CPU: $(( ($(ticks) - before) * 10 )) ms, PostgreSQL (all on the box): $(( ($(pg_ticks) - pg_before) * 10 )) ms"
}
echo "== warmup, wrk, 16 connections, 5s"
flood 5 40000 >/dev/null
drain
echo "== max throughput, wrk, 16 connections, ${seconds}s"
flood "$seconds" $(( seconds * 8000 ))
drain; rss
[ "${BENCH_FIXED_RATE:-true}" = true ] || exit 0
echo "== fixed rate 1000/s, ${seconds}s, open loop, raw sockets, pre-signed (latency from the scheduled send time)"
java bench/WebhookIngest.java --generate "$events" --count $(( seconds * 1000 )) --secret "$secret"
java bench/OpenLoopIngest.java --events "$events" --port $port --rate 1000 --seconds "$seconds" --connections 32
drain; rss
[ "${BENCH_HTTPCLIENT:-false}" = true ] || exit 0
echo "== fixed rate 1000/s, ${seconds}s, open loop, java.net.http.HttpClient signing each event (the earlier generator)"
java bench/WebhookIngest.java --url "http://127.0.0.1:$port/webhooks/stripe" --secret "$secret" \
  --connections 64 --seconds "$seconds" --rate 1000
drain; rss
