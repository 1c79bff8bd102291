# shellcheck shell=bash
# RabbitMQ 4 (native MQTT 5) run from a minimal Debian trixie root with chroot (no mounts, no
# containers): Debian 12's own RabbitMQ 3.10 cannot speak MQTT 5. Source after common.sh.
#
# rmq_node_start is the one way a node starts from the root: the local stack's node RMQ_NODE
# (rmq_up below) and the fault suite's private nodes (faults.sh) both start with it. Ports, node
# names and logins come from stack.env.

TRIXIE_SUITE=${IOTCORE_ROOT_SUITE:-trixie}
TRIXIE_ROOT=$IOTCORE_HOME/$TRIXIE_SUITE
TRIXIE_TARBALL=$IOTCORE_HOME/$TRIXIE_SUITE.tar.gz
RMQ_VAR=/var/lib/iotcore # inside the root: node data, Erlang cookie (HOME of server and CLI), pid file
RMQ_ETC=/etc/rabbitmq    # inside the root: the node's configuration, copied from rabbitmq/
RMQ_LOG=$IOTCORE_LOGS/rabbitmq.log
RMQ_LAUNCHER_PID=$IOTCORE_RUN/rabbitmq.pid
RMQ_CONFIG_HASH=$IOTCORE_RUN/rabbitmq.config-hash

# The stack's node, as rmq_node_start arguments (see "a node" below).
RMQ_STACK_NODE=(name="$RMQ_NODE" var="$RMQ_VAR" etc="$RMQ_ETC" amqp="$RMQ_AMQP_PORT"
  mqtt="$RMQ_MQTT_PORT" mqtt_tls="$RMQ_MQTT_TLS_PORT" http="$RMQ_HTTP_PORT" dist="$RMQ_DIST_PORT"
  log="$RMQ_LOG" pidfile="$RMQ_LAUNCHER_PID" timeout="${IOTCORE_RABBITMQ_TIMEOUT:-90}")

# rmq_in_root HOME COMMAND...: runs a command inside the root with a clean environment and that
# HOME. A node's server and the CLI calls against it share HOME, so they share the Erlang cookie.
RMQ_ROOT_ENV=(PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 LC_ALL=C.UTF-8)
rmq_in_root() {
  local home=$1
  shift
  chroot "$TRIXIE_ROOT" /usr/bin/env -i HOME="$home" "${RMQ_ROOT_ENV[@]}" "$@"
}
# rmq_node_ctl HOME NODE ARGS...: rabbitmqctl as root inside the root (/usr/sbin/rabbitmqctl
# would `su rabbitmq` and use another cookie).
rmq_node_ctl() {
  local home=$1 node=$2
  shift 2
  rmq_in_root "$home" /usr/lib/rabbitmq/bin/rabbitmqctl -n "$node" "$@"
}
in_root() { rmq_in_root "$RMQ_VAR" "$@"; }
rmqctl() { rmq_node_ctl "$RMQ_VAR" "$RMQ_NODE" "$@"; }

rmq_api() { curl -fsS --max-time 10 -u "$RMQ_USER:$RMQ_PASSWORD" "http://$STACK_HOST:$RMQ_HTTP_PORT/api/$1"; }

# --- the trixie root -------------------------------------------------------------------------

trixie_root_ok() {
  [ -x "$TRIXIE_ROOT/usr/lib/rabbitmq/bin/rabbitmq-server" ] && [ -x "$TRIXIE_ROOT/usr/bin/env" ]
}

# Saves the root (without node data or apt caches) as a gzip tarball for a quick restore.
trixie_tarball_save() {
  local t0
  t0=$(now)
  log "RabbitMQ root: saving $TRIXIE_TARBALL"
  tar -C "$TRIXIE_ROOT" --numeric-owner \
    --exclude=".$RMQ_VAR" --exclude=./etc/rabbitmq/conf.d --exclude=./etc/iotcore \
    --exclude='./var/cache/apt/*.bin' --exclude='./var/cache/apt/archives/*.deb' \
    --exclude='./var/lib/apt/lists/*_*' --exclude='./tmp/*' \
    -czf "$TRIXIE_TARBALL.tmp" .
  mv "$TRIXIE_TARBALL.tmp" "$TRIXIE_TARBALL"
  log "RabbitMQ root: tarball saved ($(du -h "$TRIXIE_TARBALL" | cut -f1), $(($(now) - t0)) s)"
}

trixie_root_ensure() {
  if trixie_root_ok; then
    [ -f "$TRIXIE_TARBALL" ] || trixie_tarball_save
    return 0
  fi
  local tmp=$TRIXIE_ROOT.tmp t0
  t0=$(now)
  rm -rf "$tmp"
  if [ -f "$TRIXIE_TARBALL" ]; then
    log "RabbitMQ root: restoring $TRIXIE_ROOT from $TRIXIE_TARBALL"
    mkdir -p "$tmp"
    if tar -C "$tmp" --numeric-owner -xzf "$TRIXIE_TARBALL"; then
      rm -rf "$TRIXIE_ROOT"
      mv "$tmp" "$TRIXIE_ROOT"
    else
      warn "RabbitMQ root: tarball unreadable; removing it and building the root anew"
      rm -rf "$tmp" "$TRIXIE_TARBALL"
    fi
    if trixie_root_ok; then
      log "RabbitMQ root: restored in $(($(now) - t0)) s"
      return 0
    fi
  fi
  need_command debootstrap debootstrap
  local mirror
  mirror=$(debian_mirror)
  log "RabbitMQ root: debootstrap --variant=minbase --include=rabbitmq-server $TRIXIE_SUITE from the machine's apt mirror (about a minute; log: $IOTCORE_LOGS/debootstrap.log)"
  if ! debootstrap --variant=minbase --include=rabbitmq-server "$TRIXIE_SUITE" "$tmp" "$mirror" \
    >"$IOTCORE_LOGS/debootstrap.log" 2>&1; then
    tail -n 20 "$IOTCORE_LOGS/debootstrap.log" >&2
    rm -rf "$tmp"
    die "debootstrap failed (full log: $IOTCORE_LOGS/debootstrap.log)"
  fi
  rm -f "$tmp"/var/cache/apt/archives/*.deb # the installed packages' files, no longer needed
  rm -rf "$TRIXIE_ROOT"
  mv "$tmp" "$TRIXIE_ROOT"
  trixie_root_ok || die "debootstrap finished but $TRIXIE_ROOT has no rabbitmq-server"
  log "RabbitMQ root: created in $(($(now) - t0)) s ($(du -sh "$TRIXIE_ROOT" | cut -f1))"
  trixie_tarball_save
}

# --- a node: configuration and start ---------------------------------------------------------

# A node is described by KEY=VALUE arguments (RMQ_STACK_NODE above, faults_rmq_start):
#   name=NODE        node name, NAME@HOST
#   var=DIR          inside the root: HOME (Erlang cookie), data (DIR/mnesia), logs, pid file DIR/NODE.pid
#   etc=DIR          inside the root: its configuration, written from rabbitmq/ at every start
#   amqp= mqtt= http= dist=   its ports, on STACK_HOST
#   mqtt_tls=PORT    MQTT over TLS with the PKI, which also takes rabbitmq/conf.d/*.conf and
#                    advanced.config; empty (the default): plain listeners only, no TLS settings
#   definitions=FILE the definitions imported at boot (default rabbitmq/definitions.json)
#   conf_extra=TEXT  more rabbitmq.conf lines, after the node's own
#   erl_args=ARGS    more Erlang VM arguments
#   log=FILE         its standard output and error (appended)
#   pidfile=FILE     where the launcher's pid goes (optional)
#   timeout=SECONDS  how long rmq_node_start waits for it (default 90)

# rmq_node_parse ARRAY KEY=VALUE...: fills the associative array named ARRAY (defaults first).
rmq_node_parse() {
  local -n _node=$1
  shift
  _node=([mqtt_tls]="" [definitions]="$IOTCORE_REPO/rabbitmq/definitions.json" [conf_extra]=""
    [erl_args]="" [pidfile]="" [timeout]=90)
  local kv key
  for kv in "$@"; do
    [[ $kv == *=* ]] || die "RabbitMQ node: '$kv' is not KEY=VALUE"
    _node[${kv%%=*}]=${kv#*=}
  done
  for key in name var etc amqp mqtt http dist log; do
    [ -n "${_node[$key]:-}" ] || die "RabbitMQ node: no $key= given"
  done
}

# rmq_node_conf ARRAY: the node's conf.d override, the settings that belong to this way of
# running RabbitMQ and not to the broker's configuration (rabbitmq/rabbitmq.conf stays usable as
# is elsewhere: compose, Kubernetes). Loaded after rabbitmq.conf and the repository's conf.d.
rmq_node_conf() {
  local -n _conf=$1
  local mem_kb
  mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
  echo "# Written at every start of ${_conf[name]} (scripts/lib/rabbitmq.sh: rmq_node_start), with the"
  echo "# ports of scripts/lib/stack.env; edit rabbitmq/rabbitmq.conf or stack.env instead."
  echo "# Listen on loopback only: the users of definitions.json have well-known dev passwords."
  echo "listeners.tcp.default = $STACK_HOST:${_conf[amqp]}"
  echo "mqtt.listeners.tcp.default = $STACK_HOST:${_conf[mqtt]}"
  if [ -n "${_conf[mqtt_tls]}" ]; then echo "mqtt.listeners.ssl.default = $STACK_HOST:${_conf[mqtt_tls]}"; fi
  echo "management.tcp.ip = $STACK_HOST"
  echo "management.tcp.port = ${_conf[http]}"
  echo "load_definitions = ${_conf[etc]}/definitions.json"
  echo "# The chroot has no /proc: RabbitMQ can neither read the process RSS nor the machine's memory."
  echo "# \"allocated\" counts what the allocators reserved (about 4 MB per MQTT connection, against some"
  echo "# 80 KB in use), which raised the memory alarm at 5,000 idle devices; \"erlang\" counts what the"
  echo "# node's processes and tables use."
  echo "vm_memory_calculation_strategy = erlang"
  echo "total_memory_available_override_value = $((mem_kb * 1024))"
  if [ -n "${_conf[conf_extra]}" ]; then printf '%s\n' "${_conf[conf_extra]}"; fi
}

# rmq_node_server_env ARRAY: the environment of the node's rabbitmq-server, one NAME=value a line.
rmq_node_server_env() {
  local -n _env=$1
  local var=${_env[var]} etc=${_env[etc]} name=${_env[name]}
  printf '%s\n' \
    "RABBITMQ_NODENAME=$name" "RABBITMQ_DIST_PORT=${_env[dist]}" \
    "RABBITMQ_CONFIG_FILE=$etc/rabbitmq.conf" "RABBITMQ_CONFIG_FILES=$etc/conf.d" \
    "RABBITMQ_ADVANCED_CONFIG_FILE=$etc/advanced.config" \
    "RABBITMQ_ENABLED_PLUGINS_FILE=$etc/enabled_plugins" \
    "RABBITMQ_MNESIA_BASE=$var/mnesia" "RABBITMQ_LOG_BASE=$var/log" \
    "RABBITMQ_PID_FILE=$var/$name.pid" "ERL_CRASH_DUMP=$var/log/$name.dump" \
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}${_env[erl_args]:+ ${_env[erl_args]}}"
}

# rmq_node_install_config ARRAY: the node's configuration folder, from rabbitmq/.
rmq_node_install_config() {
  local -n _inst=$1
  local src=$IOTCORE_REPO/rabbitmq etc=$TRIXIE_ROOT${_inst[etc]} f
  for f in rabbitmq.conf enabled_plugins; do
    [ -f "$src/$f" ] || die "$src/$f is missing"
  done
  [ -f "${_inst[definitions]}" ] || die "${_inst[definitions]} is missing"
  mkdir -p "$etc/conf.d" "$TRIXIE_ROOT${_inst[var]}"
  rm -f "$etc"/conf.d/*.conf "$etc/advanced.config"
  cp "$src/rabbitmq.conf" "$src/enabled_plugins" "$etc/"
  cp "${_inst[definitions]}" "$etc/definitions.json"
  if [ -n "${_inst[mqtt_tls]}" ]; then
    # The TLS listener's settings: the repo's conf.d fragments, loaded in name order before the
    # override, and advanced.config (ssl_options, CRL check).
    if [ -f "$src/advanced.config" ]; then cp "$src/advanced.config" "$etc/"; fi
    for f in "$src"/conf.d/*.conf; do
      if [ -f "$f" ]; then cp "$f" "$etc/conf.d/"; fi
    done
  fi
  rmq_node_conf "$1" >"$etc/conf.d/90-local-stack.conf"
  rmq_root_hosts
}

# Node names are NAME@HOST: the root must resolve localhost and this machine's host name (the
# CLI's own node is rabbitmqcli-…@$(hostname)). Replaced in one step: running nodes read it.
rmq_root_hosts() {
  local hosts=$TRIXIE_ROOT/etc/hosts
  local new=$hosts.$BASHPID.new # nodes of the stack and of the fault suite may start at once
  cp /etc/hosts "$new"
  grep -qE '^[[:space:]]*127\.0\.0\.1[[:space:]](.*[[:space:]])?localhost([[:space:]]|$)' "$new" \
    || echo "127.0.0.1 localhost" >>"$new"
  grep -qwF "$(hostname)" "$new" || echo "127.0.0.1 $(hostname)" >>"$new"
  mv "$new" "$hosts"
}

# rmq_node_start KEY=VALUE...: writes the node's configuration, starts it in the background (it
# outlives the caller) and waits until it runs. Dies if one of its ports is taken, or if the node
# exits or does not start in time.
rmq_node_start() {
  local -A node=()
  rmq_node_parse node "$@"
  local name=${node[name]} p env=() launcher deadline
  trixie_root_ok || die "no RabbitMQ root at $TRIXIE_ROOT: run 'scripts/stack infra' once"
  for p in "${node[amqp]}" "${node[mqtt]}" ${node[mqtt_tls]:+"${node[mqtt_tls]}"} "${node[http]}" "${node[dist]}"; do
    if port_open "$p"; then die "port $p is taken by another process; cannot start RabbitMQ node $name"; fi
  done
  rmq_node_install_config node
  mapfile -t env < <(rmq_node_server_env node)
  mkdir -p "$(dirname "${node[log]}")"
  rm -f "$TRIXIE_ROOT${node[var]}/$name.pid"
  # setsid: the node outlives this script and its terminal; no lock this script or its caller
  # holds may be inherited, or the node would hold it for as long as it runs.
  without_inherited_fds setsid chroot "$TRIXIE_ROOT" /usr/bin/env -i HOME="${node[var]}" "${RMQ_ROOT_ENV[@]}" \
    "${env[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server </dev/null >>"${node[log]}" 2>&1 &
  launcher=$!
  if [ -n "${node[pidfile]}" ]; then echo "$launcher" >"${node[pidfile]}"; fi
  deadline=$(($(now) + node[timeout]))
  until rmq_node_ctl "${node[var]}" "$name" -q await_startup --timeout 10 >/dev/null 2>&1; do
    if ! proc_alive "$launcher"; then
      tail -n 40 "${node[log]}" >&2
      die "RabbitMQ node $name exited during start (log above: ${node[log]})"
    fi
    if [ "$(now)" -ge "$deadline" ]; then
      tail -n 40 "${node[log]}" >&2
      die "RabbitMQ node $name did not start within ${node[timeout]} s (log above: ${node[log]})"
    fi
    sleep 1
  done
  # RabbitMQ 4.0.5's event exchange publishes only while it believes amq.rabbitmq.event has
  # bindings; on a node's first boot it misses the bindings the definitions import adds, so
  # core.presence would stay silent until a restart. Tell its handler what its own binding
  # decorator tells it when a first binding appears (the same message; see docs/local-stack.md).
  rmq_node_ctl "${node[var]}" "$name" -q eval 'rabbit_event ! {event_exchange, added_first_binding}, ok.' >/dev/null \
    || die "RabbitMQ node $name: could not switch on the event exchange's publishing"
}

# --- the stack's node ------------------------------------------------------------------------

# What the running node was started with; a change means a restart.
rmq_wanted_hash() {
  local -A node=()
  rmq_node_parse node "${RMQ_STACK_NODE[@]}"
  {
    find "$IOTCORE_REPO/rabbitmq" -type f -print0 | sort -z | xargs -0 cat
    # New broker certificates (pki/bootstrap.sh --force) need a restart too; a new CRL does not.
    cat "$TRIXIE_ROOT$RMQ_PKI_DIR"/{device-ca-chain.pem,broker-chain.pem,broker.key} 2>/dev/null || true
    rmq_node_conf node
    rmq_node_server_env node
  } | sha256sum | cut -d' ' -f1
}

rmq_beam_pid() {
  local f=$TRIXIE_ROOT$RMQ_VAR/$RMQ_NODE.pid
  [ -s "$f" ] && cat "$f"
}

# Cheap check without the (slow) CLI: the node's process lives and AMQP answers.
rmq_running() {
  local pid
  pid=$(rmq_beam_pid) || return 1
  proc_alive "$pid" && port_open "$RMQ_AMQP_PORT"
}

# The queues the definitions declare (names and arguments). A queue's type cannot change in place:
# when the definitions change it, the node's data is deleted and the node starts from them again
# (the truth is in PostgreSQL; devices re-subscribe when they reconnect).
rmq_queue_layout() {
  grep -o '"name": "[^"]*", "durable": [a-z]*, "auto_delete": [a-z]*, "arguments": {[^}]*}' \
    "$IOTCORE_REPO/rabbitmq/definitions.json" | sha256sum | cut -d' ' -f1
}

rmq_start() {
  local t0 layout_file=$TRIXIE_ROOT$RMQ_VAR/queue-layout hash
  t0=$(now)
  if [ -d "$TRIXIE_ROOT$RMQ_VAR/mnesia" ] && [ "$(cat "$layout_file" 2>/dev/null)" != "$(rmq_queue_layout)" ]; then
    log "RabbitMQ: the definitions' queue layout changed (e.g. a queue type); deleting node data $TRIXIE_ROOT$RMQ_VAR/mnesia"
    rm -rf "${TRIXIE_ROOT:?}$RMQ_VAR/mnesia"
  fi
  mkdir -p "$TRIXIE_ROOT$RMQ_VAR"
  rmq_queue_layout >"$layout_file"
  hash=$(rmq_wanted_hash)
  if [ -f "$RMQ_LOG" ]; then mv "$RMQ_LOG" "$RMQ_LOG.1"; fi
  log "RabbitMQ: starting node $RMQ_NODE (AMQP $RMQ_AMQP_PORT, MQTT $RMQ_MQTT_PORT, MQTT/TLS $RMQ_MQTT_TLS_PORT, HTTP $RMQ_HTTP_PORT, dist $RMQ_DIST_PORT; log: $RMQ_LOG)"
  record_started rabbitmq
  echo "$hash" >"$RMQ_CONFIG_HASH"
  rmq_node_start "${RMQ_STACK_NODE[@]}"
  log "RabbitMQ: node $RMQ_NODE up in $(($(now) - t0)) s ($(rmqctl -q eval 'rabbit_misc:version().' | tr -d '"'))"
}

rmq_stop() {
  local pid
  pid=$(rmq_beam_pid || true)
  if [ -z "$pid" ] || ! proc_alive "$pid"; then
    pid_alive "$RMQ_LAUNCHER_PID" || {
      log "RabbitMQ: node $RMQ_NODE not running"
      rm -f "$RMQ_LAUNCHER_PID" "$RMQ_CONFIG_HASH"
      forget_started rabbitmq
      return 0
    }
    pid=$(cat "$RMQ_LAUNCHER_PID")
  fi
  log "RabbitMQ: stopping node $RMQ_NODE"
  rmqctl -q stop >/dev/null 2>&1 || warn "rabbitmqctl stop failed; terminating pid $pid"
  wait_exit "$pid" 60 || {
    warn "RabbitMQ node still alive after 60 s; sending TERM to pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    wait_exit "$pid" 15 || kill -KILL "$pid" 2>/dev/null || true
  }
  rm -f "$RMQ_LAUNCHER_PID" "$RMQ_CONFIG_HASH" "$TRIXIE_ROOT$RMQ_VAR/$RMQ_NODE.pid"
  forget_started rabbitmq
  log "RabbitMQ: node $RMQ_NODE stopped"
}

# The checks that the broker does what the project needs: both logins, the definitions, and an
# MQTT 5 publish by the dev device login.
rmq_verify() {
  rmq_api whoami >/dev/null || die "RabbitMQ: user $RMQ_USER cannot log in (management API on $RMQ_HTTP_PORT)"
  local q
  for q in core.task-created core.device-messages core.presence; do
    rmq_api "queues/%2F/$q" >/dev/null || die "RabbitMQ: queue $q missing: were rabbitmq/definitions.json imported? (log: $RMQ_LOG)"
  done
  rmq_mqtt_check || die "RabbitMQ: MQTT 5 publish as $RMQ_DEV_USER on port $RMQ_MQTT_PORT failed"
  port_open "$RMQ_MQTT_TLS_PORT" || die "RabbitMQ: no MQTT TLS listener on port $RMQ_MQTT_TLS_PORT (log: $RMQ_LOG)"
}

# A QoS 1 MQTT 5 publish as the dev device to dev/stack-check/evt (routed to core.device-messages,
# which core ignores as an unknown kind of message; it expires after 60 s if nobody consumes it).
rmq_mqtt_check() {
  mosquitto_pub -V mqttv5 -h "$STACK_HOST" -p "$RMQ_MQTT_PORT" -u "$RMQ_DEV_USER" -P "$RMQ_DEV_PASSWORD" \
    -i "stack-check-$$" -q 1 -t dev/stack-check/evt -m "scripts/stack check $(date -u +%FT%TZ)" \
    -D publish message-expiry-interval 60 -D publish user-property source scripts/stack
}

rmq_up() {
  need_command mosquitto_pub mosquitto-clients
  need_command curl curl
  trixie_root_ensure
  pki_ensure # the TLS listener reads the PKI: it must exist before the node starts
  if rmq_running; then
    if [ "$(cat "$RMQ_CONFIG_HASH" 2>/dev/null)" = "$(rmq_wanted_hash)" ]; then
      log "RabbitMQ: node $RMQ_NODE already running with the current configuration"
    else
      log "RabbitMQ: configuration in rabbitmq/ (or of this script) changed since the node started: restarting it"
      rmq_stop
      rmq_start
    fi
  else
    pid_alive "$RMQ_LAUNCHER_PID" && rmq_stop # half-started or half-stopped: start clean
    rmq_start
  fi
  rmq_verify
  log "RabbitMQ: logins, definitions and an MQTT 5 publish as '$RMQ_DEV_USER' checked"
}

rmq_status() {
  if ! rmq_running; then
    echo "RabbitMQ     DOWN      node $RMQ_NODE (root: $TRIXIE_ROOT$(trixie_root_ok || echo ', missing'))"
    return 1
  fi
  local ver mqtt=failed
  ver=$(rmq_api overview 2>/dev/null | sed -n 's/.*"rabbitmq_version":"\([^"]*\)".*/\1/p')
  rmq_mqtt_check >/dev/null 2>&1 && mqtt=ok
  echo "RabbitMQ     running   node $RMQ_NODE ${ver:+(RabbitMQ $ver) }pid $(rmq_beam_pid)"
  echo "             AMQP amqp://$STACK_HOST:$RMQ_AMQP_PORT  MQTT mqtt://$STACK_HOST:$RMQ_MQTT_PORT  MQTT/TLS mqtts://$STACK_HOST:$RMQ_MQTT_TLS_PORT  HTTP http://$STACK_HOST:$RMQ_HTTP_PORT  dist $RMQ_DIST_PORT"
  echo "             MQTT 5 publish as $RMQ_DEV_USER: $mqtt"
  rmqctl -q list_queues --no-table-headers name type messages consumers 2>/dev/null \
    | awk '$1 !~ /^mqtt-subscription-/ { printf "             queue %-24s %-8s messages %-6s consumers %s\n", $1, $2, $3, $4 }'
  [ "$mqtt" = ok ]
}

rmq_reset() {
  rmq_stop
  log "RabbitMQ: deleting node data $TRIXIE_ROOT$RMQ_VAR"
  rm -rf "${TRIXIE_ROOT:?}$RMQ_VAR"
}
