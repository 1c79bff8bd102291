#!/usr/bin/env bash
# Entry point of a simulated device (profile `devices` of docker-compose.yml), the way scripts/demo
# brings its devices in: on first start it registers the device and gets a one-time enrollment
# token through the edge (client-credentials token of the bootstrap client), then the agent makes
# its own key and trades a CSR for its certificate at ca-service. Every start then runs the agent
# over MQTT 5 with mTLS. The key and certificate stay in the device's volume.
#
# Environment: IOTCORE_DEVICE_ID (required), IOTCORE_EDGE_URL (https://nginx:8443),
# IOTCORE_CA_URL (http://ca-service:8082), IOTCORE_MQTT_HOST (rabbitmq), IOTCORE_MQTT_TLS_PORT
# (8884), IOTCORE_TLS_CA (the PKI's trust-bundle.pem), IOTCORE_DEVICE_SECRETS (a folder with the
# files IOTCORE_CLIENT_ID and IOTCORE_CLIENT_SECRET), IOTCORE_DEVICE_STATE (/var/lib/iotcore-device).
set -euo pipefail

id=${IOTCORE_DEVICE_ID:?set IOTCORE_DEVICE_ID}
edge=${IOTCORE_EDGE_URL:-https://nginx:8443}
ca_url=${IOTCORE_CA_URL:-http://ca-service:8082}
trust=${IOTCORE_TLS_CA:-/etc/iotcore/pki/trust-bundle.pem}
secrets=${IOTCORE_DEVICE_SECRETS:-/run/secrets/iotcore/devices}
dir=${IOTCORE_DEVICE_STATE:-/var/lib/iotcore-device}/$id
jar=${IOTCORE_AGENT_JAR:-/opt/iotcore/device-agent.jar}

say() { printf '%s [device %s] %s\n' "$(date +%H:%M:%S)" "$id" "$*" >&2; }

enroll() {
  local client secret token code enrollment
  client=$(cat "$secrets/IOTCORE_CLIENT_ID")
  secret=$(cat "$secrets/IOTCORE_CLIENT_SECRET")
  token=$(curl -fsS --cacert "$trust" -u "$client:$secret" -d grant_type=client_credentials \
    "$edge/oauth/token" | jq -er .access_token)
  code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$trust" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"id\":\"$id\",\"display_name\":\"compose device\"}" \
    "$edge/api/v1/devices")
  case $code in
    201) say "registered" ;;
    409) say "registered already" ;;
    *) say "registering answered HTTP $code"; exit 1 ;;
  esac
  enrollment=$(curl -fsS --cacert "$trust" -H "Authorization: Bearer $token" -X POST \
    "$edge/api/v1/identities/$id/enrollment-tokens" | jq -er .token)
  java -jar "$jar" enroll --device-id "$id" --token="$enrollment" --ca-url "$ca_url" --out "$dir"
  say "enrolled: certificate $(openssl x509 -in "$dir/device.pem" -noout -serial 2>/dev/null || echo issued)"
}

mkdir -p "$dir"
if [ ! -s "$dir/device.pem" ] || [ ! -s "$dir/device.key" ]; then
  enroll
fi
say "connecting to ${IOTCORE_MQTT_HOST:-rabbitmq}:${IOTCORE_MQTT_TLS_PORT:-8884} over mTLS"
exec java -jar "$jar" --device-id "$id" --host "${IOTCORE_MQTT_HOST:-rabbitmq}" \
  --port "${IOTCORE_MQTT_TLS_PORT:-8884}" --cert "$dir/device.pem" --key "$dir/device.key" \
  --ca "$trust" --poll-interval "${IOTCORE_POLL_INTERVAL:-10s}" --session-expiry 1h \
  --journal "$dir/journal"
