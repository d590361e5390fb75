#!/usr/bin/env bash
# Kanmon vs Postfix 3.7 + Dovecot, same run, same machine, same load generator, same sink.
#
#   bench/run.sh            full run (20 sessions x 50 messages x 5 KB, AUTH warm/cold, 2000 idle sessions)
#   bench/run.sh --quick    smoke run, about a minute, to check that everything works
#   bench/run.sh --postfix-only   Postfix side only (when the Kanmon services are not up)
#
# Sizes can be overridden: BENCH_SESSIONS BENCH_MESSAGES BENCH_SIZE BENCH_PIPELINING=1
# BENCH_AUTH_CONCURRENCY BENCH_AUTH_WARM BENCH_AUTH_COLD BENCH_IDLE BENCH_IDLE_HOLD BENCH_PRIME_MESSAGES.
# Every step is bounded (--max-seconds, sink timeouts); Postfix and Dovecot are stopped on exit.
# Results: .local-stack/bench/results/<run id>/ (one key=value report per step, summary.txt).
# Method and the numbers measured so far: docs/benchmarks.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK="${KANMON_STACK:-$ROOT/.local-stack}"
cd "$ROOT"

QUICK=0 POSTFIX_ONLY=0
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1 ;;
    --postfix-only) POSTFIX_ONLY=1 ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

if (( QUICK )); then d_sess=4 d_msgs=10 d_warm=30 d_cold=10 d_idle=50 d_hold=3 d_prime=2
else d_sess=20 d_msgs=50 d_warm=500 d_cold=200 d_idle=2000 d_hold=30 d_prime=10; fi
SESSIONS="${BENCH_SESSIONS:-$d_sess}" MESSAGES="${BENCH_MESSAGES:-$d_msgs}" SIZE="${BENCH_SIZE:-5000}"
AUTH_CONC="${BENCH_AUTH_CONCURRENCY:-10}" AUTH_WARM="${BENCH_AUTH_WARM:-$d_warm}" AUTH_COLD="${BENCH_AUTH_COLD:-$d_cold}"
IDLE="${BENCH_IDLE:-$d_idle}" IDLE_HOLD="${BENCH_IDLE_HOLD:-$d_hold}"
# Uncounted messages per session sent first (and waited for in the sink), so that neither side is
# measured cold: JIT for the JVMs, process pools and connection caches for Postfix.
PRIME="${BENCH_PRIME_MESSAGES:-$d_prime}"
PIPELINING=(); [[ "${BENCH_PIPELINING:-0}" == 1 ]] && PIPELINING=(--pipelining)

RUN_ID="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$STACK/bench/results/$RUN_ID"
JAR="$ROOT/bench/target/kanmon-bench.jar"
CA="$STACK/tls/ca.crt"
SINK_DIR="$STACK/sink/mail"
KC=http://127.0.0.1:18080
SENDER=bench-sender SENDER_PW=bench-sender-secret
# Cold AUTH: accounts bench1..benchN with passwords new in every run, so no cache on either side
# has seen them (both caches key on user and password).
COLD_PW="cold-$RUN_ID-{n}"

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
  curl -sf -o /dev/null http://127.0.0.1:18081/q/health/ready && timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/2587' 2>/dev/null
}

ensure_stack() {
  if (( POSTFIX_ONLY )); then
    local status; status="$(bin/kanmon-stack status 2>/dev/null || true)"
    grep -q '^sink .*up' <<<"$status" || bin/kanmon-stack start infra
    return
  fi
  kanmon_ready || { log "Kanmon is not up: bin/kanmon-stack start"; bin/kanmon-stack start; }
  kanmon_ready || die "submission-service is not ready on 2587 / :18081/q/health/ready"
}

# Users for both sides: the sender (also the warm AUTH account) and the cold AUTH accounts.
users_file() {
  local f="$OUT/users.txt" n
  printf '%s\n' "alice alice-secret" "bob bob-secret" "$SENDER $SENDER_PW" > "$f"
  for n in $(seq 1 "$AUTH_COLD"); do echo "bench$n ${COLD_PW//\{n\}/$n}"; done >> "$f"
  echo "$f"
}

# Keycloak accounts (realm kanmon) and a quota plan without practical limits for the sender, so the
# default plan (30 messages/minute) does not turn the benchmark into a throttling test.
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

# One side: send + wait for the sink, AUTH warm, AUTH cold, (Kanmon) idle sessions.
measure() {
  local name="$1" port="$2" common accepted
  common=(--port "$port" --trust "$CA" --max-seconds 600)
  if (( PRIME > 0 )); then
    log "$name: priming with $SESSIONS x $PRIME uncounted messages"
    bench send "${common[@]}" --sessions "$SESSIONS" --messages "$PRIME" --size "$SIZE" "${PIPELINING[@]}" \
      --user "$SENDER" --password "$SENDER_PW" --from "$SENDER@example.test" --rcpt rcpt@dest.test \
      --tag "$RUN_ID-$name-prime" --report "$OUT/$name-prime.txt" >/dev/null
    bench sink --dir "$SINK_DIR" --tag "$RUN_ID-$name-prime" --expect "$(val "$OUT/$name-prime.txt" accepted)" \
      --since-ms "$(val "$OUT/$name-prime.txt" start_epoch_ms)" --max-seconds 300 >/dev/null
  fi
  log "$name: send $SESSIONS sessions x $MESSAGES messages x $SIZE bytes"
  if [[ "$name" == kanmon ]]; then metrics send-before; fi
  bench send "${common[@]}" --sessions "$SESSIONS" --messages "$MESSAGES" --size "$SIZE" "${PIPELINING[@]}" \
    --user "$SENDER" --password "$SENDER_PW" --from "$SENDER@example.test" --rcpt rcpt@dest.test \
    --tag "$RUN_ID-$name" --report "$OUT/$name-send.txt" >/dev/null
  accepted="$(val "$OUT/$name-send.txt" accepted)"
  # End to end is counted from the first connection of the measured load (not JVM start or warm-up).
  log "$name: $accepted accepted; waiting for them in the sink"
  bench sink --dir "$SINK_DIR" --tag "$RUN_ID-$name" --expect "$accepted" \
    --since-ms "$(val "$OUT/$name-send.txt" start_epoch_ms)" \
    --max-seconds 300 --report "$OUT/$name-sink.txt" >/dev/null
  if [[ "$name" == kanmon ]]; then metrics send-after; fi

  log "$name: AUTH warm ($AUTH_WARM logins, $AUTH_CONC at a time, one account)"
  bench auth "${common[@]}" --sessions "$AUTH_CONC" --count "$AUTH_WARM" --warmup 20 \
    --user "$SENDER" --password "$SENDER_PW" --report "$OUT/$name-auth-warm.txt" >/dev/null
  if [[ "$name" == kanmon ]]; then metrics warm-after; fi
  log "$name: AUTH cold ($AUTH_COLD logins, $AUTH_CONC at a time, each a new account)"
  bench auth "${common[@]}" --sessions "$AUTH_CONC" --count "$AUTH_COLD" --distinct "$AUTH_COLD" \
    --user 'bench{n}' --password "$COLD_PW" --report "$OUT/$name-auth-cold.txt" >/dev/null
  if [[ "$name" == kanmon ]]; then metrics cold-after; fi
}

measure_idle() {
  local pid; pid="$(head -n1 "$STACK/run/submission.pid")"
  log "kanmon: $IDLE idle sessions held for ${IDLE_HOLD}s (submission-service pid $pid)"
  bench idle --port 2587 --trust "$CA" --count "$IDLE" --sessions 50 --hold "$IDLE_HOLD" --pid "$pid" \
    --max-seconds 600 --report "$OUT/kanmon-idle.txt" >/dev/null
}

# Prometheus snapshots of the five services around Kanmon's phases, to attribute its latency.
metrics() {
  local svc port
  for svc in submission:18081 auth:18082 queue:18083 delivery:18084 dnsbl:18085; do
    port="${svc#*:}"
    curl -sf "http://127.0.0.1:$port/q/metrics" > "$OUT/metrics-${svc%%:*}-$1.txt" 2>/dev/null || true
  done
}

# Mean of a Prometheus timer between two snapshots, in ms: metric_mean before after name label-filter.
metric_mean() {
  awk -v n="$3" -v f="$4" '
    FNR == 1 { file++ }
    index($0, n "_sum{") == 1 && index($0, f) { s[file] += $NF }
    index($0, n "_count{") == 1 && index($0, f) { c[file] += $NF }
    END { dc = c[2] - c[1]; if (dc > 0) printf "%.2f ms mean over %d", (s[2] - s[1]) / dc * 1000, dc; else print "-" }' "$1" "$2"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2f", a / b; else print "-" }'; }

row() { # label key file-suffix
  local k p
  k="$(val "$OUT/kanmon-$3.txt" "$2")"; p="$(val "$OUT/postfix-$3.txt" "$2")"
  printf '| %-40s | %12s | %12s | %7s |\n' "$1" "$k" "$p" "$(ratio "$k" "$p")"
}

summary() {
  {
    echo "run $RUN_ID  $(nproc) cores  load average at start: $LOAD_START"
    echo "load: $SESSIONS sessions x $MESSAGES messages x $SIZE bytes, STARTTLS + AUTH PLAIN, pipelining=${BENCH_PIPELINING:-0}; AUTH concurrency $AUTH_CONC"
    echo
    printf '| %-40s | %12s | %12s | %7s |\n' metric Kanmon Postfix K/P
    printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..42})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..9})"
    row "messages accepted (250)" accepted send
    row "errors" errors send
    row "accepted msgs/s (until last 250)" accepted_per_s send
    row "delivered to sink" sink_count sink
    row "end-to-end msgs/s (until last in sink)" e2e_per_s sink
    row "end-of-DATA -> 250 p50 ms" eod_p50_ms send
    row "end-of-DATA -> 250 p90 ms" eod_p90_ms send
    row "end-of-DATA -> 250 p99 ms" eod_p99_ms send
    row "end-of-DATA -> 250 max ms" eod_max_ms send
    row "AUTH/s warm (one account, cached)" logins_per_s auth-warm
    row "AUTH -> 235 p50 ms, warm" auth_p50_ms auth-warm
    row "AUTH -> 235 p99 ms, warm" auth_p99_ms auth-warm
    row "AUTH/s cold (new account each login)" logins_per_s auth-cold
    row "AUTH -> 235 p50 ms, cold" auth_p50_ms auth-cold
    row "AUTH -> 235 p99 ms, cold" auth_p99_ms auth-cold
    row "AUTH errors, warm" errors auth-warm
    row "AUTH errors, cold" errors auth-cold
    if [[ -s "$OUT/metrics-submission-send-after.txt" ]]; then
      local m="$OUT/metrics"
      echo
      echo "Where Kanmon's time went (server-side timers, mean per call over the phase):"
      echo "  send: Kafka produce acks=all      $(metric_mean "$m-submission-send-before.txt" "$m-submission-send-after.txt" \
        kanmon_submission_queue_ack_seconds 'result="acknowledged"')"
      echo "  send: quota consume (auth-service) $(metric_mean "$m-auth-send-before.txt" "$m-auth-send-after.txt" \
        http_server_requests_seconds 'uri="/internal/v1/quota/consume"')"
      echo "  send: delivery DATA to the sink   $(metric_mean "$m-delivery-send-before.txt" "$m-delivery-send-after.txt" \
        kanmon_delivery_smtp_latency_seconds 'phase="data"')"
      echo "  warm: password check (auth-service) $(metric_mean "$m-auth-send-after.txt" "$m-auth-warm-after.txt" \
        http_server_requests_seconds 'uri="/internal/v1/authenticate/password"')"
      echo "  cold: password check (auth-service) $(metric_mean "$m-auth-warm-after.txt" "$m-auth-cold-after.txt" \
        http_server_requests_seconds 'uri="/internal/v1/authenticate/password"')"
    fi
    if [[ -f "$OUT/kanmon-idle.txt" ]]; then
      echo
      echo "Kanmon idle sessions: $(val "$OUT/kanmon-idle.txt" idle_opened) of $(val "$OUT/kanmon-idle.txt" idle_requested) opened" \
        "in $(val "$OUT/kanmon-idle.txt" idle_open_s) s, $(val "$OUT/kanmon-idle.txt" idle_alive_after_hold) answered NOOP after" \
        "$(val "$OUT/kanmon-idle.txt" idle_hold_s) s; submission-service RSS $(val "$OUT/kanmon-idle.txt" rss_before_kib) KiB before," \
        "$(val "$OUT/kanmon-idle.txt" rss_held_kib) KiB held ($(val "$OUT/kanmon-idle.txt" rss_per_session_kib) KiB/session)," \
        "$(val "$OUT/kanmon-idle.txt" rss_after_kib) KiB after"
    fi
    echo "reports: $OUT"
  } | tee "$OUT/summary.txt"
}

main() {
  command -v jq >/dev/null || apt-get install -y -q jq >/dev/null
  mkdir -p "$OUT"
  LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
  build_jar
  ensure_stack
  local users; users="$(users_file)"
  trap 'bench/mta.sh stop' EXIT
  trap 'exit 130' INT TERM
  bench/mta.sh start "$users"
  if (( ! POSTFIX_ONLY )); then
    kanmon_users "$users"
    measure kanmon 2587
    measure_idle
  fi
  measure postfix 10587
  summary
}

main
