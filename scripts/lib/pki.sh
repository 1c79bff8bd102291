# shellcheck shell=bash
# Where the PKI of the local stack lives and how the stack makes sure it exists. Source after
# common.sh and rabbitmq.sh.
#
# The broker runs in a chroot and can read only files inside its root, and ca-service must be able
# to replace the device CA's CRL while the broker runs (no restart, no copy step). So the PKI
# directory lives inside the root, at the path the broker configuration names
# (rabbitmq/conf.d/10-mqtt-tls.conf, rabbitmq/advanced.config): /etc/iotcore/pki. Services and
# tests outside the root find it through IOTCORE_PKI_DIR (`scripts/stack env` prints it).

RMQ_PKI_DIR=/etc/iotcore/pki # as the broker sees it; compose mounts the PKI volume here too
IOTCORE_PKI_DIR=${IOTCORE_PKI_DIR:-$TRIXIE_ROOT$RMQ_PKI_DIR}

# The files the broker reads, relative to the PKI directory.
PKI_BROKER_FILES=(device-ca-chain.pem broker-chain.pem broker.key crl/device-ca.crl.pem)

pki_complete() {
  local f
  for f in "${PKI_BROKER_FILES[@]}" trust-bundle.pem device-ca.pem device-ca.key nginx.pem \
    nginx.key jwt-signing.key jwt-signing.pub.pem; do
    [ -s "$IOTCORE_PKI_DIR/$f" ] || return 1
  done
}

# Creates the PKI on first use (pki/bootstrap.sh does nothing when it exists).
pki_ensure() {
  need_command openssl openssl
  if ! pki_complete; then
    log "PKI: creating demo CAs and certificates in $IOTCORE_PKI_DIR (pki/bootstrap.sh)"
    IOTCORE_PKI_DIR=$IOTCORE_PKI_DIR "$IOTCORE_REPO/pki/bootstrap.sh" >&2 || die "pki/bootstrap.sh failed"
  fi
  pki_sync_into_root
}

# When IOTCORE_PKI_DIR points outside the broker's root, copy what the broker reads into the root.
# Then a new CRL reaches the broker only with the next `scripts/stack infra` (a warning says so).
pki_sync_into_root() {
  local inside=$TRIXIE_ROOT$RMQ_PKI_DIR f
  [ "$(realpath -m "$IOTCORE_PKI_DIR")" = "$(realpath -m "$inside")" ] && return 0
  warn "PKI: IOTCORE_PKI_DIR=$IOTCORE_PKI_DIR is outside the broker's root; copying the broker's files into $inside (CRL updates reach the broker only with the next 'scripts/stack infra')"
  mkdir -p "$inside/crl"
  chmod 0700 "$inside"
  for f in "${PKI_BROKER_FILES[@]}"; do
    cp -p "$IOTCORE_PKI_DIR/$f" "$inside/$f"
  done
  pki_crl_link "$inside/crl"
}

# The CRL under the name Erlang's ssl_crl_hash_dir looks for: <issuer name hash>.r0.
pki_crl_link() {
  local dir=$1 hash
  hash=$(openssl crl -in "$dir/device-ca.crl.pem" -noout -hash)
  ln -sfn device-ca.crl.pem "$dir/$hash.r0"
}
