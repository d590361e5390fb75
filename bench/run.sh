#!/usr/bin/env bash
# Kanmon vs Postfix 3.7 + Dovecot, same run, same machine, same load generator, same sink.
#
#   bench/run.sh                    full run, about 21 minutes here (see docs/benchmarks.md)
#   bench/run.sh --quick            every phase at small sizes, a few minutes, to check that everything works
#   bench/run.sh --postfix-only     Postfix side only (when the Kanmon services are not up)
#   bench/run.sh --durability fsync Kafka fsyncs every record before acking (flush.messages=1 on
#                                   relay.submitted.v1, restored afterwards), as Postfix fsyncs its queue file
#   bench/run.sh --rounds 5         K,P alternations of the measured phases (default 3; quick 2)
#   bench/run.sh --auth-only        only the hash costs and AUTH warm/cold (warm-up: BENCH_AUTH_WARM warm and
#                                   BENCH_AUTH_COLD cold logins of throw-away accounts per side), about 6 minutes
#
# Full run: each side warmed up for BENCH_WARMUP_S (60) s [and BENCH_WARMUP_MESSAGES], then per round,
# K then P: send for BENCH_DURATION_S (60) s with BENCH_SESSIONS (20) sessions + sink + CPU per
# delivered message, AUTH warm/cold, many users (BENCH_MANY_USERS 200 x BENCH_MANY_MESSAGES 5);
# then the open-loop rate steps per side (BENCH_OPENLOOP_RATES, BENCH_OPENLOOP_STEP_S, p99 <=
# BENCH_OPENLOOP_P99_MS, BENCH_OPENLOOP_MIN_MESSAGES per step); then BENCH_IDLE (10000) idle TLS
# sessions on Kanmon for BENCH_IDLE_HOLD s.
# Password hashes: first the bare cost of one hash under Keycloak's password policy (realm kanmon) on
# Keycloak's own JDK, then Dovecot's accounts are hashed with BENCH_DOVECOT_HASH=same-cost (default:
# PBKDF2 with the rounds that cost what Keycloak's hash costs here, measured; BENCH_DOVECOT_PBKDF2_ROUNDS
# fixes them) or sha512-crypt (Debian's default, 5000 rounds). Both Dovecot settings are measured.
# Other knobs: BENCH_MESSAGES (quick: per session instead of a duration) BENCH_SIZE BENCH_PIPELINING=1
# BENCH_AUTH_CONCURRENCY BENCH_AUTH_WARM BENCH_AUTH_COLD BENCH_OPENLOOP_SESSIONS BENCH_HASH_WARMUP_S BENCH_HASH_S.
# Every step is bounded (--max-seconds, sink time-outs); Postfix and Dovecot are stopped on exit.
# Results: .local-stack/bench/results/<run id>/ (r<N>/ per round, medians beside, summary.txt).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK="${KANMON_STACK:-$ROOT/.local-stack}"
cd "$ROOT"

QUICK=0 POSTFIX_ONLY=0 AUTH_ONLY=0 DURABILITY=default ROUNDS_ARG=
usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while (( $# )); do
  case "$1" in
    --quick) QUICK=1 ;;
    --postfix-only) POSTFIX_ONLY=1 ;;
    --auth-only) AUTH_ONLY=1 ;;
    --durability) DURABILITY="${2:-}"; shift ;;
    --rounds) ROUNDS_ARG="${2:-}"; shift ;;
    *) usage ;;
  esac
  shift
done
[[ "$DURABILITY" == default || "$DURABILITY" == fsync ]] || usage

DOVECOT_HASH="${BENCH_DOVECOT_HASH:-same-cost}"
[[ "$DOVECOT_HASH" == same-cost || "$DOVECOT_HASH" == sha512-crypt ]] || usage

if (( QUICK )); then
  d_hash_warm=2 d_hash_s=3
  d_rounds=2 d_warm_s=5 d_dur=0 d_sess=4 d_msgs=10 d_awarm=30 d_acold=10 d_many=20 d_many_msgs=2
  d_ol_rates=10,20,40 d_ol_step=3 d_ol_min=30 d_ol_sess=10 d_idle=200 d_hold=3
else
  d_hash_warm=5 d_hash_s=10
  d_rounds=3 d_warm_s=60 d_dur=60 d_sess=20 d_msgs=0 d_awarm=500 d_acold=200 d_many=200 d_many_msgs=5
  d_ol_rates=5,10,20,40,60,80,100,150,200,300,400,600 d_ol_step=15 d_ol_min=300 d_ol_sess=50 d_idle=10000 d_hold=30
fi
ROUNDS="${ROUNDS_ARG:-${BENCH_ROUNDS:-$d_rounds}}"
WARMUP_S="${BENCH_WARMUP_S:-$d_warm_s}" WARMUP_MSGS="${BENCH_WARMUP_MESSAGES:-0}"
DURATION="${BENCH_DURATION_S:-$d_dur}" MESSAGES="${BENCH_MESSAGES:-$d_msgs}"
SESSIONS="${BENCH_SESSIONS:-$d_sess}" SIZE="${BENCH_SIZE:-5000}"
AUTH_CONC="${BENCH_AUTH_CONCURRENCY:-10}" AUTH_WARM="${BENCH_AUTH_WARM:-$d_awarm}" AUTH_COLD="${BENCH_AUTH_COLD:-$d_acold}"
MANY="${BENCH_MANY_USERS:-$d_many}" MANY_MSGS="${BENCH_MANY_MESSAGES:-$d_many_msgs}"
OL_RATES="${BENCH_OPENLOOP_RATES:-$d_ol_rates}" OL_STEP="${BENCH_OPENLOOP_STEP_S:-$d_ol_step}"
OL_SESS="${BENCH_OPENLOOP_SESSIONS:-$d_ol_sess}" OL_P99="${BENCH_OPENLOOP_P99_MS:-20}"
OL_MIN="${BENCH_OPENLOOP_MIN_MESSAGES:-$d_ol_min}"
IDLE="${BENCH_IDLE:-$d_idle}" IDLE_HOLD="${BENCH_IDLE_HOLD:-$d_hold}"
HASH_WARMUP_S="${BENCH_HASH_WARMUP_S:-$d_hash_warm}" HASH_S="${BENCH_HASH_S:-$d_hash_s}"
PIPELINING=(); [[ "${BENCH_PIPELINING:-0}" == 1 ]] && PIPELINING=(--pipelining)
(( ROUNDS >= 1 && ROUNDS <= 20 )) || usage
# Time-bounded send when a duration is set; the quick run keeps a fixed count per session.
if (( DURATION > 0 )); then SEND_SIZE=(--duration "$DURATION"); SEND_DESC="$SESSIONS sessions sending for $DURATION s"
else SEND_SIZE=(--messages "$MESSAGES"); SEND_DESC="$SESSIONS sessions x $MESSAGES messages"; fi

RUN_ID="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$STACK/bench/results/$RUN_ID"
JAR="$ROOT/bench/target/kanmon-bench.jar"
CA="$STACK/tls/ca.crt"
SINK_DIR="$STACK/sink/mail"
MTA_STATE="$STACK/bench"
KC=http://127.0.0.1:18080
TOPIC=relay.submitted.v1
SENDER=bench-sender SENDER_PW=bench-sender-secret
# Cold AUTH: accounts bench-c<round>-1..N with passwords new in every run, so no cache on either
# side has seen them (both caches key on user and password). Many users: bench-m1..M, one per session.
cold_pw() { echo "cold-$RUN_ID-$1-{n}"; }
MANY_PW="many-$RUN_ID-{n}"
CG_ROOT=/sys/fs/cgroup/unified
CG_KANMON="$CG_ROOT/kanmon-bench-kanmon" CG_MTA="$CG_ROOT/kanmon-bench-mta"

log() { printf '[bench %s] %s\n' "$(date -u +%T)" "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }
val() { local v; v="$(grep -m1 "^$2=" "$1" 2>/dev/null | cut -d= -f2-)"; echo "${v:--}"; }

bench() { java -Xms256m -Xmx1g -jar "$JAR" "$@"; }

build_jar() {
  if [[ -f "$JAR" && -z "$(find bench/pom.xml bench/src -newer "$JAR" -type f | head -n1)" ]]; then return; fi
  log "building the load generator"
  ./mvnw -B -q -o -f bench/pom.xml package >/dev/null 2>&1 || ./mvnw -B -q -f bench/pom.xml package
}

kanmon_ready() {
  curl -sf -o /dev/null http://127.0.0.1:19081/q/health/ready && timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/2587' 2>/dev/null
}

ensure_stack() {
  if (( POSTFIX_ONLY )); then
    local status; status="$(bin/kanmon-stack status 2>/dev/null || true)"
    grep -q '^sink .*up' <<<"$status" || bin/kanmon-stack start infra
    return
  fi
  kanmon_ready || { log "Kanmon is not up: bin/kanmon-stack start"; bin/kanmon-stack start; }
  kanmon_ready || die "submission-service is not ready on 2587 / :19081/q/health/ready"
}

# Users for both sides: the sender (also the warm AUTH account), the cold AUTH accounts of every
# round and the many-user accounts.
users_file() {
  local f="$OUT/users.txt" n r pw
  printf '%s\n' "alice alice-secret" "bob bob-secret" "$SENDER $SENDER_PW" > "$f"
  for r in $(seq "$(( AUTH_ONLY ? 0 : 1 ))" "$ROUNDS"); do
    pw="$(cold_pw "$r")"
    for n in $(seq 1 "$AUTH_COLD"); do echo "bench-c$r-$n ${pw//\{n\}/$n}"; done
  done >> "$f"
  for n in $(seq 1 "$MANY"); do echo "bench-m$n ${MANY_PW//\{n\}/$n}"; done >> "$f"
  echo "$f"
}

# Keycloak accounts (realm kanmon). The sender gets quota plan `bench` (no practical limits), so the
# default plan does not turn the benchmark into a throttling test; the cold and many-user accounts
# keep the local stack's default plan `local-stack`, which has no practical limits either.
kanmon_users() {
  local token admin
  token="$(curl -sf -d grant_type=password -d client_id=admin-cli -d username=kcadmin -d password=kcadmin \
    "$KC/realms/master/protocol/openid-connect/token" | jq -r .access_token)"
  jq -n --rawfile users "$1" '{ifResourceExists: "OVERWRITE", users: [
      $users | split("\n")[] | select(length > 0) | split(" ") | select(.[0] | startswith("bench"))
      | {username: .[0], enabled: true, email: (.[0] + "@example.test"), emailVerified: true,
         firstName: "Bench", lastName: "User", credentials: [{type: "password", value: .[1], temporary: false}]}]}' \
    | curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -X POST --data-binary @- "$KC/admin/realms/kanmon/partialImport" || die "Keycloak partialImport failed"
  admin="$(curl -sf -d grant_type=password -d client_id=kanmon-cli -d username=admin -d password=admin-secret \
    "$KC/realms/kanmon/protocol/openid-connect/token" | jq -r .access_token)"
  curl -sf -o /dev/null -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -X PUT \
    -d '{"messagesPerMinute":1000000,"messagesPerHour":1000000,"messagesPerDay":10000000,"recipientsPerMessage":100,"recipientsPerDay":10000000,"concurrentSessions":1000}' \
    http://127.0.0.1:18082/api/v1/quota/plans/bench || die "could not create quota plan 'bench'"
  curl -sf -o /dev/null -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -X PUT \
    -d '{"plan":"bench"}' "http://127.0.0.1:18082/api/v1/quota/subscribers/$SENDER" || die "could not assign plan 'bench'"
}

# The auth-service's brute-force guard bans an address or user after 10 failed checks. On the
# shared stack a restarting auth-service or Keycloak, or another test re-importing the realm, can
# make the bench's own logins fail that often, and a ban on 127.0.0.1 would then turn every later
# Kanmon phase into 454s. Before each Kanmon phase, bans on the bench's addresses and accounts are
# lifted through the operator API and written down; the summary says how many there were.
lift_bans() {
  local admin bans b
  admin="$(curl -sf -d grant_type=password -d client_id=kanmon-cli -d username=admin -d password=admin-secret \
    "$KC/realms/kanmon/protocol/openid-connect/token" | jq -r .access_token)" || return 0
  bans="$(curl -sf -H "Authorization: Bearer $admin" http://127.0.0.1:18082/api/v1/bans)" || return 0
  # Pair bans (one login from one address) and address bans (many logins from one address).
  jq -r '.[] | select((.address | startswith("127.0.")) or ((.login // "") | startswith("bench")))
         | "\(.kind) \(.address) \(.login // "-") \(.failures)"' <<<"$bans" | while read -r kind address login failures; do
    local args=(--data-urlencode "address=$address")
    [[ "$kind" == pair ]] && args+=(--data-urlencode "login=$login")
    curl -sf -o /dev/null -X DELETE -G "${args[@]}" -H "Authorization: Bearer $admin" \
        "http://127.0.0.1:18082/api/v1/bans/$kind" \
      && { log "lifted a brute-force $kind ban on $address $login ($failures failures) before: $1"
           echo "$1: $kind $address $login ($failures failures)" >> "$OUT/bans-lifted.txt"; }
  done
  return 0
}

# ---- password hash cost ------------------------------------------------------------------------
# Keycloak's password policy for realm kanmon, from the running Keycloak, else from the realm file the
# stack imports.
kc_policy() {
  local token policy=
  token="$(curl -sf -d grant_type=password -d client_id=admin-cli -d username=kcadmin -d password=kcadmin \
    "$KC/realms/master/protocol/openid-connect/token" 2>/dev/null | jq -r .access_token)" \
    && policy="$(curl -sf -H "Authorization: Bearer $token" "$KC/admin/realms/kanmon" | jq -r '.passwordPolicy // ""')" \
    && { echo "source=keycloak admin API $KC realm kanmon"; echo "policy=$policy"; return; }
  echo "source=bin/stack/keycloak/kanmon-realm.json"
  echo "policy=$(jq -r '.passwordPolicy // ""' bin/stack/keycloak/kanmon-realm.json)"
}

# The java Keycloak runs on: the running Keycloak's JVM (a child of kc.sh), else the stack's
# KC_JAVA_HOME (bin/lib/common.sh), else the java on PATH.
kc_java() {
  local pid c exe
  pid="$(pidfile "$STACK/run/keycloak.pid")"
  if [[ -n "$pid" ]]; then
    for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
      exe="$(readlink /proc/"$c"/exe 2>/dev/null || true)"
      [[ "$exe" == */bin/java ]] && { echo "$exe"; return; }
    done
  fi
  exe="${KC_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
  [[ -x "$exe" ]] && echo "$exe" || command -v java
}

# Keycloak's BouncyCastle jar, whose PBKDF2 Keycloak's (non-FIPS) crypto provider uses: from the
# directory the running Keycloak was started in, else the newest Keycloak unpacked in the stack.
kc_bcprov() {
  local pid home jar
  pid="$(pidfile "$STACK/run/keycloak.pid")"
  home="$( [[ -n "$pid" ]] && readlink /proc/"$pid"/cwd 2>/dev/null || true)"
  jar="$(ls -1 "$home"/lib/lib/main/org.bouncycastle.bcprov-*.jar 2>/dev/null | tail -n1)"
  [[ -n "$jar" ]] || jar="$(ls -1 "$STACK"/keycloak/keycloak-*/lib/lib/main/org.bouncycastle.bcprov-*.jar 2>/dev/null | sort -V | tail -n1)"
  echo "$jar"
}

# Which implementation computes the policy's hash in the running Keycloak: the Kanmon extension's
# provider (the JDK's PBKDF2, order 200 above Keycloak's own) or Keycloak's own (BouncyCastle).
kc_hash_impl() {
  local token order
  token="$(curl -sf -d grant_type=password -d client_id=admin-cli -d username=kcadmin -d password=kcadmin \
    "$KC/realms/master/protocol/openid-connect/token" 2>/dev/null | jq -r .access_token)" || { echo bc; return; }
  order="$(curl -sf -H "Authorization: Bearer $token" "$KC/admin/serverinfo" \
    | jq -r --arg a "$1" '.providers["password-hashing"].providers[$a].order // 0')" || order=0
  (( order > 100 )) && echo jdk || echo bc
}

# Bare hash costs, before any load: Keycloak's policy on Keycloak's JDK with Keycloak's provider (bench
# hash: PBKDF2 alone, one thread and every core, CPU time per hash; the JDK's own provider beside it),
# Dovecot's SHA512-CRYPT, and the Dovecot PBKDF2 rounds of the same cost (bench/mta.sh match-cost), or
# BENCH_DOVECOT_PBKDF2_ROUNDS measured as given.
hash_costs() {
  local policy alg iters java bc provider=() f="$OUT/keycloak-hash.txt" ms
  kc_policy > "$OUT/keycloak-policy.txt"
  policy="$(val "$OUT/keycloak-policy.txt" policy)"
  alg="$(sed -n 's/.*hashAlgorithm(\([^)]*\)).*/\1/p' <<<"$policy")"
  iters="$(sed -n 's/.*hashIterations(\([0-9]*\)).*/\1/p' <<<"$policy")"
  # No hashAlgorithm in the policy: Keycloak 26 hashes with argon2, which bench hash does not time.
  java="$(kc_java)" bc="$(kc_bcprov)"
  if [[ "$(kc_hash_impl "${alg:-argon2}")" == jdk ]]; then
    bc="" && echo "impl=the Kanmon extension's provider (the JDK's PBKDF2), which Keycloak uses" >> "$OUT/keycloak-policy.txt"
  elif [[ -n "$bc" ]]; then provider=(--provider-jar "$bc" --also-jdk)
    echo "impl=Keycloak's own provider (BouncyCastle); the JDK's is not used" >> "$OUT/keycloak-policy.txt"
  else log "WARNING: Keycloak's bcprov jar not found: timing the JDK's PBKDF2, not Keycloak's"; fi
  log "Keycloak password policy '$policy' ($(val "$OUT/keycloak-policy.txt" source)): timing ${alg:-argon2} x ${iters:-default} alone on $java${bc:+ with $(basename "$bc")}"
  if "$java" -Xms64m -Xmx256m -jar "$JAR" hash --algorithm "${alg:-argon2}" --iterations "${iters:-0}" "${provider[@]}" \
      --warmup-seconds "$HASH_WARMUP_S" --seconds "$HASH_S" --report "$f" >/dev/null 2>"$OUT/keycloak-hash.err"; then
    log "Keycloak hash ($(val "$f" provider)): $(val "$f" ms_per_hash) ms per hash, $(val "$f" all_hashes_per_s) hashes/s on $(val "$f" cores) cores;" \
      "the JDK's ($(val "$f" jdk_provider)): $(val "$f" jdk_ms_per_hash) ms"
  else
    log "WARNING: could not time Keycloak's hash: $(tail -n1 "$OUT/keycloak-hash.err")"; rm -f "$f"
  fi
  bench/mta.sh hash-cost SHA512-CRYPT > "$OUT/dovecot-hash-sha512-crypt.txt"
  ms="$(val "$f" ms_per_hash)"
  if [[ -n "${BENCH_DOVECOT_PBKDF2_ROUNDS:-}" ]]; then
    bench/mta.sh hash-cost PBKDF2 "$BENCH_DOVECOT_PBKDF2_ROUNDS" > "$OUT/dovecot-hash-pbkdf2.txt"
  elif [[ "$ms" != - ]]; then
    bench/mta.sh match-cost "$ms" > "$OUT/dovecot-hash-pbkdf2.txt"
  elif [[ "$DOVECOT_HASH" == same-cost ]]; then
    die "no Keycloak hash cost to match: set BENCH_DOVECOT_PBKDF2_ROUNDS or BENCH_DOVECOT_HASH=sha512-crypt"
  fi
  log "Dovecot: SHA512-CRYPT $(val "$OUT/dovecot-hash-sha512-crypt.txt" ms_per_hash) ms per hash;" \
    "PBKDF2 $(val "$OUT/dovecot-hash-pbkdf2.txt" rounds) rounds $(val "$OUT/dovecot-hash-pbkdf2.txt" ms_per_hash) ms per hash;" \
    "accounts hashed with $(dovecot_hash_label)"
  if [[ "$DOVECOT_HASH" == same-cost ]]; then
    export BENCH_DOVECOT_SCHEME=PBKDF2 BENCH_DOVECOT_ROUNDS="$(val "$OUT/dovecot-hash-pbkdf2.txt" rounds)"
  else
    export BENCH_DOVECOT_SCHEME=SHA512-CRYPT
  fi
}

dovecot_hash_file() { [[ "$DOVECOT_HASH" == same-cost ]] && echo "$OUT/dovecot-hash-pbkdf2.txt" || echo "$OUT/dovecot-hash-sha512-crypt.txt"; }
dovecot_hash_label() {
  if [[ "$DOVECOT_HASH" == same-cost ]]; then echo "PBKDF2 $(val "$OUT/dovecot-hash-pbkdf2.txt" rounds)"; else echo "SHA512-CRYPT 5000"; fi
}

# ---- durability -------------------------------------------------------------------------------
# default: Kafka acks=all on one broker, no fsync per record (flush.messages unset = Long.MAX);
# fsync:   flush.messages=1 on the submission topic, so the broker fsyncs before it acks.
durability_setup() {
  (( POSTFIX_ONLY )) && return
  if [[ "$DURABILITY" == fsync ]]; then
    log "durability fsync: $TOPIC flush.messages=1"
    bench kafka-topic --topic "$TOPIC" --key flush.messages --set 1 > "$OUT/kafka-topic.txt" 2>/dev/null \
      || die "could not set flush.messages=1 on $TOPIC"
    RESTORE_TOPIC=1
  else
    bench kafka-topic --topic "$TOPIC" --key flush.messages > "$OUT/kafka-topic.txt" 2>/dev/null || true
  fi
  log "Kafka $TOPIC flush.messages=$(val "$OUT/kafka-topic.txt" flush.messages) ($(val "$OUT/kafka-topic.txt" source))"
}

# ---- CPU accounting ---------------------------------------------------------------------------
pg_pid() { local d; d="$(cat "$STACK/pg.location" 2>/dev/null || echo "$STACK/pg")"; head -n1 "$d/data/postmaster.pid" 2>/dev/null; }
pidfile() { head -n1 "$1" 2>/dev/null | tr -dc 0-9; }

# label=pid for every process tree of a side; the sink is listed too but counted apart.
cpu_roots() {
  local sink; sink="sink=$(pidfile "$STACK/run/sink.pid")"
  if [[ "$1" == kanmon ]]; then
    local s r=()
    for s in submission auth queue delivery dnsbl kafka keycloak; do r+=("$s=$(pidfile "$STACK/run/$s.pid")"); done
    r+=("postgres=$(pg_pid)" "$sink")
    (IFS=,; echo "${r[*]}")
  else
    echo "postfix=$(pidfile "$MTA_STATE/postfix/spool/pid/master.pid"),dovecot=$(pidfile "$MTA_STATE/dovecot/run/master.pid"),$sink"
  fi
}

# A cgroup v2 per side (only accounting: the unified hierarchy here has no controllers, so nothing
# is limited) gives a second, independent total. Postfix and Dovecot are started inside theirs by
# bench/mta.sh; the running Kanmon processes are moved into theirs and moved back on exit.
cgroups_setup() {
  CGROUPS_OK=0
  [[ -w "$CG_ROOT/cgroup.procs" ]] || { log "no writable cgroup v2 at $CG_ROOT: /proc accounting only"; return; }
  mkdir -p "$CG_KANMON" "$CG_MTA" 2>/dev/null || { log "cannot create cgroups under $CG_ROOT: /proc accounting only"; return; }
  CGROUPS_OK=1
  export BENCH_MTA_CGROUP="$CG_MTA"
}

cgroup_adopt_kanmon() {
  (( CGROUPS_OK )) || return 0
  local pair pid child
  for pair in $(cpu_roots kanmon | tr , ' '); do
    pid="${pair#*=}"; [[ "${pair%%=*}" == sink || -z "$pid" ]] && continue
    # The postmaster's backends too; the ones it forks later are born inside.
    for child in "$pid" $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
      echo "$child" > "$CG_KANMON/cgroup.procs" 2>/dev/null || true
    done
  done
}

cgroups_cleanup() {
  local cg pid
  for cg in "$CG_KANMON" "$CG_MTA"; do
    [[ -d "$cg" ]] || continue
    for pid in $(cat "$cg/cgroup.procs" 2>/dev/null); do echo "$pid" > "$CG_ROOT/cgroup.procs" 2>/dev/null || true; done
    rmdir "$cg" 2>/dev/null || true
  done
}

cpu_cgroups() { # side
  (( CGROUPS_OK )) || return 0
  if [[ "$1" == kanmon ]]; then echo "kanmon=$CG_KANMON"; else echo "postfix+dovecot=$CG_MTA"; fi
}

cpu_snapshot() { # side file
  bench cpu-snapshot --roots "$(cpu_roots "$1")" --cgroups "$(cpu_cgroups "$1")" --out "$2" >/dev/null
}

# ---- phases -----------------------------------------------------------------------------------
send() { # side port tag report extra-args...
  local port="$2" tag="$3" report="$4"; shift 4
  bench send --port "$port" --trust "$CA" --max-seconds 900 --size "$SIZE" "${PIPELINING[@]}" \
    --rcpt rcpt@dest.test --tag "$tag" --report "$report" "$@" >/dev/null
}

sink_wait() { # send-report tag report
  bench sink --dir "$SINK_DIR" --tag "$2" --expect "$(val "$1" accepted)" --since-ms "$(val "$1" start_epoch_ms)" \
    --max-seconds 600 --delete-matched --report "$3" >/dev/null
}

warmup() {
  local name="$1" port="$2" min=()
  [[ "$name" == kanmon ]] && lift_bans "warm-up"
  (( WARMUP_MSGS > 0 )) && min=(--min-messages "$WARMUP_MSGS")
  log "$name: warm-up, $SESSIONS sessions sending for $WARMUP_S s${min:+ and at least $WARMUP_MSGS messages}"
  send "$name" "$port" "$RUN_ID-$name-warmup" "$OUT/$name-warmup.txt" --sessions "$SESSIONS" \
    --duration "$WARMUP_S" "${min[@]}" --user "$SENDER" --password "$SENDER_PW" --from "$SENDER@example.test"
  log "$name: warm-up sent $(val "$OUT/$name-warmup.txt" accepted); waiting for them in the sink"
  sink_wait "$OUT/$name-warmup.txt" "$RUN_ID-$name-warmup" "$OUT/$name-warmup-sink.txt"
}

# --auth-only: the JITs of the AUTH path (and Keycloak's of the credential check) warmed by uncounted logins,
# warm ones of the sender and cold ones of the round-0 accounts.
auth_warmup() {
  local name="$1" port="$2" common
  common=(--port "$port" --trust "$CA" --max-seconds 600 --sessions "$AUTH_CONC")
  [[ "$name" == kanmon ]] && lift_bans "warm-up"
  log "$name: AUTH warm-up, $AUTH_WARM warm and $AUTH_COLD cold logins (uncounted)"
  bench auth "${common[@]}" --count "$AUTH_WARM" --user "$SENDER" --password "$SENDER_PW" \
    --report "$OUT/$name-auth-warmup-warm.txt" >/dev/null
  bench auth "${common[@]}" --count "$AUTH_COLD" --distinct "$AUTH_COLD" --user "bench-c0-{n}" \
    --password "$(cold_pw 0)" --report "$OUT/$name-auth-warmup-cold.txt" >/dev/null
}

# One round of one side: send (CPU sampled around send + sink), AUTH warm, AUTH cold, many users.
# With --auth-only: AUTH warm and AUTH cold alone.
round() {
  local name="$1" port="$2" r="$3" dir="$OUT/r$3" tag="$RUN_ID-$1-r$3" common
  common=(--port "$port" --trust "$CA" --max-seconds 600)
  if (( AUTH_ONLY )); then
    [[ "$name" == kanmon ]] && lift_bans "round $r"
    auth_rounds "$name" "$port" "$r"
    return 0
  fi
  [[ "$name" == kanmon ]] && { lift_bans "round $r"; cgroup_adopt_kanmon; metrics "$dir" send-before; }
  log "$name round $r: send, $SEND_DESC x $SIZE bytes"
  # The "before" sample is taken by the generator after its own uncounted client warm-up.
  send "$name" "$port" "$tag" "$dir/$name-send.txt" --sessions "$SESSIONS" "${SEND_SIZE[@]}" \
    --user "$SENDER" --password "$SENDER_PW" --from "$SENDER@example.test" \
    --cpu-snapshot "$dir/$name-cpu-before.snap" --cpu-roots "$(cpu_roots "$name")" --cpu-cgroups "$(cpu_cgroups "$name")"
  # End to end is counted from the first connection of the measured load; CPU until the last arrival.
  sink_wait "$dir/$name-send.txt" "$tag" "$dir/$name-sink.txt"
  cpu_snapshot "$name" "$dir/$name-cpu-after.snap"
  bench cpu-diff --before "$dir/$name-cpu-before.snap" --after "$dir/$name-cpu-after.snap" \
    --delivered "$(val "$dir/$name-sink.txt" sink_count)" --breakdown postfix,dovecot,postgres --apart sink \
    --report "$dir/$name-cpu.txt" >/dev/null
  awk -v c="$(val "$dir/$name-send.txt" client_cpu_ms)" -v n="$(val "$dir/$name-sink.txt" sink_count)" \
    'BEGIN { if (n > 0) printf "cpu_ms_per_msg.generator=%.3f\n", c / n }' >> "$dir/$name-cpu.txt"
  log "$name round $r: $(val "$dir/$name-send.txt" accepted_per_s) accepted/s, $(val "$dir/$name-sink.txt" e2e_per_s) e2e/s," \
    "p99 $(val "$dir/$name-send.txt" eod_p99_ms) ms, CPU $(val "$dir/$name-cpu.txt" cpu_ms_per_msg.total) ms/msg"
  [[ "$name" == kanmon ]] && metrics "$dir" send-after

  auth_rounds "$name" "$port" "$r"

  log "$name round $r: many users ($MANY sessions, each its own account, x $MANY_MSGS messages)"
  send "$name" "$port" "$tag-many" "$dir/$name-many-send.txt" --sessions "$MANY" --messages "$MANY_MSGS" \
    --distinct "$MANY" --user 'bench-m{n}' --password "$MANY_PW" --from 'bench-m{n}@example.test'
  sink_wait "$dir/$name-many-send.txt" "$tag-many" "$dir/$name-many-sink.txt"
  return 0
}

auth_rounds() { # side port round
  local name="$1" port="$2" r="$3" dir="$OUT/r$3" common
  common=(--port "$port" --trust "$CA" --max-seconds 600)
  log "$name round $r: AUTH warm ($AUTH_WARM logins, $AUTH_CONC at a time, one account)"
  bench auth "${common[@]}" --sessions "$AUTH_CONC" --count "$AUTH_WARM" --warmup 20 \
    --user "$SENDER" --password "$SENDER_PW" --report "$dir/$name-auth-warm.txt" >/dev/null
  [[ "$name" == kanmon ]] && metrics "$dir" warm-after
  log "$name round $r: AUTH cold ($AUTH_COLD logins, $AUTH_CONC at a time, each a new account)"
  bench auth "${common[@]}" --sessions "$AUTH_CONC" --count "$AUTH_COLD" --distinct "$AUTH_COLD" \
    --user "bench-c$r-{n}" --password "$(cold_pw "$r")" --report "$dir/$name-auth-cold.txt" >/dev/null
  [[ "$name" == kanmon ]] && metrics "$dir" cold-after
  return 0
}

openloop() {
  local name="$1" port="$2" tag="$RUN_ID-$1-openloop"
  [[ "$name" == kanmon ]] && lift_bans "open loop"
  log "$name: open loop, rates $OL_RATES msgs/s, $OL_STEP s each (at least $OL_MIN messages), $OL_SESS sessions, until p99 > $OL_P99 ms"
  bench openloop --port "$port" --trust "$CA" --max-seconds 1200 --sessions "$OL_SESS" --rates "$OL_RATES" \
    --step-seconds "$OL_STEP" --min-step-messages "$OL_MIN" --p99-limit-ms "$OL_P99" --size "$SIZE" "${PIPELINING[@]}" \
    --user "$SENDER" --password "$SENDER_PW" --from "$SENDER@example.test" --rcpt rcpt@dest.test \
    --tag "$tag" --report "$OUT/$name-openloop.txt" >/dev/null
  # Its backlog must not spill into the other side's measurement.
  sink_wait "$OUT/$name-openloop.txt" "$tag" "$OUT/$name-openloop-sink.txt"
}

measure_idle() {
  local pid; pid="$(pidfile "$STACK/run/submission.pid")"
  log "kanmon: $IDLE idle TLS sessions held for ${IDLE_HOLD}s (submission-service pid $pid)"
  java -Xms256m -Xmx3g -jar "$JAR" idle --port 2587 --trust "$CA" --count "$IDLE" --sessions 100 --hold "$IDLE_HOLD" \
    --pid "$pid" --threads 4 --source-addresses 127.0.1.1,127.0.1.2,127.0.1.3,127.0.1.4 \
    --max-seconds 900 --report "$OUT/kanmon-idle.txt" >/dev/null
}

# Prometheus snapshots of the five services around Kanmon's phases, to attribute its latency.
metrics() { # dir phase
  local svc port
  for svc in submission:19081 auth:19082 queue:19083 delivery:19084 dnsbl:19085; do   # management ports
    port="${svc#*:}"
    curl -sf "http://127.0.0.1:$port/q/metrics" > "$1/metrics-${svc%%:*}-$2.txt" 2>/dev/null || true
  done
}

# Mean of a Prometheus timer between two snapshots, in ms: metric_mean before after name label-filter.
metric_mean() {
  awk -v n="$3" -v f="$4" '
    FNR == 1 { file++ }
    index($0, n "_sum{") == 1 && index($0, f) { s[file] += $NF }
    index($0, n "_count{") == 1 && index($0, f) { c[file] += $NF }
    END { dc = c[2] - c[1]; if (dc > 0) printf "%.2f", (s[2] - s[1]) / dc * 1000; else print "-" }' "$1" "$2"
}

# The rounds' reports of one step, reduced to medians with min/max (bench rounds).
reduce() {
  local side step files=() r
  for side in kanmon postfix; do
    for step in send sink cpu auth-warm auth-cold many-send many-sink; do
      files=()
      for r in $(seq 1 "$ROUNDS"); do [[ -f "$OUT/r$r/$side-$step.txt" ]] && files+=("$OUT/r$r/$side-$step.txt"); done
      (( ${#files[@]} )) || continue
      bench rounds --files "$(IFS=,; echo "${files[*]}")" --report "$OUT/$side-$step.txt" >/dev/null
    done
  done
}

# ---- summary ----------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2f", a / b; else print "-" }'; }

# "median (min-max)" when there were several rounds; "[n of N]" when some rounds had no value.
cell() { # file key
  local m lo hi n c
  m="$(val "$1" "$2")"; lo="$(val "$1" "$2.min")"; hi="$(val "$1" "$2.max")"; n="$(val "$1" "$2.n")"
  if [[ "$lo" != - && "$lo" != "$hi" ]]; then c="$m ($lo-$hi)"; else c="$m"; fi
  [[ "$n" != - && "$n" -lt "$ROUNDS" ]] && c="$c [$n of $ROUNDS]"
  echo "$c"
}

row() { # label key file-suffix
  printf '| %-44s | %30s | %30s | %6s |\n' "$1" "$(cell "$OUT/kanmon-$3.txt" "$2")" "$(cell "$OUT/postfix-$3.txt" "$2")" \
    "$(ratio "$(val "$OUT/kanmon-$3.txt" "$2")" "$(val "$OUT/postfix-$3.txt" "$2")")"
}

# 0 means the lowest offered rate already missed the limit, and when every rate passed the
# answer is only a lower bound: say so instead of printing a bare rate.
ol_cell() {
  local f="$OUT/$1-openloop.txt" v
  v="$(val "$f" max_rate_ok)"
  if [[ "$v" == 0 ]]; then echo "< ${OL_RATES%%,*}"
  elif [[ "$(val "$f" stop_reason)" == "all rates passed" ]]; then echo ">= $v"
  else echo "$v"; fi
}

# Bare hash cost per side and what cold AUTH reaches of the ceiling it sets: cores x 1000 / hash ms,
# the logins/s of a server that did nothing but hash on every core.
hash_rows() {
  local kf="$OUT/keycloak-hash.txt" df; df="$(dovecot_hash_file)"
  local kms dms kceil dceil kcold pcold
  kms="$(val "$kf" ms_per_hash)" dms="$(val "$df" ms_per_hash)"
  kceil="$(awk -v m="$kms" -v c="$(nproc)" 'BEGIN { if (m + 0 > 0) printf "%.1f", c * 1000 / m; else print "-" }')"
  dceil="$(awk -v m="$dms" -v c="$(nproc)" 'BEGIN { if (m + 0 > 0) printf "%.1f", c * 1000 / m; else print "-" }')"
  kcold="$(val "$OUT/kanmon-auth-cold.txt" logins_per_s)" pcold="$(val "$OUT/postfix-auth-cold.txt" logins_per_s)"
  printf '| %-44s | %30s | %30s | %6s |\n' "bare hash ms (Keycloak policy / Dovecot)" \
    "$kms ($(val "$kf" algorithm) $(val "$kf" iterations))" "$dms ($(dovecot_hash_label))" "$(ratio "$kms" "$dms")"
  printf '| %-44s | %30s | %30s | %6s |\n' "bare-hash ceiling logins/s ($(nproc) cores / hash)" "$kceil" "$dceil" "$(ratio "$kceil" "$dceil")"
  printf '| %-44s | %30s | %30s | %6s |\n' "cold AUTH / bare-hash ceiling" \
    "$(ratio "$kcold" "$kceil")" "$(ratio "$pcold" "$dceil")" "$(ratio "$(ratio "$kcold" "$kceil")" "$(ratio "$pcold" "$dceil")")"
}

cpu_table() { # side
  local f="$OUT/$1-cpu.txt" k
  [[ -f "$f" ]] || return 0
  for k in $(grep -o '^cpu_ms_per_msg\.[^=]*' "$f" | grep -v '\.\(min\|max\|n\|all\)$'); do
    printf '  %-7s %-32s %26s\n' "$1" "${k#cpu_ms_per_msg.}" "$(cell "$f" "$k")"
  done
}

summary() {
  local rule; rule="|$(printf -- '-%.0s' {1..46})|$(printf -- '-%.0s' {1..32})|$(printf -- '-%.0s' {1..32})|$(printf -- '-%.0s' {1..8})|"
  {
    echo "run $RUN_ID  $(nproc) cores  load average at start: $LOAD_START"
    echo "mode: $([[ $QUICK == 1 ]] && echo quick || echo full)$( (( AUTH_ONLY )) && echo ", AUTH only"), $ROUNDS rounds alternating K,P; durability: $DURABILITY" \
      "(Kafka $TOPIC flush.messages=$(val "$OUT/kafka-topic.txt" flush.messages))"
    if (( AUTH_ONLY )); then
      echo "warm-up: $AUTH_WARM warm and $AUTH_COLD cold logins per side, uncounted"
    else
      echo "warm-up: $WARMUP_S s per side (K $(val "$OUT/kanmon-warmup.txt" accepted), P $(val "$OUT/postfix-warmup.txt" accepted) messages);" \
        "accepted/s per 10 s: K $(val "$OUT/kanmon-warmup.txt" accepted_per_s_by_10s) | P $(val "$OUT/postfix-warmup.txt" accepted_per_s_by_10s)"
    fi
    echo "load: $SEND_DESC x $SIZE bytes, STARTTLS + AUTH PLAIN, pipelining=${BENCH_PIPELINING:-0}; AUTH concurrency $AUTH_CONC;" \
      "many users: $MANY x $MANY_MSGS"
    echo "password hash, bare (one thread, CPU time per hash, after a warm-up): Keycloak policy" \
      "'$(val "$OUT/keycloak-policy.txt" policy)' = $(val "$OUT/keycloak-hash.txt" jdk_algorithm) from $(val "$OUT/keycloak-hash.txt" provider)," \
      "$(val "$OUT/keycloak-hash.txt" iterations) iterations, $(val "$OUT/keycloak-hash.txt" key_bits)-bit key on $(val "$OUT/keycloak-hash.txt" java):" \
      "$(val "$OUT/keycloak-hash.txt" ms_per_hash) ms ($(val "$OUT/keycloak-hash.txt" single_wall_ms_per_hash) ms wall)," \
      "$(val "$OUT/keycloak-hash.txt" all_hashes_per_s) hashes/s on all $(val "$OUT/keycloak-hash.txt" cores) cores;" \
      "computed by $(val "$OUT/keycloak-policy.txt" impl); the JDK's provider ($(val "$OUT/keycloak-hash.txt" jdk_provider)): $(val "$OUT/keycloak-hash.txt" jdk_ms_per_hash) ms"
    echo "Dovecot accounts: BENCH_DOVECOT_HASH=$DOVECOT_HASH -> $(dovecot_hash_label);" \
      "Dovecot PBKDF2 (HMAC-SHA1) $(val "$OUT/dovecot-hash-pbkdf2.txt" rounds) rounds = $(val "$OUT/dovecot-hash-pbkdf2.txt" ms_per_hash) ms" \
      "(matched to $(val "$OUT/dovecot-hash-pbkdf2.txt" target_ms_per_hash) ms)," \
      "SHA512-CRYPT 5000 rounds = $(val "$OUT/dovecot-hash-sha512-crypt.txt" ms_per_hash) ms (CPU per round x rounds, from doveadm pw)"
    echo "cells: median over the rounds (min-max); K/P compares the medians"
    echo
    printf '| %-44s | %30s | %30s | %6s |\n' metric Kanmon Postfix K/P
    echo "$rule"
    row "messages accepted (250)" accepted send
    row "errors" errors send
    row "accepted msgs/s (until last 250)" accepted_per_s send
    row "delivered to sink" sink_count sink
    row "end-to-end msgs/s (until last in sink)" e2e_per_s sink
    row "end-of-DATA -> 250 p50 ms" eod_p50_ms send
    row "end-of-DATA -> 250 p90 ms" eod_p90_ms send
    row "end-of-DATA -> 250 p99 ms" eod_p99_ms send
    row "end-of-DATA -> 250 max ms" eod_max_ms send
    row "CPU ms per delivered message (all processes)" cpu_ms_per_msg.total cpu
    row "AUTH/s warm (one account, cached)" logins_per_s auth-warm
    row "AUTH -> 235 p50 ms, warm" auth_p50_ms auth-warm
    row "AUTH -> 235 p99 ms, warm" auth_p99_ms auth-warm
    row "AUTH/s cold (new account each login)" logins_per_s auth-cold
    row "AUTH -> 235 p50 ms, cold" auth_p50_ms auth-cold
    row "AUTH -> 235 p99 ms, cold" auth_p99_ms auth-cold
    hash_rows
    row "AUTH errors, warm" errors auth-warm
    row "AUTH errors, cold" errors auth-cold
    row "many users: accepted msgs/s" accepted_per_s many-send
    row "many users: end-to-end msgs/s" e2e_per_s many-sink
    row "many users: EOD -> 250 p99 ms" eod_p99_ms many-send
    row "many users: login (connect..235) p99 ms" login_p99_ms many-send
    row "many users: errors" errors many-send
    printf '| %-44s | %30s | %30s | %6s |\n' "open loop: max msgs/s with p99 <= $OL_P99 ms" \
      "$(ol_cell kanmon)" "$(ol_cell postfix)" \
      "$(ratio "$(val "$OUT/kanmon-openloop.txt" max_rate_ok)" "$(val "$OUT/postfix-openloop.txt" max_rate_ok)")"
    echo
    echo "CPU ms per delivered message by process tree (send phase until the last message is in the sink;"
    echo "exited = processes that ended in the window, e.g. smtpd/cleanup, counted through their parent;"
    echo "cgroup = the side's cgroup v2 usage_usec, an independent total; sink and generator are not in the totals):"
    cpu_table kanmon
    cpu_table postfix
    local side f
    for side in kanmon postfix; do
      f="$OUT/$side-cpu.txt"
      [[ -f "$f" && "$(val "$f" cpu_restarted)" != none ]] && echo "  WARNING $side: restarted during a round: $(val "$f" cpu_restarted) (not counted)"
    done
    echo
    for side in kanmon postfix; do
      f="$OUT/$side-openloop.txt"
      [[ -f "$f" ]] || continue
      echo "open loop $side ($(val "$f" connections) sessions, $(val "$f" step_s) s per step and at least $(val "$f" min_step_messages) messages," \
        "latency from the intended send time): $(val "$f" stop_reason)"
      awk -F= '/^step[0-9]+_rate=/ { s = substr($1, 1, 7); r[s] = $2; order[++n] = s }
               /^step[0-9]+_eod_p99_ms=/ { p[substr($1, 1, 7)] = $2 }
               /^step[0-9]+_eod_raw_p99_ms=/ { q[substr($1, 1, 7)] = $2 }
               /^step[0-9]+_achieved_per_s=/ { a[substr($1, 1, 7)] = $2 }
               END { for (i = 1; i <= n; i++) printf "  %5s msgs/s offered: %7s achieved, p99 %8s ms (uncorrected %s)\n", r[order[i]], a[order[i]], p[order[i]], q[order[i]] }' "$f"
    done
    if compgen -G "$OUT/r*/metrics-submission-send-after.txt" >/dev/null; then
      echo
      echo "Where Kanmon's time went (server-side timers, mean ms per call over the phase, round 1..$ROUNDS):"
      local line r m
      for line in "send: Kafka produce acks=all|submission|send-before|send-after|kanmon_submission_queue_ack_seconds|result=\"acknowledged\"" \
                  "send: quota consume (auth-service)|auth|send-before|send-after|http_server_requests_seconds|uri=\"/internal/v1/quota/consume\"" \
                  "send: quota reserve (auth-service)|auth|send-before|send-after|http_server_requests_seconds|uri=\"/internal/v1/quota/reserve\"" \
                  "send: delivery DATA to the sink|delivery|send-before|send-after|kanmon_delivery_smtp_latency_seconds|phase=\"data\"" \
                  "warm: password check (auth-service)|auth|send-after|warm-after|http_server_requests_seconds|uri=\"/internal/v1/authenticate/password\"" \
                  "cold: password check (auth-service)|auth|warm-after|cold-after|http_server_requests_seconds|uri=\"/internal/v1/authenticate/password\""; do
        IFS='|' read -r label svc from to name filter <<<"$line"
        m=()
        for r in $(seq 1 "$ROUNDS"); do
          m+=("$(metric_mean "$OUT/r$r/metrics-$svc-$from.txt" "$OUT/r$r/metrics-$svc-$to.txt" "$name" "$filter" 2>/dev/null || echo -)")
        done
        printf '  %-38s %s\n' "$label" "${m[*]}"
      done
    fi
    if [[ -f "$OUT/kanmon-idle.txt" ]]; then
      local i="$OUT/kanmon-idle.txt"
      echo
      echo "Kanmon idle sessions: $(val "$i" idle_opened) of $(val "$i" idle_requested) opened in $(val "$i" idle_open_s) s" \
        "from $(val "$i" source_addresses) source addresses, $(val "$i" idle_alive_after_hold) answered NOOP after $(val "$i" idle_hold_s) s;" \
        "submission-service RSS $(val "$i" rss_before_kib) KiB before, $(val "$i" rss_held_kib) KiB held" \
        "($(val "$i" rss_per_session_kib) KiB/session), $(val "$i" rss_after_kib) KiB after"
    fi
    if [[ -s "$OUT/bans-lifted.txt" ]]; then
      echo
      echo "WARNING: $(wc -l < "$OUT/bans-lifted.txt") brute-force ban(s) on the bench's address or accounts were lifted during the run" \
        "(failed logins before them are in the reports' error counts): $(paste -sd';' "$OUT/bans-lifted.txt")"
    fi
    echo "reports: $OUT"
  } | tee "$OUT/summary.txt"
}

cleanup() {
  set +e
  if (( ${RESTORE_TOPIC:-0} )); then
    bench kafka-topic --topic "$TOPIC" --key flush.messages --delete >/dev/null 2>&1 \
      && log "restored $TOPIC flush.messages to the broker default" || log "WARNING: could not restore flush.messages on $TOPIC"
  fi
  bench/mta.sh stop
  cgroups_cleanup
}

main() {
  command -v jq >/dev/null || apt-get install -y -q jq >/dev/null
  mkdir -p "$OUT"
  local r side sides=(kanmon postfix) started="$SECONDS"
  (( POSTFIX_ONLY )) && sides=(postfix)
  for r in $(seq 1 "$ROUNDS"); do mkdir -p "$OUT/r$r"; done
  LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
  # Ten thousand idle sessions need as many descriptors in the generator.
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  (( $(ulimit -n) > IDLE + 1000 )) || log "WARNING: ulimit -n $(ulimit -n) is low for $IDLE idle sessions"
  build_jar
  ensure_stack
  local users; users="$(users_file)"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  cgroups_setup
  hash_costs
  bench/mta.sh start "$users"
  (( POSTFIX_ONLY )) || kanmon_users "$users"
  durability_setup
  declare -A port=([kanmon]=2587 [postfix]=10587)
  if (( AUTH_ONLY )); then
    for side in "${sides[@]}"; do auth_warmup "$side" "${port[$side]}"; done
  else
    for side in "${sides[@]}"; do warmup "$side" "${port[$side]}"; done
  fi
  for r in $(seq 1 "$ROUNDS"); do
    for side in "${sides[@]}"; do round "$side" "${port[$side]}" "$r"; done
  done
  if (( ! AUTH_ONLY )); then
    for side in "${sides[@]}"; do openloop "$side" "${port[$side]}"; done
    (( POSTFIX_ONLY )) || measure_idle
  fi
  reduce
  summary
  log "done in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"
}

main "$@"; exit $?  # one line: bash reads a script as it runs, so an edit to this file during a run cannot break its end
