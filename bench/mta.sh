#!/usr/bin/env bash
# The comparison MTA for bench/run.sh: a private Postfix 3.7 (Debian) submission relay on
# 127.0.0.1:10587 (STARTTLS) and 10465 (implicit TLS) with Dovecot 2.3 SASL, delivering dest.test
# to the stack's smtp-sink.
# State, config and logs live in .local-stack/bench/ (gitignored); nothing in /etc is changed.
#
#   bench/mta.sh start [USERS_FILE]   (re)create config, wipe the queue, start Dovecot + Postfix
#   bench/mta.sh stop                 stop both
#   bench/mta.sh status
#
# USERS_FILE has "user password" lines (bench/run.sh writes one per run); without it the users are
# alice/alice-secret, bob/bob-secret and bench-sender/bench-sender-secret.
# BENCH_MTA_CGROUP=/sys/fs/cgroup/unified/NAME: start both inside that (existing) cgroup v2, so
# bench/run.sh can read their whole CPU time, forked and exited children included, from cpu.stat.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${KANMON_STACK:-$ROOT/.local-stack}/bench"
TLS="${KANMON_STACK:-$ROOT/.local-stack}/tls"
ETC="$STATE/postfix/etc"
DOVECOT_CONF="$STATE/dovecot/dovecot.conf"
PORT="${BENCH_POSTFIX_PORT:-10587}"
TLSPORT="${BENCH_POSTFIX_TLS_PORT:-10465}"
HOST=127.0.0.1

log() { printf '[bench-mta %s] %s\n' "$(date -u +%T)" "$*" >&2; }
die() { printf '[bench-mta] ERROR: %s\n' "$*" >&2; exit 1; }

ensure_packages() {
  local missing=() p
  for p in postfix dovecot-core openssl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  (( ${#missing[@]} == 0 )) && return 0
  log "installing ${missing[*]}"
  # No daemon may start at install time; we run private instances only.
  [[ -x /usr/sbin/policy-rc.d ]] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

fill() { sed -e "s|@STATE@|$STATE|g" -e "s|@TLS@|$TLS|g" -e "s|@PORT@|$PORT|g" -e "s|@TLSPORT@|$TLSPORT|g" -e "s|@HOST@|$HOST|g" "$1"; }

write_users() {
  local src="$1" tmp="$STATE/users.tmp"
  if [[ -n "$src" ]]; then cp "$src" "$tmp"; else
    printf '%s\n' "alice alice-secret" "bob bob-secret" "bench-sender bench-sender-secret" > "$tmp"
  fi
  # SHA512-CRYPT ($6$, 5000 rounds): Debian's default password hash, what doveadm pw would write.
  paste -d: <(cut -d' ' -f1 "$tmp") <(cut -d' ' -f2 "$tmp" | openssl passwd -6 -stdin) > "$STATE/dovecot/users"
  chgrp dovecot "$STATE/dovecot/users"
  chmod 640 "$STATE/dovecot/users"
  # Sender rights: each user may use user@example.test (alice also her alias, as in Keycloak).
  { cut -d' ' -f1 "$tmp" | awk '{print $1 "@example.test " $1}'; echo "a.test@example.test alice"; } > "$ETC/senders"
  rm -f "$tmp"
}

start() {
  ensure_packages
  [[ -s "$TLS/server-chain.crt" && -s "$TLS/server.key" ]] || die "no TLS certificate in $TLS (run bin/kanmon-stack start infra)"
  stop_quietly
  rm -rf "$STATE/postfix/spool"
  mkdir -p "$ETC" "$STATE/postfix/spool" "$STATE/postfix/data" "$STATE/dovecot/run" "$STATE/dovecot/state"
  chmod 755 "$STATE" "$STATE/postfix" "$STATE/dovecot"
  fill "$ROOT/bench/postfix/main.cf.in" > "$ETC/main.cf"
  fill "$ROOT/bench/postfix/master.cf.in" > "$ETC/master.cf"
  fill "$ROOT/bench/dovecot/dovecot.conf.in" > "$DOVECOT_CONF"
  echo "dest.test smtp:[127.0.0.10]:2526" > "$ETC/transport"
  write_users "${1:-}"
  chown postfix:postfix "$STATE/postfix/data"
  : > "$STATE/postfix/maillog"

  log "starting dovecot"
  enter_cgroup
  # Its own stdio closed, so it never holds the caller's pipe open.
  dovecot -c "$DOVECOT_CONF" </dev/null >/dev/null 2>&1
  local i
  for i in $(seq 1 50); do [[ -S "$STATE/dovecot/run/auth-postfix" ]] && break; sleep 0.1; done
  [[ -S "$STATE/dovecot/run/auth-postfix" ]] || die "dovecot did not start (see $STATE/dovecot/dovecot.log)"

  log "starting postfix on $HOST:$PORT"
  postfix -c "$ETC" check
  # Without a tty postfix start fails silently (errors go to syslog): script gives it one.
  script -qc "postfix -c '$ETC' start" /dev/null >"$STATE/postfix/start.log" 2>&1 || true
  for i in $(seq 1 50); do timeout 1 bash -c "exec 3<>/dev/tcp/$HOST/$PORT" 2>/dev/null && break; sleep 0.1; done
  timeout 1 bash -c "exec 3<>/dev/tcp/$HOST/$PORT" 2>/dev/null \
    || { cat "$STATE/postfix/start.log" "$STATE/postfix/maillog" >&2; die "postfix did not start"; }
}

# This shell joins the cgroup; dovecot and postfix, started from it, inherit it.
enter_cgroup() {
  local cg="${BENCH_MTA_CGROUP:-}"
  [[ -n "$cg" ]] || return 0
  if echo "$$" > "$cg/cgroup.procs" 2>/dev/null; then log "processes in cgroup $cg"; else log "could not join cgroup $cg"; fi
}

stop_quietly() {
  if [[ -f "$ETC/main.cf" ]] && postfix -c "$ETC" status >/dev/null 2>&1; then
    log "stopping postfix"
    script -qc "postfix -c '$ETC' stop" /dev/null >/dev/null 2>&1 || true
  fi
  if [[ -s "$STATE/dovecot/run/master.pid" ]] && kill -0 "$(cat "$STATE/dovecot/run/master.pid")" 2>/dev/null; then
    log "stopping dovecot"
    doveadm -c "$DOVECOT_CONF" stop 2>/dev/null || kill "$(cat "$STATE/dovecot/run/master.pid")"
  fi
}

status() {
  if [[ -f "$ETC/main.cf" ]] && postfix -c "$ETC" status >/dev/null 2>&1; then echo "postfix: running ($HOST:$PORT, $HOST:$TLSPORT)"; else echo "postfix: stopped"; fi
  if [[ -s "$STATE/dovecot/run/master.pid" ]] && kill -0 "$(cat "$STATE/dovecot/run/master.pid")" 2>/dev/null; then
    echo "dovecot: running"; else echo "dovecot: stopped"; fi
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop_quietly ;;
  status) status ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
