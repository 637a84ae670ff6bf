#!/usr/bin/env bash
# Runs a command with a private PostgreSQL cluster: a fresh data directory, a free port
# on 127.0.0.1, trust authentication. The command gets the cluster's URL in
# GATEWAY_TEST_POSTGRES_URL; the cluster is stopped and removed when this script exits,
# whatever the command's result. Debian's own service (port 5432) is never used.
#   scripts/with-postgres.sh cargo test -p mass-updater-gateway
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

BIN=${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$BIN/initdb" ]; then
  echo "with-postgres: $BIN/initdb is missing; run scripts/setup.sh to install PostgreSQL." >&2
  exit 1
fi

DIR=$(mktemp -d /tmp/gateway-pg.XXXXXX)
# A free port: ask the kernel for one (node is installed by setup.sh), then hand it over.
PORT=$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')

if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$DIR"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

stop_cluster() {
  as_pg "$BIN/pg_ctl" -D "$DIR" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop_cluster EXIT INT TERM

as_pg "$BIN/initdb" -D "$DIR" -A trust -U postgres >"$DIR.initdb.log" 2>&1 || {
  cat "$DIR.initdb.log" >&2
  rm -f "$DIR.initdb.log"
  exit 1
}
rm -f "$DIR.initdb.log"
# max_connections: tests run in parallel, each with pools of their own.
as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" \
  -w start >/dev/null

export GATEWAY_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
echo "with-postgres: PostgreSQL on 127.0.0.1:$PORT (data in $DIR)" >&2
set +e
"$@"
status=$?
set -e
exit $status
