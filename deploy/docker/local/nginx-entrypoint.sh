#!/usr/bin/env bash
# Entry point of the local nginx image (nginx.Dockerfile): before an nginx command, runs each
# executable /docker-entrypoint.d/*.sh in name order, as the official image's entry point does.
set -euo pipefail
if [ "${1:-}" = nginx ]; then
  for f in /docker-entrypoint.d/*.sh; do
    [ -e "$f" ] || continue
    if [ -x "$f" ]; then
      "$f"
    else
      echo "docker-entrypoint: ignoring $f, not executable" >&2
    fi
  done
fi
exec "$@"
