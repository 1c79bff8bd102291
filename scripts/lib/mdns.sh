# shellcheck shell=bash
# Optional mDNS announcement of the local stack with avahi-daemon (Debian package), run without
# systemd or D-Bus: the service files of mdns/avahi/ (broker MQTT and MQTTS, API) with this
# stack's ports. Opt-in: `IOTCORE_MDNS=1 scripts/stack up`, or `scripts/stack mdns` on its own.
# Source after common.sh, rabbitmq.sh and nginx.sh.
#
#   IOTCORE_MDNS_INTERFACES   avahi's allow-interfaces, e.g. `lo` to keep announcements on this
#                             machine, `eth0` for one LAN; default: every interface with multicast
#
# The stack's listeners bind to STACK_HOST (loopback): for devices on the LAN to use what is announced, bind
# them to the LAN too (IOTCORE_NGINX_LISTEN, the broker's listeners); see docs/local-stack.md.

MDNS_STATE=$IOTCORE_HOME/avahi
MDNS_SERVICES_DIR=/etc/avahi/services # compiled into avahi-daemon

mdns_pid() { cat /run/avahi-daemon/pid 2>/dev/null; }
mdns_running() { local p; p=$(mdns_pid) && [ -n "$p" ] && proc_alive "$p"; }

# The service files with this stack's ports (nginx's from its listener): each file announces one
# port, whatever number the repository's copy carries.
mdns_install_services() {
  local api_port
  api_port=$(nginx_listen)
  api_port=${api_port##*:}
  mkdir -p "$MDNS_SERVICES_DIR"
  sed "s#<port>[0-9]*</port>#<port>$RMQ_MQTT_PORT</port>#" \
    "$IOTCORE_REPO/mdns/avahi/iotcore-mqtt.service" >"$MDNS_SERVICES_DIR/iotcore-mqtt.service"
  sed "s#<port>[0-9]*</port>#<port>$RMQ_MQTT_TLS_PORT</port>#" \
    "$IOTCORE_REPO/mdns/avahi/iotcore-mqtts.service" >"$MDNS_SERVICES_DIR/iotcore-mqtts.service"
  sed "s#<port>[0-9]*</port>#<port>$api_port</port>#" \
    "$IOTCORE_REPO/mdns/avahi/iotcore-api.service" >"$MDNS_SERVICES_DIR/iotcore-api.service"
}

mdns_config() {
  mkdir -p "$MDNS_STATE"
  {
    echo "[server]"
    echo "use-ipv4=yes"
    echo "use-ipv6=no" # the stack's listeners are IPv4 only
    echo "enable-dbus=no"
    echo "ratelimit-interval-usec=1000000"
    echo "ratelimit-burst=1000"
    if [ -n "${IOTCORE_MDNS_INTERFACES:-}" ]; then echo "allow-interfaces=$IOTCORE_MDNS_INTERFACES"; fi
    echo "[wide-area]"
    echo "enable-wide-area=no"
    echo "[publish]"
    echo "publish-hinfo=no"
    echo "publish-workstation=no"
  } >"$MDNS_STATE/avahi-daemon.conf.new"
  if ! cmp -s "$MDNS_STATE/avahi-daemon.conf.new" "$MDNS_STATE/avahi-daemon.conf"; then
    mv "$MDNS_STATE/avahi-daemon.conf.new" "$MDNS_STATE/avahi-daemon.conf"
    return 1 # changed
  fi
  rm -f "$MDNS_STATE/avahi-daemon.conf.new"
}

mdns_up() {
  need_command avahi-daemon avahi-daemon
  if ! mdns_config && was_started avahi && mdns_running; then
    log "mDNS: configuration changed; restarting avahi-daemon"
    mdns_down
  fi
  mdns_install_services
  if mdns_running; then
    # avahi-daemon reloads its service files on SIGHUP.
    avahi-daemon --reload >/dev/null 2>&1 || kill -HUP "$(mdns_pid)" 2>/dev/null || true
    log "mDNS: avahi-daemon running (pid $(mdns_pid)); service files reloaded"
  else
    mkdir -p /run/avahi-daemon
    log "mDNS: starting avahi-daemon (interfaces: ${IOTCORE_MDNS_INTERFACES:-all}; log: $IOTCORE_LOGS/avahi.log)"
    without_inherited_fds setsid avahi-daemon -f "$MDNS_STATE/avahi-daemon.conf" --no-drop-root \
      --no-chroot --no-rlimits </dev/null >"$IOTCORE_LOGS/avahi.log" 2>&1 &
    local deadline=$(($(now) + 10))
    until mdns_running && grep -q "Server startup complete" "$IOTCORE_LOGS/avahi.log"; do
      [ "$(now)" -lt "$deadline" ] || {
        tail -n 20 "$IOTCORE_LOGS/avahi.log" >&2
        die "avahi-daemon did not start (log above: $IOTCORE_LOGS/avahi.log)"
      }
      sleep 0.2
    done
    record_started avahi
  fi
  log "mDNS: announcing _mqtt._tcp :$RMQ_MQTT_PORT, _secure-mqtt._tcp :$RMQ_MQTT_TLS_PORT, _https._tcp :$(nginx_listen) path=/api/v1"
}

# Stops avahi-daemon only if this script started it.
mdns_down() {
  was_started avahi || return 0
  if mdns_running; then
    local pid
    pid=$(mdns_pid)
    log "mDNS: stopping avahi-daemon (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    wait_exit "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$MDNS_SERVICES_DIR"/iotcore-*.service
  forget_started avahi
}

mdns_status() {
  if mdns_running; then
    printf '%-12s running   pid %s, service files: %s\n' avahi "$(mdns_pid)" \
      "$(cd "$MDNS_SERVICES_DIR" && find . -maxdepth 1 -name 'iotcore-*.service' -printf '%f\n' 2>/dev/null | sort | tr '\n' ' ')"
  elif [ "${IOTCORE_MDNS:-0}" = 1 ]; then
    printf '%-12s stopped (IOTCORE_MDNS=1)\n' avahi
    return 1
  fi
  return 0
}
