#!/usr/bin/env bash
# Webhook benchmark, ours against the peer (@supabase/stripe-sync-engine 0.48.5) in one run, on one
# throwaway durable PostgreSQL (default fsync, synchronous_commit, full_page_writes), each side in
# its own database, with the same pre-signed invoice.paid events (signed by stripe-node). Per
# scenario (one busy tenant; events spread over many tenants):
#   1. ingest: wrk, closed loop, each pre-signed event sent once -> 2xx/s, ack p50/p99;
#   2. end to end: events stored and processed / time from the start of the load until the last one
#      is processed (ours: stripe_events.status = 'processed'; the peer upserts in the request);
#   3. ours only: open loop at a fixed rate -> ack p50/p99, received -> processed p50/p99;
#   plus CPU of the service, the peer, PostgreSQL and wrk per phase, and the service's RSS.
# Bounded in time, loopback only; every process it starts is stopped on exit.
#   bench/run.sh [seconds per measured phase, default 10]
# Options (environment): BENCH_SCENARIOS="1 1000" (tenants per scenario), BENCH_CONNECTIONS=16,
# BENCH_WARMUP=5 (seconds per side and scenario, 0 = none), BENCH_RATE=1000,
# BENCH_FIXED_RATE=true, BENCH_PEER=true, BENCH_EMBEDDED=false (adds the old non-durable embedded
# figure), BENCH_EVENTS_PER_SECOND=8000 (events written per second of wrk load), BENCH_XMX=512m,
# BENCH_JAR=other.jar (A/B of two builds; no make), BENCH_JAVA_OPTS, BENCH_DRAIN_TIMEOUT=300,
# BENCH_PG_MAX_CONNECTIONS=200, BENCH_PG_STATS (non-empty: print each side's top statements from
# pg_stat_statements), BENCH_TMPDIR (where the data directory goes; default $TMPDIR or /tmp).
# The service's pipeline settings pass through: BILLING_WORKER_*, BILLING_WEBHOOK_*, DATABASE_POOL_SIZE.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-10}"
scenarios="${BENCH_SCENARIOS:-1 1000}"
connections="${BENCH_CONNECTIONS:-16}"
warmup="${BENCH_WARMUP:-5}"
rate="${BENCH_RATE:-1000}"
per_second="${BENCH_EVENTS_PER_SECOND:-8000}"
drain_timeout="${BENCH_DRAIN_TIMEOUT:-300}"
peer_version=0.48.5
jar="${BENCH_JAR:-service/target/billing-service.jar}"
ours_secret="whsec_bench_ours_$(date +%s)"
peer_secret="whsec_bench_peer_$(date +%s)"
jwt="bench-jwt-secret-0123456789abcdef-0123456789"
run="b$(date +%H%M%S)"
hz="$(getconf CLK_TCK)"
TIMEFORMAT='%U %S'

say() { printf '%s\n' "$*"; }
die() { say "bench: $*" >&2; exit 1; }
calc() { LC_ALL=C awk "BEGIN { printf \"%.${2:-1}f\", ($1) }"; } # (a > b) is a comparison, not a redirection

# --- prerequisites ------------------------------------------------------------------------------
root_install() { # package: apt when missing and running as root
  [ "$(id -u)" = 0 ] || die "install $1 (apt-get install $1)"
  apt-get install -y -qq "$1" >/dev/null
}
command -v wrk >/dev/null || root_install wrk
command -v node >/dev/null || die "install Node.js 18+ and npm"
. bench/durable-pg.sh
find_postgres
if [ "$(node -p "require('./bench/peer/node_modules/@supabase/stripe-sync-engine/package.json').version" 2>/dev/null)" != "$peer_version" ]; then
  npm ci --prefix bench/peer --no-audit --no-fund --loglevel=error >/dev/null
fi
[ -n "${BENCH_JAR:-}" ] || make -s build
[ -f "$jar" ] || die "no jar at $jar"
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"

# --- processes: every one is recorded here and stopped on exit -----------------------------------
tmp="$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/billing-bench.XXXXXX")"
mkdir -p "$tmp/env" # an empty BILLING_ENV_DIR: no .env/.env.local of the worktree leaks into a run
pg_pid="" durable_pg_pid="" svc_pid="" peer_pid="" sampler_pid="" embedded_dir="" embedded_settings="?"
stop_pid() { # pid [signal] [seconds]: stop one process we started, KILL if it outlives the grace period
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
  stop_pid "$sampler_pid" TERM 2
  stop_pid "$svc_pid"
  stop_pid "$peer_pid"
  # the embedded PostgreSQL of BENCH_EMBEDDED daemonizes: if the JVM could not stop it, its data
  # directory (ours alone, under $tmp) names it
  if [ -n "$embedded_dir" ]; then
    for p in $(pgrep -f -- "$embedded_dir" || true); do stop_pid "$p" INT 10; done
  fi
  stop_pid "${durable_pg_pid:-$pg_pid}" INT 30 # fast shutdown (pg_pid while it was starting)
  if [ "$status" != 0 ]; then
    local logs
    logs="$(mktemp -d /tmp/billing-bench-logs.XXXXXX)"
    cp "$tmp"/*.log "$logs"/ 2>/dev/null || true
    say "bench: failed; logs kept in $logs" >&2
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() { # the postmaster (with the children it has reaped) and its live children: this server only
  local t p
  t="$(awk '{ sub(/.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$pg_pid/stat" 2>/dev/null || echo 0)"
  for p in $(pgrep -P "$pg_pid" || true); do t=$(( t + $(ticks "$p") )); done
  echo "$t"
}
cpu_s() { calc "($2 - $1) / $hz" 1; } # ticks before, after -> seconds
rss_mib() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
sample_rss() { # pid file: the highest RSS seen, every 0.2 s, until stopped
  local max=0 r
  while kill -0 "$1" 2>/dev/null; do
    r="$(rss_mib "$1")"; [ "$r" -gt "$max" ] && max="$r" && echo "$max" >"$2"
    sleep 0.2
  done
}
wait_http() { # url pid log: until it answers 2xx, at most 120 s
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || { tail -40 "$3" >&2; die "process $2 exited before $1 answered"; }
    sleep 0.5
  done
  tail -40 "$3" >&2; die "$1 did not answer within 120 s"
}

# --- the durable PostgreSQL ---------------------------------------------------------------------
# stopped on exit through durable_pg_pid; pg_pid names whichever server a phase measures
start_durable_pg "${BENCH_PG_MAX_CONNECTIONS:-200}"
durable_pg_pid="$pg_pid" durable_pg_port="$pg_port"
durability="$(sql postgres "select string_agg(name || '=' || current_setting(name), ' ' order by name) from pg_settings
  where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers', 'max_wal_size',
                 'checkpoint_timeout', 'max_connections', 'wal_level')")"
problems=()
for setting in fsync=on synchronous_commit=on full_page_writes=on; do
  [[ " $durability " == *" $setting "* ]] || problems+=("durable PostgreSQL: $setting expected, got: $durability")
done

say "== durable PostgreSQL: $(sql postgres "show server_version") ($pg_bin), 127.0.0.1:$pg_port," \
  "data on $(findmnt -n -o FSTYPE -T "$tmp") at $tmp"
say "   $durability"
[ "$(findmnt -n -o FSTYPE -T "$tmp")" != tmpfs ] || say "   WARNING: the data directory is on tmpfs: fsync costs nothing there (set BENCH_TMPDIR)"
say "== ours: $jar, -Xmx${BENCH_XMX:-512m}${BENCH_JAVA_OPTS:+ $BENCH_JAVA_OPTS}; pipeline settings:" \
  "$(env | grep -E '^(BILLING_WORKER_|BILLING_WEBHOOK_|DATABASE_POOL_SIZE)' | sort | tr '\n' ' ' || true)(others: defaults)"
say "== peer: @supabase/stripe-sync-engine $peer_version, node $(node --version), pg pool 16, backfillRelatedEntities false"
say "== load: wrk 1 thread, $connections connections, ${seconds} s per phase, warmup ${warmup} s per side;" \
  "invoice.paid events signed by stripe-node $(node -p "require('./bench/peer/node_modules/stripe/package.json').version")"
say "   (uptime: $(uptime | sed 's/.*load average/load average/'), $(nproc) cores: figures taken on a busy box are noise)"

# --- the two sides ------------------------------------------------------------------------------
declare -A R # results: R[tenants:side:measure]
check() { "${@:2}" || problems+=("$1"); }

serve() { # port log variables…: the service jar with fake Stripe settings (invoice.paid never calls
  # Stripe; STRIPE_API_BASE is a closed port), the caller's pipeline settings and these variables
  local port="$1" log="$2"; shift 2
  env -u DATABASE_URL -u REDIS_URL -u BILLING_EVENTS_REDIS_URL -u ENABLE_BILLING_STREAM -u BILLING_LOCAL_MODE \
    -u BILLING_LOCAL_EPHEMERAL -u BILLING_LOCAL_DIR -u SPRING_PROFILES_ACTIVE \
    BILLING_ENV_DIR="$tmp/env" PORT="$port" ENABLE_BILLING=true AUTH_JWT_SECRET="$jwt" \
    STRIPE_SECRET_KEY=sk_test_bench STRIPE_WEBHOOK_SECRET="$ours_secret" STRIPE_PRODUCT_PRICE_MAP=bench=price_bench \
    STRIPE_API_BASE=http://127.0.0.1:9 "$@" \
    java "-Xmx${BENCH_XMX:-512m}" ${BENCH_JAVA_OPTS:-} -jar "$jar" serve >"$log" 2>&1 &
  svc_pid=$!
  wait_http "http://127.0.0.1:$port/actuator/health" "$svc_pid" "$log"
}
start_ours() { # database port log: on the durable server (so not local mode)
  serve "$2" "$3" DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/$1"
}
start_embedded() { # directory port log: local mode with its embedded PostgreSQL, as bench/run.sh did before
  embedded_dir="$1"
  serve "$2" "$3" BILLING_LOCAL_DIR="$1" LOCAL_POSTGRES_PORT="$embedded_pg_port" LOCAL_REDIS_PORT="$(free_port)" \
    LOCAL_STRIPE_PORT="$(free_port)"
}
start_peer() { # database port log: its migrations, then the server
  PEER_DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/$1" PEER_WEBHOOK_SECRET="$peer_secret" PEER_PORT="$2" \
    node bench/peer/server.mjs >"$3" 2>&1 &
  peer_pid=$!
  wait_http "http://127.0.0.1:$2/health" "$peer_pid" "$3"
}

events() { # file count tenants tag secret: written right before use (signatures expire after 300 s)
  timeout 300 node bench/peer/events.mjs --out "$1" --count "$2" --tenants "$3" --tag "$4" --secret "$5" \
    --created "$created" >"$tmp/events.out"
  event_bytes="$(sed 's/.*body_bytes_avg=//' "$tmp/events.out")"
}

# ours: counts of the events with this tag, "stored processed failed other last_processed_epoch"
ours_counts() {
  sql "$1" "select count(*), count(*) filter (where status = 'processed'), count(*) filter (where status = 'failed'),
      count(*) filter (where status not in ('processed', 'failed')), coalesce(extract(epoch from max(processed_at)), 0)
    from stripe_events where stripe_event_id like 'evt_$2%'" | tr '|' ' '
}
drain_ours() { # database tag: until every stored event of the tag is processed (or failed), twice in a row;
  # sets counts
  local previous="" other deadline=$(( $(date +%s) + drain_timeout ))
  while :; do
    counts="$(ours_counts "$1" "$2")"
    other="$(echo "$counts" | awk '{ print $4 }')"
    [ "$other" = 0 ] && [ "$counts" = "$previous" ] && break
    previous="$counts"
    if [ "$(date +%s)" -ge "$deadline" ]; then
      problems+=("ours ($1, $2): $other events still unprocessed after ${drain_timeout} s")
      say "   not drained after ${drain_timeout} s: $(sql "$1" "select string_agg(status || '=' || n, ' ') from (select status, count(*) n from stripe_events where stripe_event_id like 'evt_$2%' group by status) s")"
      break
    fi
    sleep 0.25
  done
}
peer_rows() { # database tag: its invoices of the tag, once the count holds still; sets rows and last,
  # the time of the last upsert (updated_at: timezone('utc', now()), hence the server's timezone=UTC)
  local previous=""
  for _ in $(seq 1 40); do
    read -r rows last <<<"$(sql "$1" "select count(*), coalesce(extract(epoch from max(updated_at)), 0)
      from stripe.invoices where id like 'in_$2%'" | tr '|' ' ')"
    [ "$rows" = "$previous" ] && break
    previous="$rows"; sleep 0.25
  done
}

# wrk with the side's pre-signed events; sets w_* (wrk's figures), t_start and t_end (wall clock of
# the load: wrk's first request, plus wrk's duration; loading the file comes before), the CPU of the
# load (cpu_app, cpu_pg, cpu_wrk) and rss_max.
flood() { # side pid url file
  local side="$1" pid="$2" url="$3" file="$4" c_app c_pg line wrk_cpu field
  sql postgres "checkpoint" >/dev/null # each side starts from a clean checkpoint
  c_app="$(ticks "$pid")"; c_pg="$(pg_ticks)"
  rm -f "$tmp/rss"; sample_rss "$pid" "$tmp/rss" & sampler_pid=$!
  wrk_cpu="$( { time EVENTS="$file" timeout $(( seconds + 120 )) wrk -t1 -c"$connections" \
    -d"${seconds}s" --timeout 10s -s bench/ingest.lua "$url" >"$tmp/wrk.log" 2>&1; } 2>&1 )" \
    || { cat "$tmp/wrk.log" >&2; die "wrk failed"; }
  cpu_app="$(cpu_s "$c_app" "$(ticks "$pid")")"; cpu_pg="$(cpu_s "$c_pg" "$(pg_ticks)")"
  cpu_wrk="$(calc "$(echo "$wrk_cpu" | awk '{ print $1 + $2 }')" 1)"
  stop_pid "$sampler_pid" TERM 2; sampler_pid=""
  rss_max="$(cat "$tmp/rss" 2>/dev/null || echo 0)"
  line="$(grep '^ingest:' "$tmp/wrk.log")" || { cat "$tmp/wrk.log" >&2; die "no result from wrk"; }
  for field in sent answered ok non2xx resent socket_errors timeouts started_epoch duration_s ok_per_s p50_ms p99_ms; do
    printf -v "w_$field" '%s' "$(echo "$line" | grep -o " $field=[^ ]*" | cut -d= -f2)"
  done
  t_start="$w_started_epoch" t_end="$(calc "$w_started_epoch + $w_duration_s" 3)"
  say "   $side: ${w_ok_per_s} 2xx/s (events of ~$event_bytes bytes; $w_ok of $w_answered answered, $w_sent sent, non-2xx $w_non2xx," \
    "socket errors $w_socket_errors, timeouts $w_timeouts, resent $w_resent), ack p50 $w_p50_ms ms, p99 $w_p99_ms ms;" \
    "CPU: $side $cpu_app s, PostgreSQL $cpu_pg s, wrk $cpu_wrk s"
  check "$side: $w_non2xx non-2xx answers, $w_socket_errors socket errors, $w_timeouts timeouts" \
    test "$w_non2xx$w_socket_errors$w_timeouts" = 000
  check "$side: the event file ran out ($w_resent resent): raise BENCH_EVENTS_PER_SECOND" test "$w_resent" = 0
}

# ours at full load: ingest, then the drain; records R[$tenants:ours:*]
max_ours() { # database port tag tenants key
  local db="$1" port="$2" tag="$3" tenants="$4" key="$5" stored processed failed last end c_app c_pg invoices
  events "$tmp/events.txt" $(( seconds * per_second )) "$tenants" "$tag" "$ours_secret"
  stats_reset "$db"
  flood ours "$svc_pid" "http://127.0.0.1:$port/webhooks/stripe" "$tmp/events.txt"
  c_app="$(ticks "$svc_pid")"; c_pg="$(pg_ticks)"
  drain_ours "$db" "$tag"
  read -r stored processed failed _ last <<<"$counts"
  stats_top "$db" "ours (load and drain)"
  end="$(calc "($last > $t_end) ? $last : $t_end" 3)"
  invoices="$(sql "$db" "select count(*) from billing_invoices where stripe_invoice_id like 'in_$tag%'")"
  R[$key:ingest]="$w_ok_per_s"; R[$key:p50]="$w_p50_ms"; R[$key:p99]="$w_p99_ms"
  R[$key:e2e]="$(calc "$processed / ($end - $t_start)" 1)"
  R[$key:drain]="$(calc "($last > $t_end) ? $last - $t_end : 0" 1)"
  R[$key:counts]="$stored/$processed"
  R[$key:cpu_load]="$cpu_app / $cpu_pg / $cpu_wrk"
  R[$key:cpu_drain]="$(cpu_s "$c_app" "$(ticks "$svc_pid")") / $(cpu_s "$c_pg" "$(pg_ticks)")"
  R[$key:rss]="$rss_max / $(rss_mib "$svc_pid")"
  say "   ours: $stored stored, $processed processed, $failed failed, $invoices invoices;" \
    "end to end ${R[$key:e2e]}/s, drained ${R[$key:drain]} s after the load"
  check "ours: $stored stored, but $w_ok acknowledged and $w_sent sent" test "$stored" -ge "$w_ok" -a "$stored" -le "$w_sent"
  check "ours: $processed of $stored stored events processed ($failed failed)" test "$processed" = "$stored"
  check "ours: $invoices invoices for $processed processed invoice.paid events" test "$invoices" = "$processed"
}

max_peer() { # database port tag tenants key
  local db="$1" port="$2" tag="$3" tenants="$4" key="$5" rows last end
  events "$tmp/events.txt" $(( seconds * per_second )) "$tenants" "$tag" "$peer_secret"
  stats_reset "$db"
  flood peer "$peer_pid" "http://127.0.0.1:$port/webhooks/stripe" "$tmp/events.txt"
  peer_rows "$db" "$tag"
  stats_top "$db" "the peer"
  # it upserts in the request: stored and processed when its upsert ran (the requests still in
  # flight when wrk stopped finish a little after the load, as ours may)
  end="$(calc "($last > $t_end) ? $last : $t_end" 3)"
  R[$key:ingest]="$w_ok_per_s"; R[$key:p50]="$w_p50_ms"; R[$key:p99]="$w_p99_ms"
  R[$key:e2e]="$(calc "$rows / ($end - $t_start)" 1)"
  R[$key:drain]="$(calc "($last > $t_end) ? $last - $t_end : 0" 1)"; R[$key:counts]="$rows/$rows"
  R[$key:cpu_load]="$cpu_app / $cpu_pg / $cpu_wrk"; R[$key:cpu_drain]="-"
  R[$key:rss]="$rss_max / $(rss_mib "$peer_pid")"
  say "   peer: $rows invoices stored; end to end ${R[$key:e2e]}/s"
  check "peer: $rows invoices stored, but $w_ok acknowledged and $w_sent sent" test "$rows" -ge "$w_ok" -a "$rows" -le "$w_sent"
}

warm() { # side pid port tenants secret database
  [ "$warmup" -gt 0 ] || return 0
  local tag="${run}w$1"
  events "$tmp/events.txt" $(( warmup * per_second )) "$4" "$tag" "$5"
  EVENTS="$tmp/events.txt" timeout $(( warmup + 120 )) wrk -t1 -c"$connections" \
    -d"${warmup}s" --timeout 10s -s bench/ingest.lua "http://127.0.0.1:$3/webhooks/stripe" >"$tmp/wrk.log" 2>&1 \
    || { cat "$tmp/wrk.log" >&2; die "wrk failed"; }
  say "   warmup $1: $(grep -o 'ok_per_s=[^ ]*' "$tmp/wrk.log" | cut -d= -f2) 2xx/s over ${warmup} s"
  [ "$1" != ours ] || drain_ours "$6" "$tag"
}

fixed_ours() { # database port tag tenants key: open loop at $rate/s, then received -> processed
  local db="$1" port="$2" tag="$3" tenants="$4" key="$5" out latency n p50 p99 max c_app c_pg
  events "$tmp/events.txt" $(( seconds * rate )) "$tenants" "$tag" "$ours_secret"
  sql postgres "checkpoint" >/dev/null
  c_app="$(ticks "$svc_pid")"; c_pg="$(pg_ticks)"
  out="$(timeout $(( seconds * 10 + 120 )) java bench/OpenLoopIngest.java --events "$tmp/events.txt" --port "$port" \
    --rate "$rate" --seconds "$seconds" --connections 32)" || { say "$out" >&2; die "OpenLoopIngest failed"; }
  drain_ours "$db" "$tag"
  R[$key:fixed_cpu]="$(cpu_s "$c_app" "$(ticks "$svc_pid")") / $(cpu_s "$c_pg" "$(pg_ticks)")"
  R[$key:fixed_ack]="$(echo "$out" | grep -o 'p50=[0-9.]*' | cut -d= -f2) / $(echo "$out" | grep -o 'p99=[0-9.]*' | cut -d= -f2)"
  latency="$(sql "$db" "select count(*), round((1000 * percentile_cont(0.5) within group (order by extract(epoch from processed_at - received_at)))::numeric, 1),
      round((1000 * percentile_cont(0.99) within group (order by extract(epoch from processed_at - received_at)))::numeric, 1),
      round((1000 * max(extract(epoch from processed_at - received_at)))::numeric, 1)
    from stripe_events where stripe_event_id like 'evt_$tag%' and status = 'processed'" | tr '|' ' ')"
  read -r n p50 p99 max <<<"$latency"
  R[$key:fixed_lag]="$p50 / $p99"
  R[$key:fixed_rss]="$(rss_mib "$svc_pid")"
  say "   ours at ${rate}/s: $(echo "$out" | head -1 | sed 's/^open loop: //'); $(echo "$out" | grep '^statuses')"
  say "   ours at ${rate}/s: ack $(echo "$out" | grep '^latency')"
  say "   ours at ${rate}/s: received -> processed of $n events: p50 $p50 ms, p99 $p99 ms, max $max ms"
  local expected=$(( seconds * rate ))
  check "ours at ${rate}/s: answers $(echo "$out" | grep '^statuses'), expected {200=$expected}" \
    test "$(echo "$out" | grep '^statuses')" = "statuses={200=$expected}"
  check "ours at ${rate}/s: $n of $expected events processed" test "$n" = "$expected"
}

gauge() { # port: the service's own backlog gauge, as a cross-check of the psql polling
  curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$1/actuator/prometheus" \
    | awk '/^stripe_events_oldest_unprocessed_age_seconds/ { print $2 }'
}

token="$(env BILLING_ENV_DIR="$tmp/env" AUTH_JWT_SECRET="$jwt" java -jar "$jar" token --role operator --ttl 1d 2>/dev/null | tail -1 || true)"
created="$(date +%s)"
for tenants in $scenarios; do
  label="$tenants tenants"; [ "$tenants" = 1 ] && label="1 tenant (one busy tenant)"
  say ""
  say "== scenario: $label"
  db_ours="ours_t$tenants"; db_peer="peer_t$tenants"
  sql postgres "create database $db_ours" >/dev/null
  port_ours="$(free_port)"
  start_ours "$db_ours" "$port_ours" "$tmp/service-t$tenants.log"
  if [ "${BENCH_PEER:-true}" = true ]; then
    sql postgres "create database $db_peer" >/dev/null
    port_peer="$(free_port)"
    start_peer "$db_peer" "$port_peer" "$tmp/peer-t$tenants.log"
  fi
  warm ours "$svc_pid" "$port_ours" "$tenants" "$ours_secret" "$db_ours"
  [ "${BENCH_PEER:-true}" != true ] || warm peer "$peer_pid" "$port_peer" "$tenants" "$peer_secret" "$db_peer"
  say "-- ingest and end to end, wrk ${seconds} s"
  max_ours "$db_ours" "$port_ours" "${run}t${tenants}m" "$tenants" "$tenants:ours"
  [ "${BENCH_PEER:-true}" != true ] || max_peer "$db_peer" "$port_peer" "${run}t${tenants}m" "$tenants" "$tenants:peer"
  if [ "${BENCH_FIXED_RATE:-true}" = true ]; then
    say "-- ours at a fixed ${rate} events/s, ${seconds} s, open loop over 32 raw sockets (latency from the scheduled send)"
    fixed_ours "$db_ours" "$port_ours" "${run}t${tenants}f" "$tenants" "$tenants:ours"
  fi
  say "   ours: backlog gauge stripe_events_oldest_unprocessed_age_seconds = $(gauge "$port_ours" || echo '?')"
  stop_pid "$svc_pid"; svc_pid=""
  stop_pid "$peer_pid"; peer_pid=""
  if [ "${BENCH_EMBEDDED:-false}" = true ]; then
    say "-- ours on local mode's embedded PostgreSQL: the old figure, for reference only (not this server, not its settings)"
    embedded_pg_port="$(free_port)"; port_emb="$(free_port)"
    start_embedded "$tmp/embedded-t$tenants" "$port_emb" "$tmp/embedded-t$tenants.log"
    # its own server, not the durable one: psql and the CPU count go there for this phase
    pg_port="$embedded_pg_port"; pg_pid="$(head -1 "$tmp/embedded-t$tenants/postgres/postmaster.pid")"
    embedded_settings="$(sql postgres "select string_agg(name || '=' || current_setting(name), ' ' order by name)
      from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes')")"
    say "   embedded PostgreSQL on :$pg_port: $embedded_settings"
    warm ours "$svc_pid" "$port_emb" "$tenants" "$ours_secret" postgres
    max_ours postgres "$port_emb" "${run}t${tenants}e" "$tenants" "$tenants:embedded"
    pg_port="$durable_pg_port"; pg_pid="$durable_pg_pid"
    stop_pid "$svc_pid"; svc_pid=""
  fi
done

# --- the results, side by side ------------------------------------------------------------------
row() { # label measure [ratio]
  local ours="${R[$tenants:ours:$2]:--}" peer="${R[$tenants:peer:$2]:--}" ratio="-"
  if [ "${3:-}" = ratio ] && [ "$ours" != - ] && [ "$peer" != - ] && [ "$(calc "$peer > 0" 0)" = 1 ]; then
    ratio="$(calc "$ours / $peer" 2)"
  fi
  printf '%-58s %16s %16s %9s\n' "$1" "$ours" "$peer" "$ratio"
}
say ""
say "== results: durable PostgreSQL ($durability)"
for tenants in $scenarios; do
  label="$tenants tenants"; [ "$tenants" = 1 ] && label="1 tenant"
  say ""
  printf '%-58s %16s %16s %9s\n' "-- $label" ours peer ours/peer
  row "ingest, wrk $connections connections ${seconds} s: 2xx/s" ingest ratio
  row "  acknowledgement p50, ms" p50 ratio
  row "  acknowledgement p99, ms" p99 ratio
  row "end to end, stored and processed: events/s" e2e ratio
  row "  events stored / processed" counts
  row "  drain after the load, s" drain
  row "CPU s during the load: ours or peer / PostgreSQL / wrk" cpu_load
  row "CPU s during the drain: service / PostgreSQL" cpu_drain
  row "RSS MiB: max during the load / after" rss
  if [ "${BENCH_FIXED_RATE:-true}" = true ]; then
    row "at ${rate}/s: acknowledgement p50 / p99, ms" fixed_ack
    row "at ${rate}/s: received -> processed p50 / p99, ms" fixed_lag
    row "at ${rate}/s: CPU s, load and drain: service / PostgreSQL" fixed_cpu
    row "at ${rate}/s: RSS MiB after" fixed_rss
  fi
  if [ "${BENCH_EMBEDDED:-false}" = true ]; then
    say "-- $label, ours on local mode's embedded PostgreSQL ($embedded_settings): for reference only, does not count"
    printf '%-58s %16s\n' "ingest, wrk $connections connections ${seconds} s: 2xx/s" "${R[$tenants:embedded:ingest]:--}"
    printf '%-58s %16s\n' "end to end, stored and processed: events/s" "${R[$tenants:embedded:e2e]:--}"
  fi
done
say ""
if [ "${#problems[@]}" -gt 0 ]; then
  say "== CHECKS FAILED:"
  printf '   %s\n' "${problems[@]}"
  exit 1
fi
say "== checks: every answer 2xx, every acknowledged event stored, every stored event processed, durable settings on"
