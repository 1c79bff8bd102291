#!/usr/bin/env bash
# Run by the official nginx image's entry point (/docker-entrypoint.d/) before nginx starts:
# renders nginx/nginx.conf.template with scripts/lib/nginx.sh, the same renderer the local stack
# uses, into $IOTCORE_NGINX_STATE_DIR. The IOTCORE_NGINX_* settings come from docker-compose.yml.
set -euo pipefail
state=${IOTCORE_NGINX_STATE_DIR:-/var/lib/iotcore-edge}
bash /opt/iotcore/scripts/lib/nginx.sh render "$state"
# The container's log collector reads standard output and error.
ln -sfn /dev/stdout "$state/logs/access.log"
ln -sfn /dev/stderr "$state/logs/error.log"
echo "iotcore: nginx configuration rendered into $state (listen ${IOTCORE_NGINX_LISTEN:-?})"
