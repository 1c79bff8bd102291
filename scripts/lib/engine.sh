# shellcheck shell=bash
# The Docker engine of the compose step (scripts/compose-test) and the local images
# (scripts/compose-images): Debian 12's docker.io (Docker 20.10) with iptables, installed if
# missing; dockerd started if none answers, with its defaults, and recorded so that only a
# dockerd started here is stopped again. Source after common.sh.

ENGINE_PID=$IOTCORE_RUN/dockerd.pid
ENGINE_LOG=$IOTCORE_LOGS/dockerd.log

engine_answers() { docker info >/dev/null 2>&1; }

# engine_ensure: installs and starts the engine as needed; "started" or "running" on stdout.
engine_ensure() {
  command -v dockerd >/dev/null 2>&1 || apt_install docker.io iptables
  command -v iptables >/dev/null 2>&1 || apt_install iptables
  command -v docker >/dev/null 2>&1 || die "docker.io is installed but 'docker' is not on PATH"
  if engine_answers; then
    echo running
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "no Docker engine answers, and starting dockerd needs root"
  log "engine: starting dockerd (log: $ENGINE_LOG)"
  (without_inherited_fds setsid dockerd >>"$ENGINE_LOG" 2>&1 </dev/null) &
  echo $! >"$ENGINE_PID"
  local deadline=$(($(now) + 60))
  until engine_answers; do
    proc_alive "$(cat "$ENGINE_PID")" || { tail -n 20 "$ENGINE_LOG" >&2; die "dockerd exited (log: $ENGINE_LOG)"; }
    [ "$(now)" -lt "$deadline" ] || die "dockerd did not answer within 60 s (log: $ENGINE_LOG)"
    sleep 0.5
  done
  record_started dockerd
  log "engine: $(docker version --format 'Docker {{.Server.Version}}, {{.Server.Os}}') ($(docker info --format '{{.Driver}}, cgroup v{{.CgroupVersion}}'))"
  echo started
}

# engine_stop: stops dockerd if engine_ensure started it (its containers must be gone already).
engine_stop() {
  was_started dockerd || return 0
  if pid_alive "$ENGINE_PID"; then
    log "engine: stopping the dockerd started here"
    kill "$(cat "$ENGINE_PID")"
    wait_exit "$(cat "$ENGINE_PID")" 30 || warn "dockerd still runs 30 s after SIGTERM"
  fi
  rm -f "$ENGINE_PID"
  forget_started dockerd
}
