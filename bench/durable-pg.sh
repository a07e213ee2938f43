# Sourced by bench/run.sh and bench/usage.sh: Debian's PostgreSQL (installed when missing and running
# as root) and a throwaway durable server of its own (default fsync, synchronous_commit,
# full_page_writes). The caller defines die, root_install, free_port and $tmp (the server's data
# goes to $tmp/pg) and stops $pg_pid on exit.

# pg_bin: the newest installed server's binaries
find_postgres() {
  command -v psql >/dev/null || root_install postgresql-client
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$pg_bin" ]; then
    if [ "$(id -u)" = 0 ]; then # no "main" cluster: the bench starts its own server, nothing may stay behind
      mkdir -p /etc/postgresql-common/createcluster.d
      echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/billing-bench.conf
    fi
    root_install postgresql
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
}

sql() { psql -X -qAt -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -c "$2"; }

# statement profile (BENCH_PG_STATS=true): pg_stat_statements loaded; stats_reset and stats_top
stats_reset() { [ -z "${BENCH_PG_STATS:-}" ] || sql "$1" "create extension if not exists pg_stat_statements; select pg_stat_statements_reset()" >/dev/null; }
stats_top() { # database label: the statements of that database by total execution time
  [ -n "${BENCH_PG_STATS:-}" ] || return 0
  say "   PostgreSQL statements of $2 (pg_stat_statements: calls, rows, total ms, mean ms, query):"
  sql "$1" "select calls, rows, round(total_exec_time), round(mean_exec_time::numeric, 3),
      regexp_replace(left(query, 110), '\s+', ' ', 'g')
    from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
    order by total_exec_time desc limit 12" | sed 's/^/     /'
}

# start_durable_pg max_connections: sets pg_port and pg_pid (the postmaster itself) once it answers
start_durable_pg() {
  local as_pg
  pg_port="$(free_port)"
  if [ "$(id -u)" != 0 ]; then
    as_pg=()
  elif unshare -Uu true 2>/dev/null; then
    as_pg=(unshare -Uu) # a user namespace where we are not uid 0: PostgreSQL refuses to run as root
  elif id postgres >/dev/null 2>&1; then
    as_pg=(runuser -u postgres --)
    mkdir -p "$tmp/pg"; chown postgres "$tmp/pg"; chmod 711 "$tmp"
  else
    die "running as root without unshare -U or a postgres user: PostgreSQL will not start"
  fi
  "${as_pg[@]}" "$pg_bin/initdb" -D "$tmp/pg/data" -U postgres -A trust -E UTF8 --locale=C >"$tmp/initdb.log" 2>&1 \
    || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }
  # defaults, except: loopback only, the connections asked for, the socket in our directory, UTC
  "${as_pg[@]}" "$pg_bin/postgres" -D "$tmp/pg/data" -p "$pg_port" -k "$tmp/pg" -c listen_addresses=127.0.0.1 \
    -c "max_connections=$1" -c timezone=UTC ${BENCH_PG_STATS:+-c shared_preload_libraries=pg_stat_statements} \
    >"$tmp/postgres.log" 2>&1 &
  pg_pid=$!
  export PGCONNECT_TIMEOUT=5
  for _ in $(seq 1 60); do sql postgres "select 1" >/dev/null 2>&1 && break; kill -0 "$pg_pid" 2>/dev/null || break; sleep 0.5; done
  sql postgres "select 1" >/dev/null || { cat "$tmp/postgres.log" >&2; die "PostgreSQL did not start"; }
  pg_pid="$(head -1 "$tmp/pg/data/postmaster.pid")" # runuser forks: the postmaster itself
}
