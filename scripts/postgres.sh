# Starts a throwaway PostgreSQL cluster for the tests on 127.0.0.1:$PG_PORT; sourced.
# Sets BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING and stops the server on exit.
PG_PORT="${PG_PORT:-5433}"

start_postgres() {
  local initdb pg_ctl
  initdb="$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
  pg_ctl="$(dirname "$initdb")/pg_ctl"
  PG_DIR="$(mktemp -d /tmp/devops-maturity-pg.XXXXXX)"
  local run=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DIR"; run=(su postgres -c); else run=(sh -c); fi
  "${run[@]}" "$initdb -D $PG_DIR/data -U postgres --auth=trust >/dev/null"
  "${run[@]}" "$pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' -l $PG_DIR/log -w start >/dev/null"
  trap 'stop_postgres' EXIT
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres@127.0.0.1:$PG_PORT"
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
  log "PostgreSQL $("$(dirname "$initdb")/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

stop_postgres() {
  local pg_ctl
  pg_ctl="$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)"
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -c "$pg_ctl -D $PG_DIR/data -m immediate stop" >/dev/null 2>&1 || true
  else
    "$pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
}
