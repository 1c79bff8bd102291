# shellcheck shell=bash
# PostgreSQL for the local stack: the machine's own server on 127.0.0.1:PG_PORT, with role
# PG_ROLE owning databases PG_DATABASE (services) and PG_TEST_DATABASE (tests); the values are in
# stack.env. Source after common.sh.

PG_PORT=${IOTCORE_PG_PORT:-$PG_PORT}
PG_DATABASES=("$PG_DATABASE" "$PG_TEST_DATABASE")

pg_ready() { pg_isready -q -h "$STACK_HOST" -p "$PG_PORT" 2>/dev/null; }

# psql as the postgres superuser over the local socket (peer auth: works whatever pg_hba says
# about TCP).
pg_superuser_psql() {
  runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"
}

# The cluster listening on PG_PORT, as "VERSION NAME", from pg_lsclusters.
pg_cluster() {
  pg_lsclusters --no-header 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }'
}

pg_up() {
  if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_cluster)" ]; then
    apt_install postgresql
  fi
  need_command pg_isready postgresql-client
  if pg_ready; then
    log "PostgreSQL: already running on $STACK_HOST:$PG_PORT"
  else
    local cluster
    cluster=$(pg_cluster)
    [ -n "$cluster" ] || die "PostgreSQL is installed but no cluster uses port $PG_PORT (pg_lsclusters)"
    log "PostgreSQL: starting cluster $cluster"
    # shellcheck disable=SC2086 # "VERSION NAME" splits into two arguments on purpose
    (without_inherited_fds pg_ctlcluster --skip-systemctl-redirect $cluster start)
    record_started postgresql
    local deadline=$(($(now) + 60))
    until pg_ready; do
      [ "$(now)" -lt "$deadline" ] || die "PostgreSQL did not accept connections on $STACK_HOST:$PG_PORT within 60 s"
      sleep 1
    done
  fi
  pg_provision
}

# The core updates task rows on every lifecycle. Without autovacuum its tables and indexes only grow,
# and a service keeps the plans it made while they were small: a read of tasks by id stayed a scan of
# the whole table (docs/benchmarks-profile.md). A server that runs with autovacuum off gets it on
# (ALTER SYSTEM and a reload, no restart).
pg_autovacuum_on() {
  [ "$(pg_superuser_psql -tAc 'SHOW autovacuum')" = on ] && return 0
  log "PostgreSQL: autovacuum is off on this server; turning it on (ALTER SYSTEM SET autovacuum = on)"
  pg_superuser_psql -c 'ALTER SYSTEM SET autovacuum = on' -c 'SELECT pg_reload_conf()' >/dev/null
  local deadline=$(($(now) + 10))
  until [ "$(pg_superuser_psql -tAc 'SHOW autovacuum')" = on ]; do
    [ "$(now)" -lt "$deadline" ] || die "PostgreSQL: autovacuum still off 10 s after the reload"
    sleep 0.2
  done
}

pg_provision() {
  pg_autovacuum_on
  pg_superuser_psql <<SQL
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '$PG_ROLE', '$PG_PASSWORD')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE')\gexec
ALTER ROLE $PG_ROLE LOGIN PASSWORD '$PG_PASSWORD';
$(for db in "${PG_DATABASES[@]}"; do
    printf "SELECT format('CREATE DATABASE %%I OWNER %%I', '%s', '%s') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '%s')\\\\gexec\n" "$db" "$PG_ROLE" "$db"
    printf "ALTER DATABASE %s OWNER TO %s;\n" "$db" "$PG_ROLE"
  done)
SQL
  local db
  for db in "${PG_DATABASES[@]}"; do
    PGPASSWORD=$PG_PASSWORD psql -X -q -h "$STACK_HOST" -p "$PG_PORT" -U "$PG_ROLE" -d "$db" -tAc 'SELECT 1' >/dev/null \
      || die "PostgreSQL: cannot log in as $PG_ROLE to database $db over $STACK_HOST:$PG_PORT"
  done
  log "PostgreSQL: role $PG_ROLE and databases ${PG_DATABASES[*]} ready (login over TCP checked)"
}

pg_down() {
  if was_started postgresql; then
    local cluster
    cluster=$(pg_cluster)
    if [ -n "$cluster" ] && pg_ready; then
      log "PostgreSQL: stopping cluster $cluster (this script started it)"
      # shellcheck disable=SC2086
      pg_ctlcluster --skip-systemctl-redirect $cluster stop
    fi
    forget_started postgresql
  else
    log "PostgreSQL: left running (not started by this script)"
  fi
}

pg_status() {
  if pg_ready; then
    local dbs
    dbs=$(PGPASSWORD=$PG_PASSWORD psql -X -h "$STACK_HOST" -p "$PG_PORT" -U "$PG_ROLE" -d "$PG_DATABASE" -tAc \
      "SELECT string_agg(datname, ' ' ORDER BY datname) FROM pg_database WHERE datname LIKE '$PG_DATABASE%'" 2>/dev/null || true)
    echo "PostgreSQL   running   $STACK_HOST:$PG_PORT  role $PG_ROLE, databases: ${dbs:-(login as $PG_ROLE failed)}"
    [ -n "$dbs" ]
  else
    echo "PostgreSQL   DOWN      $STACK_HOST:$PG_PORT"
    return 1
  fi
}

# Drops and re-creates the test database, so a test run starts on this checkout's schema with
# nothing an earlier run (or an older schema, or another branch's migrations) left behind.
pg_fresh_test_database() {
  log "PostgreSQL: a fresh test database $PG_TEST_DATABASE"
  pg_superuser_psql -c "DROP DATABASE IF EXISTS $PG_TEST_DATABASE WITH (FORCE)"
  pg_superuser_psql -c "CREATE DATABASE $PG_TEST_DATABASE OWNER $PG_ROLE"
}

# Drops and re-creates the project's databases.
pg_reset() {
  pg_ready || return 0
  local db
  for db in "${PG_DATABASES[@]}"; do
    log "PostgreSQL: dropping database $db"
    pg_superuser_psql -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  done
}
