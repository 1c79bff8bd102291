#!/usr/bin/env bash
# One-shot bootstrap of the compose stack (service `bootstrap` in docker-compose.yml). Runs at every
# `docker compose up` and changes nothing that exists already, so secrets stay stable:
#
#   1. the PKI (pki/bootstrap.sh) in $IOTCORE_PKI_DIR, the volume `pki`
#   2. generated secrets in $IOTCORE_SECRETS_DIR, the volume `secrets`: the PostgreSQL and RabbitMQ
#      passwords and the bootstrap client's secret, as one file per setting (Spring Boot reads a
#      folder of them with `spring.config.import=configtree:`)
#   3. the broker's definitions folder in $IOTCORE_BROKER_DEFS_DIR, the volume `broker-definitions`:
#      10-iotcore.json links to the repository's rabbitmq/definitions.json (mounted into the broker),
#      20-deployment.json overrides its development logins. RabbitMQ imports a folder's files in
#      name order and a later user definition replaces an earlier one, so `iotcore` gets the
#      generated password and the shared `device` login gets none (no password login at all).
#   4. ownership: the services run as uid $IOTCORE_APP_UID, RabbitMQ as uid/gid $IOTCORE_BROKER_UID
#      (IOTCORE_BOOTSTRAP_OWNERSHIP=0 leaves owners alone, e.g. when the files become Kubernetes
#      Secrets: deploy/k8s/README.md).
#
# Nothing here is written into the repository; deleting the volumes starts over (docs/operations.md).
set -euo pipefail

PKI=${IOTCORE_PKI_DIR:?}
SECRETS=${IOTCORE_SECRETS_DIR:?}
DEFS=${IOTCORE_BROKER_DEFS_DIR:?}
APP_UID=${IOTCORE_APP_UID:-10001}
BROKER_UID=${IOTCORE_BROKER_UID:-999}
# Where the broker sees the repository's definitions.json (docker-compose.yml mounts rabbitmq/ there).
REPO_DEFINITIONS=${IOTCORE_BROKER_REPO_DEFINITIONS:-/etc/iotcore/rabbitmq/definitions.json}
CLIENT_ID=${IOTCORE_BOOTSTRAP_CLIENT_ID:-admin}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PKI_BOOTSTRAP=${IOTCORE_PKI_BOOTSTRAP:-$here/../../pki/bootstrap.sh}

# own ARGS...: chown, unless ownership is left alone.
own() { [ "${IOTCORE_BOOTSTRAP_OWNERSHIP:-1}" = 0 ] || chown "$@"; }

say() { printf '%s [bootstrap] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- 1. PKI ----------------------------------------------------------------------------------
IOTCORE_PKI_DIR=$PKI bash "$PKI_BOOTSTRAP"

# Broker (group) reads its key, the device CA chain and the CRL; ca-service (owner) signs device
# certificates and replaces the CRL; nginx's master runs as root.
own "$APP_UID:$BROKER_UID" "$PKI" "$PKI/crl"
chmod 0750 "$PKI"
chmod 0755 "$PKI/crl"
find "$PKI" -mindepth 1 -maxdepth 1 -name '*.key' -exec chmod 0600 {} +
if [ "${IOTCORE_BOOTSTRAP_OWNERSHIP:-1}" != 0 ]; then
  find "$PKI" -mindepth 1 -maxdepth 1 -name '*.key' -exec chown "$APP_UID:$APP_UID" {} +
  find "$PKI" -mindepth 1 \( -name '*.pem' -o -name '*.r[0-9]' \) -exec chown -h "$APP_UID:$APP_UID" {} +
fi
own "$APP_UID:$BROKER_UID" "$PKI/broker.key"
chmod 0640 "$PKI/broker.key"

# --- 2. secrets ------------------------------------------------------------------------------
umask 077
mkdir -p "$SECRETS"
# secret NAME: the value of NAME, generated on first use (48 hex characters).
secret() {
  local f=$SECRETS/generated/$1
  if [ ! -s "$f" ]; then
    mkdir -p "$SECRETS/generated"
    openssl rand -hex 24 >"$f.tmp"
    mv "$f.tmp" "$f"
    say "generated secret $1"
  fi
  tr -d '\n' <"$f"
}
postgres_password=$(secret postgres-password)
rabbitmq_password=$(secret rabbitmq-password)
client_secret=$(secret bootstrap-client-secret)

# put DIR NAME VALUE: one configtree file (no trailing newline: the file's content is the value).
put() {
  mkdir -p "$SECRETS/$1"
  chmod u+w "$SECRETS/$1" # read-only after a previous run
  printf '%s' "$3" >"$SECRETS/$1/$2.tmp"
  mv "$SECRETS/$1/$2.tmp" "$SECRETS/$1/$2"
}
put postgres password "$postgres_password" # POSTGRES_PASSWORD_FILE, read as root
for svc in api core ca; do
  put "$svc" spring.datasource.password "$postgres_password"
done
for svc in api core; do
  put "$svc" spring.rabbitmq.password "$rabbitmq_password"
done
put ca iot.ca.broker.password "$rabbitmq_password"
put ca IOTCORE_BOOTSTRAP_CLIENT_SECRET "$client_secret"
# The simulated devices (profile `devices`) register and enroll themselves with the bootstrap
# client, as scripts/demo does.
put devices IOTCORE_CLIENT_ID "$CLIENT_ID"
put devices IOTCORE_CLIENT_SECRET "$client_secret"
own -R root:root "$SECRETS/generated" "$SECRETS/postgres"
chmod 0700 "$SECRETS/generated" "$SECRETS/postgres"
chmod 0711 "$SECRETS" # the services may enter it, not list it
for d in api core ca devices; do
  own -R "$APP_UID:$APP_UID" "$SECRETS/$d"
  chmod 0500 "$SECRETS/$d"
  chmod 0400 "$SECRETS/$d"/*
done

# --- 3. broker definitions -------------------------------------------------------------------
# password_hash of rabbit_password_hashing_sha256: base64(salt(4) + SHA-256(salt + password)).
password_hash() {
  local tmp
  tmp=$(mktemp -d)
  openssl rand 4 >"$tmp/salt"
  { cat "$tmp/salt"; printf '%s' "$1"; } | openssl dgst -sha256 -binary >"$tmp/digest"
  cat "$tmp/salt" "$tmp/digest" | base64 -w0
  rm -rf "$tmp"
}
mkdir -p "$DEFS"
chmod u+w "$DEFS"
ln -sfn "$REPO_DEFINITIONS" "$DEFS/10-iotcore.json"
# Written anew at every run (a new salt, the same password), so a rotated password applies at the
# broker's next start.
cat >"$DEFS/20-deployment.json.tmp" <<JSON
{
  "users": [
    {
      "name": "iotcore",
      "password_hash": "$(password_hash "$rabbitmq_password")",
      "hashing_algorithm": "rabbit_password_hashing_sha256",
      "tags": ["administrator"],
      "limits": {}
    },
    {
      "name": "device",
      "password_hash": "",
      "hashing_algorithm": "rabbit_password_hashing_sha256",
      "tags": [],
      "limits": {}
    }
  ]
}
JSON
mv "$DEFS/20-deployment.json.tmp" "$DEFS/20-deployment.json"
own -h "$BROKER_UID:$BROKER_UID" "$DEFS" "$DEFS"/*
chmod 0500 "$DEFS"
chmod 0400 "$DEFS/20-deployment.json"

say "done: PKI in $PKI, secrets in $SECRETS, broker definitions in $DEFS"
