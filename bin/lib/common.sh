# shellcheck shell=bash
# Shared helpers for bin/kanmon-stack and bin/kanmon-test. Source it; do not run it.

KANMON_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KANMON_STACK="${KANMON_STACK:-$KANMON_ROOT/.local-stack}"
case "$KANMON_STACK" in
  /*) ;;
  *) echo "KANMON_STACK must be an absolute path (got '$KANMON_STACK')" >&2; exit 2 ;;
esac
export KANMON_STACK
LOGS="$KANMON_STACK/logs"
RUN="$KANMON_STACK/run"

# Pinned versions of what the stack downloads from Maven Central.
KAFKA_VERSION=4.1.2
KEYCLOAK_VERSION=26.4.7
KC_JAVA_HOME="${KC_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

# Service name -> Maven module and HTTP port (APIs; docs/architecture.md). Start order = this order.
SERVICES=(auth dnsbl queue delivery submission console)
declare -A SERVICE_PORT=([submission]=18081 [auth]=18082 [queue]=18083 [delivery]=18084 [dnsbl]=18085
  [console]=18086)
# Management interface (quarkus.management.port of the local profile): /q/health/*, /q/metrics.
declare -A SERVICE_MGMT_PORT=([submission]=19081 [auth]=19082 [queue]=19083 [delivery]=19084 [dnsbl]=19085
  [console]=19086)
INFRA=(tls postgres kafka keycloak dnsmasq rbldnsd sink)

if [[ -t 1 ]]; then
  C_RED=$'\e[31m' C_GREEN=$'\e[32m' C_YELLOW=$'\e[33m' C_BOLD=$'\e[1m' C_OFF=$'\e[0m'
else
  C_RED='' C_GREEN='' C_YELLOW='' C_BOLD='' C_OFF=''
fi

log()  { printf '%s[kanmon]%s %s\n' "$C_BOLD" "$C_OFF" "$*" >&2; }
warn() { printf '%s[kanmon] WARNING:%s %s\n' "$C_YELLOW" "$C_OFF" "$*" >&2; }
die()  { printf '%s[kanmon] ERROR:%s %s\n' "$C_RED" "$C_OFF" "$*" >&2; exit 1; }

mvnw() { (cd "$KANMON_ROOT" && ./mvnw "$@"); }

# pid_alive <pidfile>: true when the pid file names a live process.
pid_alive() {
  local f="$1" pid
  [[ -s "$f" ]] || return 1
  pid="$(head -n1 "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# port_open <host> <port>: true when a TCP connect succeeds.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# wait_until <seconds> <description> <command...>: polls every 0.5 s.
wait_until() {
  local limit="$1" what="$2"; shift 2
  local deadline=$((SECONDS + limit))
  while ! "$@" >/dev/null 2>&1; do
    if (( SECONDS >= deadline )); then
      warn "$what not ready after ${limit}s"
      return 1
    fi
    sleep 0.5
  done
}

# spawn <name> <logfile> <command...>: starts a detached process (own session, no stdin),
# records its pid in $RUN/<name>.pid. The command must exec (not fork) its server.
spawn() {
  local name="$1" logfile="$2"; shift 2
  mkdir -p "$RUN" "$(dirname "$logfile")"
  if [[ -f "$logfile" ]]; then mv -f "$logfile" "$logfile.1"; fi
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$RUN/$name.pid" "$@" >"$logfile" 2>&1 </dev/null &
  local i
  for i in $(seq 1 50); do [[ -s "$RUN/$name.pid" ]] && break; sleep 0.1; done
}

# stop_pidfile <name> [grace-seconds]: SIGTERM, wait, then SIGKILL.
stop_pidfile() {
  local name="$1" grace="${2:-20}" f="$RUN/$1.pid" pid
  if ! pid_alive "$f"; then rm -f "$f"; return 0; fi
  pid="$(head -n1 "$f")"
  kill "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      warn "$name (pid $pid) did not stop in ${grace}s, sending SIGKILL"
      kill -9 "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$f"
}
