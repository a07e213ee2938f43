#!/usr/bin/env bash
# Live stream benchmark: starts the service in local mode (a throwaway durable PostgreSQL, see
# bench/durable-pg.sh, and local mode's embedded Redis; billing,
# worker and stream on; -Xmx384m so heap, metaspace and threads fit the 512 MiB RSS goal) on a
# loopback port, then runs bench/StreamBench.java twice:
#   1. latency: BENCH_TENANTS (20) tenants with one stream each; signed webhooks at BENCH_RATE (200)/s,
#      open loop; webhook received -> SSE frame at the client, p50/p90/p99/max;
#   2. many clients: BENCH_CLIENTS (2000) streams over BENCH_CLIENTS/20 tenants (the default
#      per-tenant cap is 20); service RSS with them open, then the same webhook load: ack latency,
#      frames delivered to every stream, latency, RSS.
#   bench/stream.sh [seconds per phase, default 30]
# BENCH_JAR=other.jar runs another build (no make); BENCH_JAVA_OPTS replaces -Xmx384m;
# BENCH_WARMUP=10 seconds of the latency load first, not reported (0 = none).
# Every phase exits non-zero when a frame is missing. Bounded in time; loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
rate="${BENCH_RATE:-200}"
tenants="${BENCH_TENANTS:-20}"
clients="${BENCH_CLIENTS:-2000}"
port=18100
secret="whsec_stream_bench_$(date +%s)"
jwt="stream-bench-jwt-secret-0123456789abcdef-0123"
jar="${BENCH_JAR:-service/target/billing-service.jar}"
[ -n "${BENCH_JAR:-}" ] || make -s build
# 2,000 streams are 2,000 sockets on each side
[ "$(ulimit -n)" -ge $(( clients * 2 + 1024 )) ] || ulimit -n $(( clients * 2 + 4096 )) 2>/dev/null \
  || { echo "raise the open-file limit (ulimit -n) to at least $(( clients * 2 + 1024 ))"; exit 1; }
# the data on a throwaway durable PostgreSQL (local mode's ephemeral one runs with fsync off);
# local mode still provides Redis
say() { printf '%s\n' "$*"; }
die() { say "bench: $*" >&2; exit 1; }
root_install() { [ "$(id -u)" = 0 ] || die "install $1 (apt-get install $1)"; apt-get install -y -qq "$1" >/dev/null; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
tmp="$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/billing-stream-bench.XXXXXX")"
pg_pid="" pid=""
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; [ -n "$pg_pid" ] && kill -INT $pg_pid 2>/dev/null || true; sleep 1; rm -rf "$tmp"' EXIT
. bench/durable-pg.sh
find_postgres
start_durable_pg 100
sql postgres "create database stream_bench" >/dev/null
say "durable PostgreSQL $(sql postgres "show server_version"): $(sql postgres "select string_agg(name || '=' || setting, ' ' order by name) from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes')")"
export BILLING_LOCAL_MODE=true BILLING_LOCAL_EPHEMERAL=true DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/stream_bench" \
  BILLING_ENV_DIR="$tmp" ENABLE_BILLING=true ENABLE_BILLING_STREAM=true PORT=$port AUTH_JWT_SECRET=$jwt \
  STRIPE_SECRET_KEY=sk_test_bench STRIPE_WEBHOOK_SECRET=$secret \
  STRIPE_PRODUCT_PRICE_MAP=bench=price_bench STRIPE_API_BASE=http://127.0.0.1:9 \
  BILLING_STREAM_MAX_CLIENTS=$(( clients + 100 ))
# (the instance cap sits above the measured clients: the previous phase's closed streams give their
# slots back only at their next ping, up to 15 s later)
log="$tmp/service.log"
java ${BENCH_JAVA_OPTS:--Xmx384m} -jar "$jar" serve >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.5
done
grep -m1 "Billing service settings" "$log" | sed 's/.*: //'
bench() { java bench/StreamBench.java --port $port --secret "$secret" --jwt-secret "$jwt" --pid $pid --rate "$rate" --seconds "$seconds" "$@"; }
status=0
# a fresh JVM compiles its hot paths during the first seconds: warm up before measuring
warmup="${BENCH_WARMUP:-10}"
if [ "$warmup" -gt 0 ]; then
  echo "== warmup: $tenants streams, webhooks at ${rate}/s for ${warmup}s (not reported)"
  bench --tenants "$tenants" --clients-per-tenant 1 --seconds "$warmup" >/dev/null || true
fi
echo "== latency: $tenants streams (1 per tenant), webhooks at ${rate}/s for ${seconds}s"
bench --tenants "$tenants" --clients-per-tenant 1 || status=1
echo "== $clients concurrent streams ($(( clients / 20 )) tenants x 20), webhooks at ${rate}/s for ${seconds}s"
bench --tenants $(( clients / 20 )) --clients-per-tenant 20 || status=1
exit $status
