#!/usr/bin/env bash
# Usage intake benchmark (DESIGN §10: ≥ 3,000 POST /usage/s accepted, delivered with 0 lost and 0
# duplicated; p99 of the 202 at 500/s). The service runs on a throwaway durable PostgreSQL (Debian's
# postgresql package; default fsync, synchronous_commit, full_page_writes) with the Stripe emulator
# in-process (local mode: the catalogue with plan starter and the agent_run meter), usage sent
# through the v2 meter event stream. Phases, each with its own idempotency keys:
#   1. closed loop: BENCH_CONNECTIONS raw keep-alive sockets send reports for the given seconds -> 202/s;
#   2. open loop at BENCH_RATE/s -> p50/p99/p99.9 of the 202 from each report's scheduled send time;
#   3. verify: once the outbox has drained, the service's reported total and the emulator's meter
#      total (summed over every customer) must both equal the number of 202s: 0 lost, 0 duplicated.
# Bounded in time, loopback only; every process it starts is stopped on exit.
#   bench/usage.sh [seconds per load phase, default 15]
# Options (environment): BENCH_TENANTS=100, BENCH_CONNECTIONS=32, BENCH_RATE=500, BENCH_XMX=512m,
# BENCH_JAR=other.jar (no make), BENCH_JAVA_OPTS, BENCH_TMPDIR (where the data directory goes),
# BENCH_DRAIN_TIMEOUT=300. BILLING_USAGE_* and DATABASE_POOL_SIZE pass through to the service.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-15}"
tenants="${BENCH_TENANTS:-100}"
connections="${BENCH_CONNECTIONS:-32}"
rate="${BENCH_RATE:-500}"
jar="${BENCH_JAR:-service/target/billing-service.jar}"
jwt="bench-jwt-secret-0123456789abcdef-0123456789"
run="u$(date +%H%M%S)"
hz="$(getconf CLK_TCK)"

say() { printf '%s\n' "$*"; }
die() { say "bench: $*" >&2; exit 1; }

# --- prerequisites ------------------------------------------------------------------------------
root_install() { [ "$(id -u)" = 0 ] || die "install $1 (apt-get install $1)"; apt-get install -y -qq "$1" >/dev/null; }
. bench/durable-pg.sh
find_postgres
[ -n "${BENCH_JAR:-}" ] || make -s build
[ -f "$jar" ] || die "no jar at $jar"

# --- processes: every one is recorded here and stopped on exit -----------------------------------
tmp="$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/billing-usage-bench.XXXXXX")"
mkdir -p "$tmp/env" # an empty BILLING_ENV_DIR: no .env/.env.local of the worktree leaks into a run
pg_pid="" svc_pid=""
stop_pid() { # pid [signal] [seconds]
  local pid="$1" signal="${2:-TERM}" grace="${3:-30}"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -"$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 $(( grace * 10 ))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$svc_pid"
  stop_pid "$pg_pid" INT 30
  if [ "$status" != 0 ]; then
    local logs; logs="$(mktemp -d /tmp/billing-usage-bench-logs.XXXXXX)"
    cp "$tmp"/*.log "$logs"/ 2>/dev/null || true
    say "bench: failed; logs kept in $logs" >&2
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() { # the postmaster (with the children it reaped) and its live children
  local t p
  t="$(awk '{ sub(/.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$pg_pid/stat" 2>/dev/null || echo 0)"
  for p in $(pgrep -P "$pg_pid" || true); do t=$(( t + $(ticks "$p") )); done
  echo "$t"
}
cpu_s() { LC_ALL=C awk "BEGIN { printf \"%.1f\", ($2 - $1) / $hz }"; }
rss_mib() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# --- the durable PostgreSQL ---------------------------------------------------------------------
start_durable_pg 200
durability="$(sql postgres "select string_agg(name || '=' || current_setting(name), ' ' order by name) from pg_settings
  where name in ('fsync', 'synchronous_commit', 'full_page_writes')")"
[ "$durability" = "fsync=on full_page_writes=on synchronous_commit=on" ] || die "PostgreSQL is not durable: $durability"
sql postgres "create database usage_bench" >/dev/null
say "== durable PostgreSQL $(sql postgres "show server_version") on 127.0.0.1:$pg_port ($durability)," \
  "data on $(findmnt -n -o FSTYPE -T "$tmp")"
[ "$(findmnt -n -o FSTYPE -T "$tmp")" != tmpfs ] || say "   WARNING: data on tmpfs: fsync costs nothing there (set BENCH_TMPDIR)"

# --- the service: local mode for the emulator and Redis, the durable server for data ------------
port="$(free_port)" stripe_port="$(free_port)"
env -u REDIS_URL -u BILLING_EVENTS_REDIS_URL -u ENABLE_BILLING -u SPRING_PROFILES_ACTIVE \
  BILLING_ENV_DIR="$tmp/env" BILLING_LOCAL_MODE=true BILLING_LOCAL_EPHEMERAL=true PORT="$port" \
  LOCAL_STRIPE_PORT="$stripe_port" DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/usage_bench" \
  AUTH_JWT_SECRET="$jwt" ENABLE_BILLING_STREAM=false \
  java "-Xmx${BENCH_XMX:-512m}" ${BENCH_JAVA_OPTS:-} -jar "$jar" serve >"$tmp/service.log" 2>&1 &
svc_pid=$!
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health" && break
  kill -0 "$svc_pid" 2>/dev/null || { tail -40 "$tmp/service.log" >&2; die "the service exited"; }
  sleep 0.5
done
grep -o "Usage outbox: .*" "$tmp/service.log" | head -1 | sed 's/^/== /'
say "== load: $tenants tenants, $connections connections, ${seconds} s per phase, 1 run per report," \
  "unique idempotency keys; $(uptime | sed 's/.*load average/load average/'), $(nproc) cores (a busy box is noise)"

load() { java bench/UsageLoad.java "$@" --port "$port" --tenants-file "$tmp/tenants.txt"; }
java bench/UsageLoad.java setup --port "$port" --secret "$jwt" --tenants "$tenants" --run "$run" --out "$tmp/tenants.txt"
accepted=0
phase() { # name args…: one load phase with the CPU it cost
  local c_svc c_pg out
  sql postgres "checkpoint" >/dev/null
  c_svc="$(ticks "$svc_pid")" c_pg="$(pg_ticks)"
  out="$(load "${@:2}")"
  say "== $1"; say "$out" | sed 's/^/   /'
  say "   CPU: service (with the emulator) $(cpu_s "$c_svc" "$(ticks "$svc_pid")") s, PostgreSQL $(cpu_s "$c_pg" "$(pg_ticks)") s;" \
    "service RSS $(rss_mib "$svc_pid") MiB"
  accepted=$(( accepted + $(say "$out" | sed -n 's/^accepted=//p') ))
}
phase "max throughput, closed loop" closed --seconds "$seconds" --connections "$connections" --run "${run}c"
phase "fixed rate ${rate}/s, open loop" open --seconds "$seconds" --rate "$rate" --connections "$connections" --run "${run}o"
say "== delivery to the emulator (v2 meter event stream)"
c_svc="$(ticks "$svc_pid")"
status=0
load verify --stripe "http://127.0.0.1:$stripe_port" --accepted "$accepted" --timeout "${BENCH_DRAIN_TIMEOUT:-300}" \
  >"$tmp/verify.out" || status=$?
sed 's/^/   /' "$tmp/verify.out"
say "   outbox in the database: $(sql usage_bench "select string_agg(status || '=' || n, ' ') from
  (select status, count(*) n from usage_records group by status) s"); delivery CPU $(cpu_s "$c_svc" "$(ticks "$svc_pid")") s"
exit "$status"
