# shellcheck shell=bash
# Shared helpers of the scripts: the environment's constants (stack.env), logging, state
# directory, apt installs. Source it; it defines functions and variables and changes no shell
# options.

IOTCORE_REPO=${IOTCORE_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# Ports, node names, databases and development logins: defined once, in stack.env.
# shellcheck source=stack.env
. "$(dirname "${BASH_SOURCE[0]}")/stack.env"
IOTCORE_HOME=${IOTCORE_HOME:-$HOME/.cache/iot-core}
IOTCORE_RUN=$IOTCORE_HOME/run     # pid files, the record of what `up` started
IOTCORE_LOGS=$IOTCORE_HOME/logs

log() { printf '%s [%s] %s\n' "$(date +%H:%M:%S)" "${IOTCORE_LOG_TAG:-stack}" "$*" >&2; }
warn() { log "WARNING: $*"; }
die() {
  log "ERROR: $*"
  exit 1
}

# Seconds since the epoch, for timings in log lines.
now() { date +%s; }

iotcore_state_dirs() { mkdir -p "$IOTCORE_HOME" "$IOTCORE_RUN" "$IOTCORE_LOGS"; }

# True if process $1 lives (a zombie, an exited child not yet reaped, does not count).
proc_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]
}

# True if the process in pid file $1 is alive.
pid_alive() {
  [ -s "$1" ] && proc_alive "$(cat "$1")"
}

# wait_exit PID SECONDS: true once PID has exited, false if it still lives after SECONDS.
wait_exit() {
  local deadline=$(($(now) + $2))
  while proc_alive "$1"; do
    [ "$(now)" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

# without_inherited_fds COMMAND...: execs COMMAND with every file descriptor above 2 closed. Run
# it in the background (`without_inherited_fds cmd &`) to start a daemon: a daemon must not keep
# a lock its caller holds (this script's own lock, or a `flock` around the whole command), or it
# would hold that lock for as long as it runs.
without_inherited_fds() {
  local fd
  for fd in "/proc/$BASHPID/fd"/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] 2>/dev/null; then
      eval "exec $fd>&-"
    fi
  done
  exec "$@"
}

# True if something accepts TCP connections on STACK_HOST:$1.
port_open() { (exec 3<>"/dev/tcp/$STACK_HOST/$1") 2>/dev/null; }

# The record of what `up`/`infra` started, one component per line, so `down` stops only that.
record_started() {
  grep -qxF "$1" "$IOTCORE_RUN/started" 2>/dev/null || echo "$1" >>"$IOTCORE_RUN/started"
}
was_started() { grep -qxF "$1" "$IOTCORE_RUN/started" 2>/dev/null; }
forget_started() {
  [ -f "$IOTCORE_RUN/started" ] || return 0
  grep -vxF "$1" "$IOTCORE_RUN/started" >"$IOTCORE_RUN/started.tmp" || true
  mv "$IOTCORE_RUN/started.tmp" "$IOTCORE_RUN/started"
}

_apt_updated=0
# apt_install PACKAGE...: installs the packages, running `apt-get update` once per process first.
apt_install() {
  [ "$(id -u)" = 0 ] || die "need root to apt-get install $*"
  if [ "$_apt_updated" = 0 ]; then
    log "apt-get update (to install: $*)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed"
    _apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 \
    || die "apt-get install $* failed"
}

# need_command COMMAND PACKAGE: installs PACKAGE if COMMAND is not on PATH.
need_command() {
  command -v "$1" >/dev/null 2>&1 || apt_install "$2"
  command -v "$1" >/dev/null 2>&1 || die "$2 is installed but '$1' is still not on PATH"
}

# The Debian mirror this machine installs from, read from its own apt sources (deb822 `URIs:`
# stanzas and classic `deb` lines) for the suite of the running release. IOTCORE_DEBIAN_MIRROR
# overrides it.
debian_mirror() {
  if [ -n "${IOTCORE_DEBIAN_MIRROR:-}" ]; then
    echo "$IOTCORE_DEBIAN_MIRROR"
    return
  fi
  local codename uri
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || die "cannot tell this machine's Debian release from /etc/os-release; set IOTCORE_DEBIAN_MIRROR"
  uri=$(
    shopt -s nullglob
    for f in /etc/apt/sources.list.d/*.sources; do
      awk -v suite="$codename" '
        function flush() {
          if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && enabled !~ /^[Nn]o$/ && uris != "") {
            split(uris, u, " "); print u[1]; found = 1; exit
          }
          types = ""; suites = ""; uris = ""; enabled = ""
        }
        /^[ \t]*#/ { next }
        /^[ \t]*$/ { flush(); next }
        { key = $1; sub(/:$/, "", key); $1 = ""; sub(/^[ \t]+/, "")
          if (key == "Types") types = $0; else if (key == "Suites") suites = $0
          else if (key == "URIs") uris = $0; else if (key == "Enabled") enabled = $0 }
        END { if (!found) flush() }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] || continue
      # deb [options] URI SUITE COMPONENT...
      sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk -v suite="$codename" '$1 == "deb" && $3 == suite { print $2 }'
    done
  )
  uri=$(printf '%s\n' "$uri" | grep -E '^(https?|file):' | head -n 1 || true)
  [ -n "$uri" ] || die "no Debian '$codename' source with an http(s) or file URI in /etc/apt/sources.list{,.d}; set IOTCORE_DEBIAN_MIRROR"
  echo "${uri%/}"
}
