#!/usr/bin/env bash
# shellcheck shell=bash
# The edge (nginx with njs): renders nginx/nginx.conf.template and runs nginx as its own instance
# (`nginx -p DIR -c DIR/nginx.conf`), never the system nginx service.
#
# Source it (after common.sh) for nginx_up / nginx_down / nginx_status / nginx_render, or run it:
#   scripts/lib/nginx.sh render DIR     render the configuration into DIR (tests start nginx on it)
#   scripts/lib/nginx.sh kid PEM        the key id nginx gives a public key (RFC 7638 thumbprint)
#
# Settings (environment, with the local stack's defaults):
#   IOTCORE_NGINX_LISTEN        STACK_HOST:EDGE_PORT  HTTPS listener
#   IOTCORE_NGINX_API_UPSTREAM  STACK_HOST:API_PORT   api-service
#   IOTCORE_NGINX_CA_UPSTREAM   STACK_HOST:CA_PORT    ca-service
#   IOTCORE_NGINX_MCP_UPSTREAM  STACK_HOST:MCP_PORT   mcp-server (/mcp)
#                               (the three defaults from stack.env beside this file; where only
#                               this file is mounted, as in compose's edge, they must be set)
#   IOTCORE_NGINX_TLS_CERT      $IOTCORE_PKI_DIR/nginx-chain.pem (nginx.pem if there is no chain)
#   IOTCORE_NGINX_TLS_KEY       $IOTCORE_PKI_DIR/nginx.key
#   IOTCORE_NGINX_JWT_KEYS      $IOTCORE_PKI_DIR/jwt-signing.pub.pem, plus jwt-signing.previous.pub.pem
#                               when present (kid rollover): SPKI PEM files, space-separated
#   IOTCORE_NGINX_ISSUER        iot-async-rpc-ca      required iss
#   IOTCORE_NGINX_AUDIENCE      iot-async-rpc-api     required aud
#   IOTCORE_NGINX_LEEWAY        30                    seconds of clock skew allowed on exp/nbf
#   IOTCORE_NGINX_CLIENT_RATE   50r/s  IOTCORE_NGINX_CLIENT_BURST 100   per verified client id
#   IOTCORE_NGINX_PUBLIC_RATE   10r/s  IOTCORE_NGINX_PUBLIC_BURST 20    /oauth/token, /enroll per address
#   IOTCORE_NGINX_MAX_BODY      256k                  client_max_body_size
#   IOTCORE_NGINX_CONSOLE_DIR   $IOTCORE_REPO/console/dist   the web console's built files (/console/)
#   IOTCORE_NGINX_WORKERS       auto

IOTCORE_REPO=${IOTCORE_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
NGINX_STATE=${IOTCORE_HOME:-$HOME/.cache/iot-core}/nginx
# The local stack's ports, unless common.sh loaded them already (again would undo its overrides).
if [ -z "${STACK_HOST:-}" ] && [ -r "$(dirname "${BASH_SOURCE[0]}")/stack.env" ]; then
  # shellcheck source=stack.env
  . "$(dirname "${BASH_SOURCE[0]}")/stack.env"
fi

# _nginx_addr SETTING PORT: the value of the environment variable SETTING, else STACK_HOST:PORT.
_nginx_addr() {
  local value=${!1:-}
  if [ -z "$value" ] && [ -n "${STACK_HOST:-}" ] && [ -n "$2" ]; then value=$STACK_HOST:$2; fi
  [ -n "$value" ] || { echo "nginx: set $1 (no stack.env beside scripts/lib/nginx.sh for its default)" >&2; return 1; }
  echo "$value"
}
nginx_listen() { _nginx_addr IOTCORE_NGINX_LISTEN "${EDGE_PORT:-}"; }

# base64url without padding of stdin
_nginx_b64url() { basenc --base64url -w0 | tr -d '='; }

# nginx_kid PEM: the key id of an RSA public key: the content of <name>.kid beside
# <name>.pub.pem when there is one, else its RFC 7638 JWK thumbprint (what ca-service publishes).
nginx_kid() {
  local pem=$1 kidfile=${1%.pub.pem}.kid n e
  if [ "$kidfile" != "$pem" ] && [ -s "$kidfile" ]; then
    tr -d ' \n' <"$kidfile"
    return
  fi
  n=$(openssl rsa -pubin -in "$pem" -noout -modulus | sed 's/^Modulus=//' | basenc --base16 -d | _nginx_b64url) || return 1
  e=$(openssl rsa -pubin -in "$pem" -noout -text | sed -n 's/^Exponent: [0-9]* (0x\([0-9a-fA-F]*\))/\1/p')
  [ $((${#e} % 2)) = 1 ] && e=0$e
  e=$(printf '%s' "$e" | tr 'a-f' 'A-F' | basenc --base16 -d | _nginx_b64url)
  printf '{"e":"%s","kty":"RSA","n":"%s"}' "$e" "$n" | openssl dgst -sha256 -binary | _nginx_b64url
}

_nginx_pki_dir() { echo "${IOTCORE_PKI_DIR:-${IOTCORE_HOME:-$HOME/.cache/iot-core}/trixie/etc/iotcore/pki}"; }

_nginx_default_keys() {
  local pki f out=""
  pki=$(_nginx_pki_dir)
  for f in "$pki/jwt-signing.pub.pem" "$pki/jwt-signing.previous.pub.pem"; do
    [ -s "$f" ] && out="$out $f"
  done
  echo "$out"
}

_nginx_module() {
  local m
  for m in /usr/lib/nginx/modules/ngx_http_js_module.so /usr/share/nginx/modules/ngx_http_js_module.so \
    /etc/nginx/modules/ngx_http_js_module.so; do
    [ -f "$m" ] && { echo "$m"; return 0; }
  done
  return 1
}

# nginx_render DIR: writes DIR/nginx.conf, DIR/jwt.js, DIR/jwt_config.js and the state folders.
nginx_render() {
  local dir=$1 pki cert key keys pem kid der module mime user_directive listen api_upstream ca_upstream mcp_upstream
  listen=$(nginx_listen) || return 1
  api_upstream=$(_nginx_addr IOTCORE_NGINX_API_UPSTREAM "${API_PORT:-}") || return 1
  ca_upstream=$(_nginx_addr IOTCORE_NGINX_CA_UPSTREAM "${CA_PORT:-}") || return 1
  mcp_upstream=$(_nginx_addr IOTCORE_NGINX_MCP_UPSTREAM "${MCP_PORT:-}") || return 1
  pki=$(_nginx_pki_dir)
  cert=${IOTCORE_NGINX_TLS_CERT:-}
  if [ -z "$cert" ]; then
    cert=$pki/nginx-chain.pem
    [ -s "$cert" ] || cert=$pki/nginx.pem
  fi
  key=${IOTCORE_NGINX_TLS_KEY:-$pki/nginx.key}
  keys=${IOTCORE_NGINX_JWT_KEYS:-$(_nginx_default_keys)}
  [ -s "$cert" ] || { echo "nginx: no TLS certificate at $cert (pki/bootstrap.sh makes it)" >&2; return 1; }
  [ -s "$key" ] || { echo "nginx: no TLS key at $key" >&2; return 1; }
  [ -n "${keys// /}" ] || { echo "nginx: no JWT public key (IOTCORE_NGINX_JWT_KEYS, or $pki/jwt-signing.pub.pem)" >&2; return 1; }
  module=$(_nginx_module) || { echo "nginx: no njs module (apt-get install libnginx-mod-http-js)" >&2; return 1; }
  mime=/etc/nginx/mime.types
  [ -f "$mime" ] || mime=$IOTCORE_REPO/nginx/mime.types
  # As root the master reads keys and certificates; workers drop to nobody.
  user_directive=""
  [ "$(id -u)" = 0 ] && user_directive="user nobody nogroup;"

  mkdir -p "$dir/logs" "$dir/tmp" "$dir/empty"
  {
    echo "// Rendered by scripts/lib/nginx.sh: the JWT rules and trusted keys of jwt.js."
    echo "export default {"
    echo "  issuer: '${IOTCORE_NGINX_ISSUER:-iot-async-rpc-ca}',"
    echo "  audience: '${IOTCORE_NGINX_AUDIENCE:-iot-async-rpc-api}',"
    echo "  leeway: ${IOTCORE_NGINX_LEEWAY:-30},"
    echo "  keys: {"
    for pem in $keys; do
      kid=$(nginx_kid "$pem") || { echo "nginx: cannot read RSA public key $pem" >&2; return 1; }
      der=$(openssl pkey -pubin -in "$pem" -outform DER | base64 -w0) || return 1
      echo "    '$kid': '$der',"
    done
    echo "  }"
    echo "};"
  } >"$dir/jwt_config.js.new"
  mv "$dir/jwt_config.js.new" "$dir/jwt_config.js"
  cp "$IOTCORE_REPO/nginx/jwt.js" "$dir/jwt.js"
  sed -e "s#@@USER_DIRECTIVE@@#$user_directive#" \
    -e "s#@@WORKERS@@#${IOTCORE_NGINX_WORKERS:-auto}#" \
    -e "s#@@STATE_DIR@@#$dir#g" \
    -e "s#@@CONF_DIR@@#$dir#g" \
    -e "s#@@NJS_MODULE@@#$module#" \
    -e "s#@@MIME_TYPES@@#$mime#" \
    -e "s#@@LISTEN@@#$listen#" \
    -e "s#@@API_UPSTREAM@@#$api_upstream#" \
    -e "s#@@CA_UPSTREAM@@#$ca_upstream#" \
    -e "s#@@MCP_UPSTREAM@@#$mcp_upstream#" \
    -e "s#@@TLS_CERT@@#$cert#" \
    -e "s#@@TLS_KEY@@#$key#" \
    -e "s#@@CLIENT_RATE@@#${IOTCORE_NGINX_CLIENT_RATE:-50r/s}#" \
    -e "s#@@CLIENT_BURST@@#${IOTCORE_NGINX_CLIENT_BURST:-100}#g" \
    -e "s#@@PUBLIC_RATE@@#${IOTCORE_NGINX_PUBLIC_RATE:-10r/s}#" \
    -e "s#@@PUBLIC_BURST@@#${IOTCORE_NGINX_PUBLIC_BURST:-20}#g" \
    -e "s#@@MAX_BODY@@#${IOTCORE_NGINX_MAX_BODY:-256k}#g" \
    -e "s#@@CONSOLE_DIR@@#${IOTCORE_NGINX_CONSOLE_DIR:-$IOTCORE_REPO/console/dist}#" \
    "$IOTCORE_REPO/nginx/nginx.conf.template" >"$dir/nginx.conf"
  if grep -v '^ *#' "$dir/nginx.conf" | grep -q '@@[A-Z_]*@@'; then
    echo "nginx: unrendered placeholders in $dir/nginx.conf" >&2
    return 1
  fi
}

# --- the local stack's instance (scripts/stack) ----------------------------------------------

nginx_pid() { [ -s "$NGINX_STATE/nginx.pid" ] && cat "$NGINX_STATE/nginx.pid"; }

nginx_running() {
  local pid
  pid=$(nginx_pid) || return 1
  kill -0 "$pid" 2>/dev/null
}

# nginx and its njs module, installed if missing (not started).
nginx_install() {
  need_command nginx nginx-light
  _nginx_module >/dev/null || apt_install libnginx-mod-http-js
}

nginx_up() {
  nginx_install
  nginx_render "$NGINX_STATE" || die "nginx: rendering the configuration failed"
  nginx -t -q -p "$NGINX_STATE" -c "$NGINX_STATE/nginx.conf" -e "$NGINX_STATE/logs/error.log" \
    || die "nginx: the rendered configuration is invalid ($NGINX_STATE/nginx.conf)"
  if nginx_running; then
    log "nginx: reloading (pid $(nginx_pid))"
    nginx -p "$NGINX_STATE" -c "$NGINX_STATE/nginx.conf" -e "$NGINX_STATE/logs/error.log" -s reload
  else
    log "nginx: starting on https://$(nginx_listen) (log: $NGINX_STATE/logs)"
    # nginx daemonizes itself: it must not keep the stack's lock (or a caller's) open.
    (without_inherited_fds nginx -p "$NGINX_STATE" -c "$NGINX_STATE/nginx.conf" \
      -e "$NGINX_STATE/logs/error.log") \
      || die "nginx did not start (see $NGINX_STATE/logs/error.log)"
    record_started nginx
  fi
}

nginx_down() {
  nginx_running || { forget_started nginx; return 0; }
  local pid
  pid=$(nginx_pid)
  log "nginx: stopping (pid $pid)"
  nginx -p "$NGINX_STATE" -c "$NGINX_STATE/nginx.conf" -e "$NGINX_STATE/logs/error.log" -s quit 2>/dev/null \
    || kill -QUIT "$pid" 2>/dev/null || true
  wait_exit "$pid" 15 || kill -TERM "$pid" 2>/dev/null || true
  forget_started nginx
}

nginx_status() {
  local code listen
  listen=$(nginx_listen)
  if nginx_running; then
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 -k "https://$listen/api/v1/tasks" || true)
    if [ "$code" = 401 ]; then
      printf '%-12s running   https://%s  pid %s, JWT check answers 401 without a token\n' nginx "$listen" "$(nginx_pid)"
    else
      printf '%-12s running   https://%s  pid %s, NOT HEALTHY: /api/v1/tasks without a token gave %s, not 401 (log: %s)\n' nginx "$listen" "$(nginx_pid)" "$code" "$NGINX_STATE/logs"
      return 1
    fi
  else
    printf '%-12s stopped\n' nginx
  fi
}

nginx_print_endpoint() {
  local pki listen
  listen=$(nginx_listen)
  pki=$(_nginx_pki_dir)
  cat <<EOT
  HTTPS edge    https://$STACK_HOST:${listen##*:}/api/v1/tasks  (nginx: JWT, TLS, limits; docs/security.md)
                token: curl --cacert $pki/trust-bundle.pem -d grant_type=client_credentials \\
                  -u "\$IOTCORE_CLIENT_ID:\$IOTCORE_CLIENT_SECRET" https://localhost:${listen##*:}/oauth/token
EOT
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case ${1:-} in
    render) [ $# = 2 ] || { echo "usage: $0 render DIR" >&2; exit 2; }; nginx_render "$2" ;;
    kid) [ $# = 2 ] || { echo "usage: $0 kid PEM" >&2; exit 2; }; nginx_kid "$2"; echo ;;
    *) sed -n '3,9s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
  esac
fi
