#!/usr/bin/env bash
# The comparison MTA for bench/run.sh: a private Postfix 3.7 (Debian) submission relay on
# 127.0.0.1:10587 (STARTTLS) and 10465 (implicit TLS) with Dovecot 2.3 SASL, delivering dest.test
# to the stack's smtp-sink.
# State, config and logs live in .local-stack/bench/ (gitignored); nothing in /etc is changed.
#
#   bench/mta.sh start [USERS_FILE]   (re)create config, wipe the queue, start Dovecot + Postfix
#   bench/mta.sh stop                 stop both
#   bench/mta.sh status
#   bench/mta.sh hash-cost SCHEME [ROUNDS]   CPU ms of one Dovecot password hash here (PBKDF2, SHA512-CRYPT)
#   bench/mta.sh match-cost MS               PBKDF2 rounds whose Dovecot hash costs MS ms here
#
# USERS_FILE has "user password" lines (bench/run.sh writes one per run); without it the users are
# alice/alice-secret, bob/bob-secret and bench-sender/bench-sender-secret.
# Their Dovecot hash: BENCH_DOVECOT_SCHEME=SHA512-CRYPT (default; 5000 rounds, Debian's default, what
# doveadm pw writes) or PBKDF2 with BENCH_DOVECOT_ROUNDS rounds (HMAC-SHA1, Dovecot's default 5000).
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
SCHEME="${BENCH_DOVECOT_SCHEME:-SHA512-CRYPT}"
ROUNDS="${BENCH_DOVECOT_ROUNDS:-5000}"

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
  case "$SCHEME" in
    # SHA512-CRYPT ($6$, 5000 rounds): Debian's default password hash, what doveadm pw would write.
    SHA512-CRYPT) paste -d: <(cut -d' ' -f1 "$tmp") <(cut -d' ' -f2 "$tmp" | openssl passwd -6 -stdin) > "$STATE/dovecot/users" ;;
    # {PBKDF2}$1$salt$rounds$hex: doveadm pw itself, one process per user, on every core (the
    # passwords are the bench's own, letters, digits and dashes only).
    PBKDF2)
      log "hashing $(wc -l < "$tmp") passwords with PBKDF2, $ROUNDS rounds"
      xargs -P "$(nproc)" -n 2 sh -c 'printf "%s:%s\n" "$1" "$(doveadm pw -s PBKDF2 -r "$0" -p "$2")"' "$ROUNDS" < "$tmp" \
        > "$STATE/dovecot/users"
      [[ "$(grep -c ':{PBKDF2}' "$STATE/dovecot/users")" == "$(wc -l < "$tmp")" ]] || die "doveadm pw failed for some users"
      ;;
    *) die "BENCH_DOVECOT_SCHEME must be SHA512-CRYPT or PBKDF2, not $SCHEME" ;;
  esac
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

# CPU time (user + sys) of N runs of a command, in ms.
cpu_ms() { # N command...
  local n="$1" out TIMEFORMAT='%3U %3S'; shift
  out="$( { time (for ((i = 0; i < n; i++)); do "$@" >/dev/null || exit 1; done) ; } 2>&1 )" || die "failed: $*"
  awk -v u="${out% *}" -v s="${out#* }" 'BEGIN { printf "%.3f", (u + s) * 1000 }'
}

# The cost of one hash in Dovecot's own code (libdovecot's password schemes, which its auth process
# runs for every uncached login), from doveadm pw, which starts a process (about 10 ms of CPU) per hash.
# PBKDF2 and SHA-crypt cost is linear in the rounds, so the cost of a round is taken from a probe with
# many rounds, where the start-up (N runs of PLAIN, subtracted) is small beside the hashing, and the
# setting's cost is rounds x that; the setting is also timed directly (start-up subtracted), which on a
# busy machine is the noisier figure. Generating a hash costs what verifying it does.
hash_cost() { # scheme rounds (0: the scheme's default, 5000 for both) [probe-rounds]
  local scheme="$1" rounds="${2:-0}" probe="${3:-200000}" n=10 base cost direct per_round
  (( rounds > 0 )) || rounds=5000
  doveadm pw -s "$scheme" -r "$rounds" -p warm-up >/dev/null || die "doveadm pw -s $scheme failed"
  base="$(cpu_ms 40 doveadm pw -s PLAIN -p bench-password)"
  cost="$(cpu_ms "$n" doveadm pw -s "$scheme" -r "$probe" -p bench-password)"
  direct="$(cpu_ms 40 doveadm pw -s "$scheme" -r "$rounds" -p bench-password)"
  per_round="$(awk -v b="$base" -v c="$cost" -v n="$n" -v p="$probe" 'BEGIN { printf "%.7f", (c - b * n / 40) / n / p }')"
  echo "scheme=$scheme"
  echo "rounds=$rounds"
  echo "probe_rounds=$probe"
  echo "ms_per_round=$per_round"
  echo "ms_per_hash=$(awk -v r="$rounds" -v p="$per_round" 'BEGIN { printf "%.3f", r * p }')"
  echo "direct_ms_per_hash=$(awk -v b="$base" -v d="$direct" 'BEGIN { v = (d - b) / 40; printf "%.3f", v < 0 ? 0 : v }')"
  echo "doveadm_startup_cpu_ms=$(awk -v b="$base" 'BEGIN { printf "%.3f", b / 40 }')"
}

# PBKDF2 rounds whose hash costs MS ms of CPU here (the cost of a round as in hash_cost, rounds
# rounded to 100), and that setting's cost.
match_cost() { # ms
  local target="$1" probe=200000 per_round rounds
  per_round="$(hash_cost PBKDF2 1000 "$probe" | grep '^ms_per_round=' | cut -d= -f2)"
  rounds="$(awk -v t="$target" -v p="$per_round" 'BEGIN { r = int(t / p / 100 + 0.5) * 100; print (r < 100 ? 100 : r) }')"
  echo "target_ms_per_hash=$target"
  hash_cost PBKDF2 "$rounds" "$probe"
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
  hash-cost) ensure_packages; hash_cost "${2:?scheme}" "${3:-0}" ;;
  match-cost) ensure_packages; match_cost "${2:?ms}" ;;
  *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
