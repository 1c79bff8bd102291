#!/usr/bin/env bash
# How many TLS handshakes per second the local broker's MQTT TLS listener (8884) sustains with
# device certificates, on loopback, for a bounded time:
#   1. openssl s_time: bare TLS handshakes with a device certificate (new session each time);
#   2. HandshakeRateProbe (Java, HiveMQ client): full device logins, i.e. TLS handshake + MQTT 5
#      CONNECT with certificate login + CONNACK + DISCONNECT, from several threads.
# Usage: pki/handshake-rate.sh [SECONDS=10] [THREADS=4]   (after `scripts/stack infra`)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../scripts/lib/common.sh"
. "$here/../scripts/lib/rabbitmq.sh"
. "$here/../scripts/lib/pki.sh"
seconds=${1:-10} threads=${2:-4}
port=${IOTCORE_MQTT_TLS_PORT:-$RMQ_MQTT_TLS_PORT}
pki=$IOTCORE_PKI_DIR
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A throwaway device certificate (the TLS layer does not need a broker user).
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/d.key"
openssl req -new -key "$tmp/d.key" -subj /CN=handshake-rate -out "$tmp/d.csr"
printf 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:handshake-rate\n' >"$tmp/ext"
openssl x509 -req -in "$tmp/d.csr" -CA "$pki/device-ca.pem" -CAkey "$pki/device-ca.key" \
  -set_serial "0x$(openssl rand -hex 12)" -days 1 -extfile "$tmp/ext" -out "$tmp/d.pem" 2>/dev/null

for v in tls1_3 tls1_2; do
  log "openssl s_time -$v, new session per connection, $seconds s"
  openssl s_time -connect "127.0.0.1:$port" -new -"$v" -time "$seconds" -CAfile "$pki/trust-bundle.pem" \
    -cert "$tmp/d.pem" -key "$tmp/d.key" 2>/dev/null | grep -E 'connections in|connections/user' || true
done

. "$here/../scripts/lib/java-home.sh" || die "no JDK >= 21 found"
cd "$IOTCORE_REPO"
# The probe is a test class of system-tests; its dependencies come from the local repository
# (`./mvnw -pl system-tests -am install -DskipTests` once if they are missing).
./mvnw -B -q -pl system-tests test-compile -Dspotless.check.skip=true
cp=$(./mvnw -B -q -pl system-tests dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
log "HandshakeRateProbe: full MQTT logins over mTLS, $seconds s, $threads threads"
IOTCORE_PKI_DIR=$pki java -cp "system-tests/target/test-classes:$cp" \
  io.asyncrpc.systemtests.security.HandshakeRateProbe "$seconds" "$threads"
