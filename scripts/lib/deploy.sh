# shellcheck shell=bash
# Tools that check the deployment files (scripts/check-deploy), installed on first use into
# $IOTCORE_HOME/deploy-tools, outside the repository, like the broker's root (rabbitmq.sh).
# Source after common.sh.
#
# - Docker Compose: Debian 12's docker client has no compose plugin, and no engine runs here. The
#   trixie package docker-compose ships the compose binary, which checks a compose file without an
#   engine (`config`). It is fetched with apt-get from a private apt configuration for trixie on
#   the machine's own mirror (debian_mirror), unpacked with dpkg -x and used standalone.
# - Node packages of deploy/check (the Kubernetes API schemas of kubernetes-models, a YAML parser),
#   installed with `npm ci` from the committed lock file.

DEPLOY_TOOLS=$IOTCORE_HOME/deploy-tools
DEPLOY_APT=$DEPLOY_TOOLS/apt
COMPOSE_BIN=$DEPLOY_TOOLS/compose/docker-compose
DEPLOY_NODE=$DEPLOY_TOOLS/node

# apt-get with a private configuration and state for the trixie suite (the machine's apt is untouched).
deploy_apt() {
  apt-get -q -o Dir::Etc="$DEPLOY_APT/etc" -o Dir::Etc::sourcelist="$DEPLOY_APT/etc/sources.list" \
    -o Dir::Etc::sourceparts="$DEPLOY_APT/etc/sources.list.d" \
    -o Dir::Etc::preferencesparts="$DEPLOY_APT/etc/preferences.d" \
    -o Dir::State="$DEPLOY_APT/state" -o Dir::Cache="$DEPLOY_APT/cache" "$@"
}

compose_ensure() {
  if [ -x "$COMPOSE_BIN" ] && "$COMPOSE_BIN" version >/dev/null 2>&1; then
    return 0
  fi
  need_command dpkg-deb dpkg
  local suite=${IOTCORE_ROOT_SUITE:-trixie} mirror tmp
  mirror=$(debian_mirror)
  log "docker compose: fetching the $suite package docker-compose from the machine's apt mirror"
  mkdir -p "$DEPLOY_APT/etc/sources.list.d" "$DEPLOY_APT/etc/preferences.d" \
    "$DEPLOY_APT/state/lists/partial" "$DEPLOY_APT/cache/archives/partial"
  : >"$DEPLOY_APT/etc/sources.list"
  printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$mirror" "$suite" >"$DEPLOY_APT/etc/sources.list.d/$suite.sources"
  deploy_apt update >"$IOTCORE_LOGS/deploy-apt.log" 2>&1 \
    || { tail -n 20 "$IOTCORE_LOGS/deploy-apt.log" >&2; die "apt-get update for $suite failed (log: $IOTCORE_LOGS/deploy-apt.log)"; }
  tmp=$(mktemp -d)
  (cd "$tmp" && deploy_apt download docker-compose) >>"$IOTCORE_LOGS/deploy-apt.log" 2>&1 \
    || { rm -rf "$tmp"; die "apt-get download docker-compose ($suite) failed (log: $IOTCORE_LOGS/deploy-apt.log)"; }
  dpkg-deb -x "$tmp"/docker-compose_*.deb "$tmp/root"
  mkdir -p "$(dirname "$COMPOSE_BIN")"
  install -m 0755 "$tmp/root/usr/libexec/docker/cli-plugins/docker-compose" "$COMPOSE_BIN"
  rm -rf "$tmp" "$DEPLOY_APT/state/lists"/*_* # the lists are only needed for the download
  log "docker compose: $("$COMPOSE_BIN" version) in $COMPOSE_BIN"
}

# The node packages of deploy/check, reinstalled when its lock file changes.
deploy_node_ensure() {
  need_command node nodejs
  need_command npm npm
  local src=$IOTCORE_REPO/deploy/check stamp
  stamp=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)
  if [ -d "$DEPLOY_NODE/node_modules/kubernetes-models" ] && [ "$(cat "$DEPLOY_NODE/.stamp" 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  log "deploy checks: npm ci (kubernetes-models, yaml) into $DEPLOY_NODE"
  rm -rf "$DEPLOY_NODE"
  mkdir -p "$DEPLOY_NODE"
  cp "$src/package.json" "$src/package-lock.json" "$DEPLOY_NODE/"
  (cd "$DEPLOY_NODE" && npm ci --no-audit --no-fund --loglevel=error) >"$IOTCORE_LOGS/deploy-npm.log" 2>&1 \
    || { tail -n 20 "$IOTCORE_LOGS/deploy-npm.log" >&2; die "npm ci in $DEPLOY_NODE failed (log: $IOTCORE_LOGS/deploy-npm.log)"; }
  echo "$stamp" >"$DEPLOY_NODE/.stamp"
}
