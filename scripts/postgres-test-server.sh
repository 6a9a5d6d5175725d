# Sourced by scripts/test.sh: starts a throwaway PostgreSQL server on loopback, exports DATABASE_URL, and stops the
# server (removing its files) when the calling shell exits. Installs PostgreSQL from Debian's packages if missing.

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "== installing PostgreSQL from Debian's packages"
  as_root=""
  [ "$(id -u)" -eq 0 ] || as_root="sudo"
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

pg_dir=$(mktemp -d /tmp/wangge-pg.XXXXXX)
pg_port=${WANGGE_PG_PORT:-55432}
while (echo >/dev/tcp/127.0.0.1/"$pg_port") 2>/dev/null; do pg_port=$((pg_port + 1)); done

# PostgreSQL refuses to run as root: run it as the postgres user when we are root.
pg_run() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown -R postgres "$pg_dir"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_stop() {
  pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap pg_stop EXIT

pg_run "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U wangge -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 \
  || { cat "$pg_dir/initdb.log"; exit 1; }
pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
  || { cat "$pg_dir/server.log"; exit 1; }
pg_run "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U wangge -d postgres -qc "CREATE DATABASE wangge_test" >/dev/null

export DATABASE_URL="postgres://wangge:wangge@127.0.0.1:$pg_port/wangge_test"
echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
