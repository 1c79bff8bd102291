#!/bin/sh
# Entry point of the mdns image: renders the service files with this deployment's ports and runs
# avahi-daemon in the foreground, without D-Bus (nothing else in the container needs it). The
# plain MQTT listener is not announced: the deployment has none.
#
#   IOTCORE_MQTTS_PORT        8884   the broker's MQTT over TLS port as devices reach it
#   IOTCORE_HTTPS_PORT        8443   the edge's HTTPS port
#   IOTCORE_MDNS_INTERFACES   (all)  avahi's allow-interfaces, e.g. "eth0"
#   AVAHI_DIR                 /etc/avahi   where the daemon reads its configuration and services
#   IOTCORE_AVAHI_SOURCE      /opt/iotcore/avahi   the service files of mdns/avahi/
# With --render-only it writes the files and stops (how the deploy check runs it).
set -eu
dir=${AVAHI_DIR:-/etc/avahi}
src=${IOTCORE_AVAHI_SOURCE:-/opt/iotcore/avahi}
mkdir -p "$dir/services"
rm -f "$dir"/services/*.service
sed "s#<port>8884</port>#<port>${IOTCORE_MQTTS_PORT:-8884}</port>#" \
  "$src/iotcore-mqtts.service" >"$dir/services/iotcore-mqtts.service"
sed "s#<port>8443</port>#<port>${IOTCORE_HTTPS_PORT:-8443}</port>#" \
  "$src/iotcore-api.service" >"$dir/services/iotcore-api.service"
{
  echo "[server]"
  echo "use-ipv4=yes"
  echo "use-ipv6=no"
  echo "enable-dbus=no"
  if [ -n "${IOTCORE_MDNS_INTERFACES:-}" ]; then echo "allow-interfaces=$IOTCORE_MDNS_INTERFACES"; fi
  echo "[wide-area]"
  echo "enable-wide-area=no"
  echo "[publish]"
  echo "publish-hinfo=no"
  echo "publish-workstation=no"
} >"$dir/avahi-daemon.conf"
[ "${1:-}" = "--render-only" ] && exit 0
exec avahi-daemon --no-chroot --no-rlimits -f "$dir/avahi-daemon.conf"
