# shellcheck shell=bash
# Finds a JDK >= 21 and exports JAVA_HOME and PATH for it.
#
#   . scripts/lib/java-home.sh        # in a script or shell: sets JAVA_HOME, prepends its bin to PATH
#   scripts/lib/java-home.sh          # run directly: prints the JDK it would choose
#
# A JAVA_HOME already set to a JDK >= IOTCORE_MIN_JAVA (21) is kept. Otherwise the highest
# version among /usr/lib/jvm/* (read from each JDK's `release` file) wins, then the JDK of the
# `javac` on PATH. Only JDKs (with bin/javac) count. Returns 1, leaving the environment as it
# was, if none is found; it never exits the shell that sources it.

iotcore_java_major() { # JDK_DIR -> major version from its release file, or nothing
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release" 2>/dev/null | head -n 1)
  [ -n "$v" ] || return 0
  case $v in
    1.*) v=${v#1.} ;; # 1.8.0_x style
  esac
  echo "${v%%[.+-]*}"
}

iotcore_find_java_home() {
  local min=${IOTCORE_MIN_JAVA:-21} best="" best_major=0 dir major javac
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(iotcore_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
      echo "$JAVA_HOME"
      return 0
    fi
  fi
  javac=$(command -v javac 2>/dev/null || true)
  for dir in /usr/lib/jvm/* ${javac:+"$(dirname "$(dirname "$(readlink -f "$javac")")")"}; do
    [ -x "$dir/bin/javac" ] || continue
    major=$(iotcore_java_major "$dir")
    [ -n "$major" ] || continue
    if [ "$major" -gt "$best_major" ]; then
      best=$dir
      best_major=$major
    fi
  done
  if [ -z "$best" ] || [ "$best_major" -lt "$min" ]; then
    echo "no JDK >= $min found (looked at \$JAVA_HOME, /usr/lib/jvm/*, javac on PATH; best: ${best:-none} ${best_major})" >&2
    return 1
  fi
  readlink -f "$best"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # Run as a program: print the choice.
  jh=$(iotcore_find_java_home) || exit 1
  echo "$jh (Java $(iotcore_java_major "$jh"))"
else
  if _iotcore_jh=$(iotcore_find_java_home); then
    export JAVA_HOME=$_iotcore_jh
    case $PATH in
      "$JAVA_HOME/bin:"*) ;;
      *) export PATH="$JAVA_HOME/bin:$PATH" ;;
    esac
    unset _iotcore_jh
  else
    unset _iotcore_jh
    return 1
  fi
fi
