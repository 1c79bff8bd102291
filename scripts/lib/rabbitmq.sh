# shellcheck shell=bash
# RabbitMQ 4 (native MQTT 5) for the local stack, run from a minimal Debian trixie root with
# chroot (no mounts, no containers): Debian 12's own RabbitMQ 3.10 cannot speak MQTT 5.
# Node iotcore@localhost, its own ports, the host's epmd. Source after common.sh.

RMQ_NODE=iotcore@localhost
RMQ_AMQP_PORT=5673
RMQ_MQTT_PORT=1884
RMQ_MQTT_TLS_PORT=8884 # MQTT 5 over TLS, X.509 certificate login (rabbitmq/conf.d/10-mqtt-tls.conf)
RMQ_HTTP_PORT=15673
RMQ_DIST_PORT=25673
RMQ_USER=iotcore RMQ_PASSWORD=iotcore       # services (administrator)
RMQ_DEV_USER=device RMQ_DEV_PASSWORD=device # shared development device login, dev only

TRIXIE_SUITE=${IOTCORE_ROOT_SUITE:-trixie}
TRIXIE_ROOT=$IOTCORE_HOME/$TRIXIE_SUITE
TRIXIE_TARBALL=$IOTCORE_HOME/$TRIXIE_SUITE.tar.gz
RMQ_VAR=/var/lib/iotcore # inside the root: node data, Erlang cookie (HOME of server and CLI), pid file
RMQ_LOG=$IOTCORE_LOGS/rabbitmq.log
RMQ_LAUNCHER_PID=$IOTCORE_RUN/rabbitmq.pid
RMQ_CONFIG_HASH=$IOTCORE_RUN/rabbitmq.config-hash

# Runs a command inside the root with a clean environment. Server and CLI share HOME, so they
# share the Erlang cookie.
IN_ROOT=(chroot "$TRIXIE_ROOT" /usr/bin/env -i HOME="$RMQ_VAR" PATH=/usr/sbin:/usr/bin:/sbin:/bin
  LANG=C.UTF-8 LC_ALL=C.UTF-8)
in_root() { "${IN_ROOT[@]}" "$@"; }
# rabbitmqctl as root inside the root: /usr/sbin/rabbitmqctl would `su rabbitmq` (other cookie).
rmqctl() { in_root /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RMQ_NODE" "$@"; }

rmq_api() { curl -fsS --max-time 10 -u "$RMQ_USER:$RMQ_PASSWORD" "http://127.0.0.1:$RMQ_HTTP_PORT/api/$1"; }

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

# --- configuration ---------------------------------------------------------------------------

# Settings that belong to this way of running RabbitMQ, not to the broker's configuration: the
# repo's rabbitmq.conf stays usable as is elsewhere (compose). Loaded after rabbitmq.conf.
rmq_local_conf() {
  local mem_kb
  mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
  cat <<EOF
# Written by scripts/stack at every start; edit rabbitmq/rabbitmq.conf instead.
# Listen on loopback only: the users of definitions.json have well-known dev passwords.
listeners.tcp.default = 127.0.0.1:$RMQ_AMQP_PORT
mqtt.listeners.tcp.default = 127.0.0.1:$RMQ_MQTT_PORT
mqtt.listeners.ssl.default = 127.0.0.1:$RMQ_MQTT_TLS_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RMQ_HTTP_PORT
# The chroot has no /proc: RabbitMQ can neither read the process RSS nor the machine's memory.
# "allocated" counts what the allocators reserved (about 4 MB per MQTT connection, against some
# 80 KB in use), which raised the memory alarm at 5,000 idle devices; "erlang" counts what the
# node's processes and tables use.
vm_memory_calculation_strategy = erlang
total_memory_available_override_value = $((mem_kb * 1024))
EOF
}

rmq_install_config() {
  local src=$IOTCORE_REPO/rabbitmq etc=$TRIXIE_ROOT/etc/rabbitmq f
  for f in rabbitmq.conf enabled_plugins definitions.json; do
    [ -f "$src/$f" ] || die "$src/$f is missing"
  done
  mkdir -p "$etc/conf.d" "$TRIXIE_ROOT$RMQ_VAR"
  for f in rabbitmq.conf enabled_plugins definitions.json advanced.config; do
    if [ -f "$src/$f" ]; then cp "$src/$f" "$etc/$f"; else rm -f "$etc/$f"; fi
  done
  # The repo's conf.d fragments (TLS listener), loaded in name order before the local override.
  rm -f "$etc"/conf.d/*.conf
  for f in "$src"/conf.d/*.conf; do
    [ -f "$f" ] && cp "$f" "$etc/conf.d/"
  done
  rmq_local_conf >"$etc/conf.d/90-local-stack.conf"
  # Node names are NAME@HOST: the root must resolve localhost and this machine's host name
  # (the CLI's own node is rabbitmqcli-…@$(hostname)).
  cp /etc/hosts "$TRIXIE_ROOT/etc/hosts"
  grep -qE '^[[:space:]]*127\.0\.0\.1[[:space:]](.*[[:space:]])?localhost([[:space:]]|$)' "$TRIXIE_ROOT/etc/hosts" \
    || echo "127.0.0.1 localhost" >>"$TRIXIE_ROOT/etc/hosts"
  grep -qwF "$(hostname)" "$TRIXIE_ROOT/etc/hosts" || echo "127.0.0.1 $(hostname)" >>"$TRIXIE_ROOT/etc/hosts"
}

# What the running node was started with; a change means a restart.
rmq_wanted_hash() {
  {
    find "$IOTCORE_REPO/rabbitmq" -type f -print0 | sort -z | xargs -0 cat
    # New broker certificates (pki/bootstrap.sh --force) need a restart too; a new CRL does not.
    cat "$TRIXIE_ROOT$RMQ_PKI_DIR"/{device-ca-chain.pem,broker-chain.pem,broker.key} 2>/dev/null || true
    rmq_local_conf
    echo "$RMQ_NODE $RMQ_DIST_PORT"
  } | sha256sum | cut -d' ' -f1
}

# --- the node --------------------------------------------------------------------------------

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
  local t0 deadline layout_file=$TRIXIE_ROOT$RMQ_VAR/queue-layout
  t0=$(now)
  if [ -d "$TRIXIE_ROOT$RMQ_VAR/mnesia" ] && [ "$(cat "$layout_file" 2>/dev/null)" != "$(rmq_queue_layout)" ]; then
    log "RabbitMQ: the definitions' queue layout changed (e.g. a queue type); deleting node data $TRIXIE_ROOT$RMQ_VAR/mnesia"
    rm -rf "${TRIXIE_ROOT:?}$RMQ_VAR/mnesia"
  fi
  mkdir -p "$TRIXIE_ROOT$RMQ_VAR"
  rmq_queue_layout >"$layout_file"
  rmq_install_config
  [ -f "$RMQ_LOG" ] && mv "$RMQ_LOG" "$RMQ_LOG.1"
  local p
  for p in "$RMQ_AMQP_PORT" "$RMQ_MQTT_PORT" "$RMQ_MQTT_TLS_PORT" "$RMQ_HTTP_PORT" "$RMQ_DIST_PORT"; do
    port_open "$p" && die "port $p is taken by another process; cannot start RabbitMQ node $RMQ_NODE (a node started outside this script? 'scripts/stack ctl stop' stops it)"
  done
  log "RabbitMQ: starting node $RMQ_NODE (AMQP $RMQ_AMQP_PORT, MQTT $RMQ_MQTT_PORT, MQTT/TLS $RMQ_MQTT_TLS_PORT, HTTP $RMQ_HTTP_PORT, dist $RMQ_DIST_PORT; log: $RMQ_LOG)"
  rm -f "$TRIXIE_ROOT$RMQ_VAR/$RMQ_NODE.pid"
  # setsid: the node outlives this script and its terminal; stdout is the node's log; no lock
  # this script or its caller holds may be inherited, or the node would hold it forever.
  without_inherited_fds setsid "${IN_ROOT[@]}" \
    RABBITMQ_NODENAME="$RMQ_NODE" RABBITMQ_DIST_PORT="$RMQ_DIST_PORT" \
    RABBITMQ_CONFIG_FILE=/etc/rabbitmq/rabbitmq.conf RABBITMQ_CONFIG_FILES=/etc/rabbitmq/conf.d \
    RABBITMQ_ENABLED_PLUGINS_FILE=/etc/rabbitmq/enabled_plugins \
    RABBITMQ_MNESIA_BASE="$RMQ_VAR/mnesia" RABBITMQ_LOG_BASE="$RMQ_VAR/log" \
    RABBITMQ_PID_FILE="$RMQ_VAR/$RMQ_NODE.pid" ERL_CRASH_DUMP="$RMQ_VAR/log/erl_crash.dump" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' \
    /usr/lib/rabbitmq/bin/rabbitmq-server </dev/null >"$RMQ_LOG" 2>&1 &
  echo $! >"$RMQ_LAUNCHER_PID"
  record_started rabbitmq
  rmq_wanted_hash >"$RMQ_CONFIG_HASH"
  deadline=$(($(now) + ${IOTCORE_RABBITMQ_TIMEOUT:-90}))
  until rmqctl -q await_startup --timeout 10 >/dev/null 2>&1; do
    if ! pid_alive "$RMQ_LAUNCHER_PID"; then
      tail -n 40 "$RMQ_LOG" >&2
      die "RabbitMQ node $RMQ_NODE exited during start (log above: $RMQ_LOG)"
    fi
    if [ "$(now)" -ge "$deadline" ]; then
      tail -n 40 "$RMQ_LOG" >&2
      die "RabbitMQ node $RMQ_NODE did not start within ${IOTCORE_RABBITMQ_TIMEOUT:-90} s (log above: $RMQ_LOG)"
    fi
    sleep 1
  done
  # RabbitMQ 4.0.5's event exchange publishes only while it believes amq.rabbitmq.event has
  # bindings; on a node's first boot it misses the bindings the definitions import adds, so
  # core.presence would stay silent until a restart. Tell its handler what its own binding
  # decorator tells it when a first binding appears (the same message; see docs/local-stack.md).
  rmqctl -q eval 'rabbit_event ! {event_exchange, added_first_binding}, ok.' >/dev/null
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
  mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$RMQ_MQTT_PORT" -u "$RMQ_DEV_USER" -P "$RMQ_DEV_PASSWORD" \
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
  echo "             AMQP amqp://127.0.0.1:$RMQ_AMQP_PORT  MQTT mqtt://127.0.0.1:$RMQ_MQTT_PORT  MQTT/TLS mqtts://127.0.0.1:$RMQ_MQTT_TLS_PORT  HTTP http://127.0.0.1:$RMQ_HTTP_PORT  dist $RMQ_DIST_PORT"
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
