# shellcheck shell=bash
# Private infrastructure of the fault suite (reliability/): the suite kills brokers and databases,
# so it never touches the local stack's PostgreSQL (PG_PORT) or its node RMQ_NODE. It runs its
# own PostgreSQL cluster and its own RabbitMQ nodes (faults1@localhost …) from the stack's
# trixie root, with their own ports (stack.env: FAULTS_*), Erlang cookie, data and configuration.
# The nodes start as the stack's node does (rmq_node_start). Source after common.sh and
# rabbitmq.sh.

FAULTS_STATE=$IOTCORE_HOME/faults
FAULTS_LOGS=$IOTCORE_LOGS/faults

# --- PostgreSQL ------------------------------------------------------------------------------

FAULTS_PG_PORT=${IOTCORE_FAULTS_PG_PORT:-$FAULTS_PG_PORT}
FAULTS_PG_DB=$FAULTS_PG_DATABASE

# PostgreSQL refuses to run as root: as root the cluster belongs to the postgres user and lives
# in its home (the root's own home is not readable by others); otherwise under the state dir.
if [ "$(id -u)" = 0 ]; then
  FAULTS_PG_USER=postgres
  FAULTS_PG_DATA=${IOTCORE_FAULTS_PG_DATA:-$(getent passwd postgres 2>/dev/null | cut -d: -f6)/iotcore-faults}
else
  FAULTS_PG_USER=$(id -un)
  FAULTS_PG_DATA=${IOTCORE_FAULTS_PG_DATA:-$FAULTS_STATE/pg}
fi

faults_pg_bin() {
  local bin
  bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  [ -x "$bin/pg_ctl" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)"
  echo "$bin"
}

# Runs a command as the cluster's owner.
faults_as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$FAULTS_PG_USER" -- "$@"; else "$@"; fi
}

faults_pg_ctl() { faults_as_pg "$(faults_pg_bin)/pg_ctl" -D "$FAULTS_PG_DATA" "$@"; }

faults_pg_ready() { pg_isready -q -h "$STACK_HOST" -p "$FAULTS_PG_PORT" 2>/dev/null; }

faults_pg_init() {
  [ -f "$FAULTS_PG_DATA/PG_VERSION" ] && return 0
  log "faults PostgreSQL: initdb $FAULTS_PG_DATA"
  if [ "$(id -u)" = 0 ]; then
    [ -n "$(getent passwd postgres)" ] || die "no postgres user (apt-get install postgresql)"
  fi
  mkdir -p "$FAULTS_PG_DATA"
  if [ "$(id -u)" = 0 ]; then chown "$FAULTS_PG_USER:" "$FAULTS_PG_DATA"; fi
  chmod 700 "$FAULTS_PG_DATA"
  # Loopback only, password login for the services; the socket sits in the data directory.
  faults_as_pg "$(faults_pg_bin)/initdb" -D "$FAULTS_PG_DATA" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >"$FAULTS_LOGS/pg-initdb.log" 2>&1 \
    || die "initdb failed (log: $FAULTS_LOGS/pg-initdb.log)"
  cat >>"$FAULTS_PG_DATA/postgresql.conf" <<EOF
# fault suite
listen_addresses = '$STACK_HOST'
port = $FAULTS_PG_PORT
unix_socket_directories = '$FAULTS_PG_DATA'
max_connections = 100
shared_buffers = 64MB
EOF
}

faults_pg_start() {
  faults_pg_ready && return 0
  faults_pg_init
  mkdir -p "$FAULTS_LOGS"
  # pg_ctl -w waits until connections are accepted; the server keeps no lock of this script.
  local log_file=$FAULTS_PG_DATA/server.log as=()
  if [ "$(id -u)" = 0 ]; then as=(runuser -u "$FAULTS_PG_USER" --); fi
  (without_inherited_fds "${as[@]}" "$(faults_pg_bin)/pg_ctl" -D "$FAULTS_PG_DATA" -l "$log_file" \
    -w -t 60 start >/dev/null) || {
    tail -n 20 "$log_file" >&2
    die "faults PostgreSQL did not start (log: $log_file)"
  }
}

# The role and a fresh database for a run (dropped and re-created: Flyway builds the schema).
faults_pg_fresh() {
  faults_pg_start
  faults_pg_psql -d postgres <<SQL
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '$FAULTS_PG_ROLE', '$FAULTS_PG_PASSWORD')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$FAULTS_PG_ROLE')\gexec
DROP DATABASE IF EXISTS $FAULTS_PG_DB WITH (FORCE);
CREATE DATABASE $FAULTS_PG_DB OWNER $FAULTS_PG_ROLE;
SQL
  log "faults PostgreSQL: fresh database $FAULTS_PG_DB on $STACK_HOST:$FAULTS_PG_PORT"
}

# psql as the cluster's superuser over its socket; ARGS choose the database (-d) and what to run.
faults_pg_psql() {
  faults_as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$FAULTS_PG_DATA" -p "$FAULTS_PG_PORT" -U postgres "$@"
}

# The fault: an immediate shutdown (no checkpoint, every connection cut, crash recovery at the
# next start), like a power loss of the database process.
faults_pg_stop_immediate() { faults_pg_ctl -m immediate -w stop >/dev/null; }

faults_pg_stop() {
  if faults_pg_ready; then faults_pg_ctl -m fast -w stop >/dev/null || true; fi
}

# --- RabbitMQ nodes ----------------------------------------------------------------------------

FAULTS_RMQ_VAR=/var/lib/iotcore-faults # inside the root: HOME (own Erlang cookie), data, pid files
FAULTS_RMQ_ETC=/etc/iotcore-faults     # inside the root: one configuration folder per node
# Node i (1-based) listens on base + i.
FAULTS_AMQP_BASE=${IOTCORE_FAULTS_AMQP_BASE:-$FAULTS_AMQP_BASE}
FAULTS_MQTT_BASE=${IOTCORE_FAULTS_MQTT_BASE:-$FAULTS_MQTT_BASE}
FAULTS_HTTP_BASE=${IOTCORE_FAULTS_HTTP_BASE:-$FAULTS_HTTP_BASE}
FAULTS_DIST_BASE=${IOTCORE_FAULTS_DIST_BASE:-$FAULTS_DIST_BASE}

faults_node() { echo "$FAULTS_NODE_PREFIX$1@localhost"; }
faults_in_root() { rmq_in_root "$FAULTS_RMQ_VAR" "$@"; }
faults_ctl() { # NODE_INDEX ARGS...
  local i=$1
  shift
  rmq_node_ctl "$FAULTS_RMQ_VAR" "$(faults_node "$i")" "$@"
}
faults_rmq_pid() {
  local f
  f=$TRIXIE_ROOT$FAULTS_RMQ_VAR/$(faults_node "$1").pid
  [ -s "$f" ] && cat "$f"
}
faults_rmq_running() {
  local pid
  pid=$(faults_rmq_pid "$1") && proc_alive "$pid" && port_open $((FAULTS_AMQP_BASE + $1))
}

# The definitions the nodes import. One node: as they are (classic core queues). A cluster
# (`nodes` > 1): quorum core queues, so that they survive a node's death (the core then runs with
# iot.core.queue-type=quorum).
faults_definitions() { # NODE_INDEX
  local src=$IOTCORE_REPO/rabbitmq/definitions.json out=$FAULTS_STATE/definitions-node$1.json
  if [ "$(cat "$TRIXIE_ROOT$FAULTS_RMQ_VAR/nodes" 2>/dev/null || echo 1)" -gt 1 ]; then
    mkdir -p "$FAULTS_STATE"
    sed 's/"x-queue-type": "classic"/"x-queue-type": "quorum"/' "$src" >"$out"
    echo "$out"
  else
    echo "$src"
  fi
}

faults_rmq_start() { # NODE_INDEX
  local i=$1 node t0 definitions
  node=$(faults_node "$i")
  faults_rmq_running "$i" && return 0
  definitions=$(faults_definitions "$i")
  t0=$(now)
  # Plain listeners only (no MQTT/TLS: the suite's devices use the development login).
  rmq_node_start name="$node" var="$FAULTS_RMQ_VAR" etc="$FAULTS_RMQ_ETC/node$i" \
    amqp=$((FAULTS_AMQP_BASE + i)) mqtt=$((FAULTS_MQTT_BASE + i)) http=$((FAULTS_HTTP_BASE + i)) \
    dist=$((FAULTS_DIST_BASE + i)) definitions="$definitions" log="$FAULTS_LOGS/$node.log" timeout=120
  log "faults RabbitMQ: $node up in $(($(now) - t0)) s (AMQP $((FAULTS_AMQP_BASE + i)), MQTT $((FAULTS_MQTT_BASE + i)))"
}

# The fault: a clean stop, the way an operator restarts a node.
faults_rmq_stop() {
  local pid
  pid=$(faults_rmq_pid "$1") || return 0
  proc_alive "$pid" || return 0
  faults_ctl "$1" -q stop >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  wait_exit "$pid" 60 || kill -KILL "$pid" 2>/dev/null || true
}

# The fault: kill -9 of the node's Erlang VM.
faults_rmq_kill() {
  local pid
  pid=$(faults_rmq_pid "$1") || die "$(faults_node "$1") has no pid file"
  kill -KILL "$pid"
  wait_exit "$pid" 10 || die "$(faults_node "$1") (pid $pid) survived kill -9"
}

# Starts nodes 1..N; with N > 1 they form one cluster and the core's quorum queues get a member
# on every node (definitions declare them on node 1 while it is alone).
faults_rmq_up() { # N
  local n=${1:-1} i
  mkdir -p "$TRIXIE_ROOT$FAULTS_RMQ_VAR"
  echo "$n" >"$TRIXIE_ROOT$FAULTS_RMQ_VAR/nodes" # read by every later start of a node
  faults_rmq_start 1
  for ((i = 2; i <= n; i++)); do
    faults_rmq_start "$i"
    if ! faults_ctl "$i" -q cluster_status --formatter json 2>/dev/null | grep -q "$(faults_node 1)"; then
      faults_ctl "$i" -q stop_app >/dev/null
      faults_ctl "$i" -q join_cluster "$(faults_node 1)" >/dev/null
      faults_ctl "$i" -q start_app >/dev/null
      log "faults RabbitMQ: $(faults_node "$i") joined $(faults_node 1)"
    fi
    faults_in_root /usr/lib/rabbitmq/bin/rabbitmq-queues -n "$(faults_node 1)" -q grow "$(faults_node "$i")" all \
      >/dev/null 2>&1 || true
  done
}

# Stops every node of the suite and deletes their data (each run starts from the definitions).
faults_rmq_down() {
  local i
  for i in 3 2 1; do faults_rmq_stop "$i"; done
  rm -rf "${TRIXIE_ROOT:?}$FAULTS_RMQ_VAR/mnesia"
}

# The settings the Java side reads, KEY=VALUE.
faults_env() {
  local i
  echo "PG_URL=jdbc:postgresql://$STACK_HOST:$FAULTS_PG_PORT/$FAULTS_PG_DB"
  echo "PG_USER=$FAULTS_PG_ROLE"
  echo "PG_PASSWORD=$FAULTS_PG_PASSWORD"
  for i in 1 2 3; do
    echo "AMQP_PORT_$i=$((FAULTS_AMQP_BASE + i))"
    echo "MQTT_PORT_$i=$((FAULTS_MQTT_BASE + i))"
  done
  echo "AMQP_USER=$RMQ_USER"
  echo "AMQP_PASSWORD=$RMQ_PASSWORD"
  echo "DEVICE_USER=$RMQ_DEV_USER"
  echo "DEVICE_PASSWORD=$RMQ_DEV_PASSWORD"
}
