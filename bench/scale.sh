#!/usr/bin/env bash
# The scale figures of the 3-process cluster on this machine, each from a fresh cluster
# (deploy/local-cluster.sh, no real agents), written into bench/RESULTS.md.
#
#   bench/scale.sh agents|placements|footprint|all [--count N] [--interval TIME]
#                  [--duration TIME] [--agents N] [--tasks N] [--clients C] [--restarts R]
#                  [--settle TIME] [--data DIR] [--results FILE] [--timeout-minutes M]
#
# agents      N simulated agents (`oag bench agents --count N --interval TIME --duration TIME
#             --keep`; default 10000, 1s, 5m) on one leader. Once a second the leader's CPU
#             (utime+stime from /proc, in cores), every coordinator's RSS and the simulator's
#             CPU are sampled (bench/scale.py sample); reports the leader's CPU after the
#             ramp-up (mean, p99), the agents' heartbeat ack latency and send lateness, the
#             leader's own oag_lease_ack_delay, false and explained DOWN verdicts, RSS.
#             Targets (at 10,000 agents, 1 s, 5 min): 0 false DOWN; the leader under one core.
# placements  `oag bench submit --start --writes TASKS` (default 100000 tasks of 1 millicore
#             and 1 MiB, C clients, default 64) while no node exists, so every task waits;
#             then N simulated agents (--agents, default 1000, at the leader's heartbeat
#             interval; they report whatever they are given RUNNING) join and the placer
#             drains the queue: committed placements/s from the first to the last
#             task.scheduled, and submitted/s, from the replicated event times. Submitting
#             stops after 10 minutes (fewer tasks: reported, and a miss); every task submitted
#             must then be placed within 5 minutes. Target (1,000 agents, 100,000 tasks):
#             >= 5,000/s.
# footprint   `oag bench submit --writes TASKS` creates TASKS tasks (stored, never
#             scheduled); after --settle (default 30s) each coordinator's RSS and heap used;
#             then R times (--restarts, default 3) a follower is killed with SIGKILL and
#             started again with deploy/local-cluster.sh start, timed from the new process's
#             start to its GET /readyz answering 200 (serving) and to its applied index
#             reaching the leader's (caught up). Targets (100,000 tasks): RSS <= 300 MiB;
#             restart to serving <= 10 s (median).
# all         the three, one after another; a part that fails does not stop the next.
#
# Each part prints its figures and, only when it ran to the end, replaces its own section of
# FILE (default bench/RESULTS.md; between `<!-- scale.sh PART: begin/end -->` markers, which
# bench/compare-etcd.sh keeps) with them, the command, the machine and the coordinators'
# command line. A target is "met" or "MISSED" only when the part ran at the target's scale,
# "n/a" otherwise. Part P works in DIR/P (default DIR: a new temporary directory, removed
# after a successful run; DIR/P is the script's own and is replaced). Each part stops after M
# minutes (default: the agents part the duration + 20, the others 40) and stops what it
# started on any exit: the load, the sampler, then the cluster, by the pids recorded.
# Only loopback addresses; needs the ports of deploy/local-cluster.sh free. The full-scale
# defaults take about 8 + 5 + 6 minutes on 2 cores. OAG_JAVA_OPTS and OAG_COORDINATOR_ARGS
# pass through to the coordinators (deploy/local-cluster.sh; the load JVMs keep bin/oag's
# defaults) and show in the recorded command line.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
OAG="$ROOT/bin/oag"
CLUSTER="$ROOT/deploy/local-cluster.sh"
SCALE_PY="$ROOT/bench/scale.py"
# shellcheck source=results-lib.sh
. "$ROOT/bench/results-lib.sh"
ADDRESSES=127.0.0.1:7070,127.0.0.1:7071,127.0.0.1:7072
COUNT=10000
INTERVAL=1s
DURATION=5m
AGENTS=1000
TASKS=100000
CLIENTS=64
RESTARTS=3
SETTLE=30s
DATA=""
RESULTS="$ROOT/bench/RESULTS.md"
TIMEOUT_MIN=""
MEASURE_S=10          # footprint: RSS and heap over this many seconds after the settle
SUBMIT_LIMIT=600      # placements: seconds of submitting at most (fewer tasks then: reported)
PLACE_TIMEOUT=300s    # placements: every task placed within this after the last submit
ORIGINAL="bench/scale.sh${*:+ $*}"

usage() {
  echo "usage: $0 agents|placements|footprint|all [--count N] [--interval TIME] [--duration TIME]" \
    "[--agents N] [--tasks N] [--clients C] [--restarts R] [--settle TIME] [--data DIR]" \
    "[--results FILE] [--timeout-minutes M]" >&2
  exit 2
}
bad() { echo "$0: $*" >&2; exit 2; }

# Whole seconds of TIME (N, Ns, Nm or Nh), or nothing when it is not one.
seconds_of() {
  case "$1" in
    *[!0-9smh]*|"") ;;
    *h) [[ "${1%h}" =~ ^[0-9]+$ ]] && echo $((${1%h} * 3600)) ;;
    *m) [[ "${1%m}" =~ ^[0-9]+$ ]] && echo $((${1%m} * 60)) ;;
    *s) [[ "${1%s}" =~ ^[0-9]+$ ]] && echo "${1%s}" ;;
    *) [[ "$1" =~ ^[0-9]+$ ]] && echo "$1" ;;
  esac
}

[[ $# -ge 1 ]] || usage
PART=$1
shift
case "$PART" in
  agents|placements|footprint|all) ;;
  -h|--help) usage ;;
  *) bad "unknown part '$PART': expected agents, placements, footprint or all" ;;
esac
# Each option with the parts it applies to.
declare -A FOR=([--count]=agents [--interval]=agents [--duration]=agents [--agents]=placements
  [--tasks]="placements footprint" [--clients]="placements footprint" [--restarts]=footprint
  [--settle]=footprint)
while [[ $# -gt 0 ]]; do
  [[ $# -ge 2 ]] || { [[ "$1" == -h || "$1" == --help ]] && usage; bad "$1 needs a value"; }
  if [[ -n "${FOR[$1]:-}" && "$PART" != all && " ${FOR[$1]} " != *" $PART "* ]]; then
    bad "$1 is not an option of the $PART part (only of: ${FOR[$1]})"
  fi
  case "$1" in
    --count) COUNT=$2 ;;
    --interval) INTERVAL=$2 ;;
    --duration) DURATION=$2 ;;
    --agents) AGENTS=$2 ;;
    --tasks) TASKS=$2 ;;
    --clients) CLIENTS=$2 ;;
    --restarts) RESTARTS=$2 ;;
    --settle) SETTLE=$2 ;;
    --data) DATA=$2 ;;
    --results) RESULTS=$2 ;;
    --timeout-minutes) TIMEOUT_MIN=$2 ;;
    *) bad "unknown option '$1'" ;;
  esac
  shift 2
done
[[ "$COUNT" =~ ^[1-9][0-9]{0,4}$ && $COUNT -le 100000 ]] || bad "--count must be 1 to 100000"
[[ "$AGENTS" =~ ^[1-9][0-9]{0,4}$ && $AGENTS -le 100000 ]] || bad "--agents must be 1 to 100000"
[[ "$TASKS" =~ ^[1-9][0-9]{0,6}$ && $TASKS -le 1000000 ]] || bad "--tasks must be 1 to 1000000"
[[ "$CLIENTS" =~ ^[1-9][0-9]{0,2}$ ]] || bad "--clients must be 1 to 999"
[[ "$RESTARTS" =~ ^[1-9]$ ]] || bad "--restarts must be 1 to 9"
[[ "$INTERVAL" =~ ^[1-9][0-9]*(ms|s)$ ]] || bad "--interval must be like 500ms or 1s, was '$INTERVAL'"
DURATION_S=$(seconds_of "$DURATION")
[[ -n "$DURATION_S" && $DURATION_S -ge 10 && $DURATION_S -le 86400 ]] \
  || bad "--duration must be 10s to 24h (like 45s, 5m), was '$DURATION'"
SETTLE_S=$(seconds_of "$SETTLE")
[[ -n "$SETTLE_S" && $SETTLE_S -le 3600 ]] || bad "--settle must be 0s to 1h, was '$SETTLE'"
[[ -z "$TIMEOUT_MIN" || "$TIMEOUT_MIN" =~ ^[1-9][0-9]{0,3}$ ]] || bad "--timeout-minutes must be 1 to 9999"
[[ -n "$RESULTS" && -d "$(dirname "$RESULTS")" ]] || bad "--results: no directory for '$RESULTS'"
RESULTS="$(cd "$(dirname "$RESULTS")" && pwd)/$(basename "$RESULTS")"
command -v python3 >/dev/null || { echo "$0: needs python3" >&2; exit 1; }

"$OAG" --version >/dev/null  # builds the distribution when it is missing or stale

OWN_TMP=""
if [[ -z "$DATA" ]]; then
  DATA="$(mktemp -d "${TMPDIR:-/tmp}/oag-scale.XXXXXX")"
  OWN_TMP=$DATA
fi
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"

# ---------------------------------------------------------------------------------------------
# What every part does: its own directory and cluster, bounded commands, a sampler, cleanup.
# A part runs in a subshell of its own, so `exit` ends only that part (and its EXIT trap
# stops what it started).

say() { echo "scale: $*" >&2; }
fail() { say "$PART_NAME: $*"; exit 1; }

# Appends "NAME BOOTTIME" to the part's marks (the clock of bench/scale.py and /proc).
mark() { echo "$1 $(cut -d' ' -f1 /proc/uptime)" >>"$DIR/marks"; }

# Seconds left to this part (at least 1: what is bounded by it then ends at once).
left() {
  local l=$((DEADLINE - SECONDS))
  echo $((l > 1 ? l : 1))
}

# Waits for background pid PID, keeping this shell's traps live; sets RC to its status.
await() {
  local pid=$1 keep=() p
  RC=0
  wait "$pid" || RC=$?
  for p in "${STARTED[@]+"${STARTED[@]}"}"; do
    [[ "$p" == "$pid" ]] || keep+=("$p")
  done
  STARTED=("${keep[@]+"${keep[@]}"}")   # reaped: its pid may belong to another process soon
  ((SECONDS < DEADLINE)) || fail "out of time (--timeout-minutes $PART_MIN)"
}

# Sleeps S seconds in the background (a signal to the part is handled at once).
pause() {
  sleep "$1" &
  STARTED+=("$!")
  await "$!"
}

# Pids this part started (load generators, simulators, the sampler), stopped on exit.
STARTED=()

# Signals PID's descendants, then PID (only processes this part started, and what they run).
signal_tree() {
  local sig=$1 pid=$2 child
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
    signal_tree "$sig" "$child"
  done
  kill "-$sig" "$pid" 2>/dev/null || true
}

stop_started() {
  local pid deadline
  for pid in "${STARTED[@]+"${STARTED[@]}"}"; do
    kill -0 "$pid" 2>/dev/null && signal_tree TERM "$pid"
  done
  deadline=$((SECONDS + 20))
  for pid in "${STARTED[@]+"${STARTED[@]}"}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.2
    done
    kill -0 "$pid" 2>/dev/null && signal_tree KILL "$pid"
    wait "$pid" 2>/dev/null || true
  done
  STARTED=()
}

part_cleanup() {
  stop_started
  if [[ -n "${CURRENT:-}" ]]; then
    say "$PART_NAME: stopping the cluster in $CURRENT"
    "$CLUSTER" stop --data "$CURRENT" >&2 || true
  fi
}

# A fresh cluster in DATA/NAME (the script's own directory, replaced).
fresh_cluster() {
  DIR="$DATA/$PART_NAME"
  "$CLUSTER" stop --data "$DIR" >/dev/null 2>&1 || true
  rm -rf "${DIR:?}"
  mkdir -p "$DIR"
  CURRENT=$DIR
  : >"$DIR/marks"
  : >"$DIR/watch"
  say "$PART_NAME: a fresh 3-process cluster in $DIR"
  "$CLUSTER" start --data "$DIR" >&2
  # The coordinators' command line for the record (c1's; the others differ in ids and ports).
  tr '\0' ' ' <"/proc/$(cat "$DIR/c1.pid")/cmdline" | sed 's/-cp [^ ]* //' >"$DIR/cmdline"
}

# The sampler, for the whole part: bench/scale.py sample into DIR/samples.jsonl.
start_sampler() {
  python3 "$SCALE_PY" sample --data "$DIR" --out "$DIR/samples.jsonl" --watch-file "$DIR/watch" \
    --max-seconds "$(left)" "$@" &
  SAMPLER=$!
  STARTED+=("$SAMPLER")
}

# Starts CMD in the background, bounded by the time left; its tree's CPU is sampled as NAME.
# Sets BG to its pid.
start_bounded() {
  local name=$1
  shift
  # OAG_JAVA_OPTS is the coordinators' (see above): the load keeps bin/oag's defaults.
  env -u OAG_JAVA_OPTS timeout --signal=TERM --kill-after=30 "$(left)" "$@" &
  BG=$!
  STARTED+=("$BG")
  echo "$name $BG" >>"$DIR/watch"
}

# Waits (LIMIT seconds at most, while PID runs) for FILE to have a line matching REGEX.
await_line() {
  local file=$1 regex=$2 pid=$3 limit=$4 until=$((SECONDS + $4))
  while ! grep -qE "$regex" "$file" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || return 1
    ((SECONDS < until && SECONDS < DEADLINE)) || return 1
    sleep 1
  done
}

# Writes the part's section (its figures in SUMMARY, then HOW) to RESULTS and prints where.
write_results() {
  local how=$1 section="$DIR/section.md" minutes=$(((SECONDS - PART_START + 30) / 60))
  {
    echo "<!-- scale.sh $PART_NAME: begin -->"
    echo "## Scale: $TITLE"
    echo
    echo "Written by \`bench/scale.sh $PART_NAME\` at the end of its run; not edited by hand." \
      "Run $(date -u '+%Y-%m-%d %H:%M') UTC, $minutes min."
    echo
    echo '```'
    cat "$DIR/summary.txt"
    echo '```'
    echo
    echo "- Command: \`$ORIGINAL\`; oag: $(results_version)"
    echo "- $how"
    echo "- Machine: $(results_machine); the coordinators, the load and the sampler all on it, on loopback, data on one disk."
    echo "- Coordinators (c1; the others differ in ids and ports): \`$(cut -c1-400 "$DIR/cmdline" | sed 's/ *$//')\`"
    echo "<!-- scale.sh $PART_NAME: end -->"
  } >"$section"
  results_write_section "$RESULTS" "scale.sh $PART_NAME" "$section"
  say "$PART_NAME: wrote its section of $RESULTS"
}

# Runs part NAME (a function) in a subshell with M minutes; returns its exit status.
run_part() {
  local name=$1 minutes=$2 rc=0
  say "$name: starting (at most $minutes min)"
  (
    PART_NAME=$name PART_MIN=$minutes PART_START=$SECONDS DEADLINE=$((SECONDS + minutes * 60))
    CURRENT=""
    trap part_cleanup EXIT
    trap 'exit 143' TERM
    "part_$name"
  ) &
  PART_PID=$!
  wait "$PART_PID" || rc=$?
  PART_PID=""
  ((rc == 0)) && say "$name: done" || say "$name: FAILED (exit $rc); nothing written for it"
  return "$rc"
}

# Marks "ramp" once every simulated agent of the simulator SIM has a session, and says so as
# part NAME; a simulator that ends first, or the part's time running out, marks nothing.
await_ramp() {  # NAME SIM
  if await_line "$DIR/agents.log" "agents have a session after" "$2" "$(left)"; then
    mark ramp
    say "$1: $(grep -m1 -o "all .* agents have a session after .*" "$DIR/agents.log")"
  fi
}

# ---------------------------------------------------------------------------------------------
# The parts.

part_agents() {
  TITLE="$COUNT simulated agents, a heartbeat every $INTERVAL, on one leader"
  fresh_cluster
  start_sampler
  say "agents: $COUNT simulated agents, a heartbeat every $INTERVAL each, for $DURATION"
  mark sim-start
  start_bounded sim "$OAG" bench agents -a "$ADDRESSES" --count "$COUNT" --interval "$INTERVAL" \
    --duration "${DURATION_S}s" --keep -o json >"$DIR/agents.json" 2>"$DIR/agents.log"
  local sim=$BG
  await_ramp agents "$sim"
  await "$sim"
  mark sim-end
  # 1: a false DOWN or an agent without a session, reported; anything else is no report.
  if [[ $RC -ne 0 && $RC -ne 1 ]] || ! python3 -c 'import json, sys; json.load(open(sys.argv[1]))' \
      "$DIR/agents.json" 2>/dev/null; then
    tail -n 20 "$DIR/agents.log" >&2
    fail "oag bench agents failed (exit $RC; 124: out of time); logs in $DIR"
  fi
  stop_started
  python3 "$SCALE_PY" summary agents --dir "$DIR" >"$DIR/summary.txt"
  cat "$DIR/summary.txt"
  write_results "Method: \`oag bench agents --count $COUNT --interval $INTERVAL --duration ${DURATION_S}s --keep\` (one JVM, --connect leader) against a fresh 3-process cluster without real agents; bench/scale.py sampled /proc once a second (the leader's utime+stime as cores, every coordinator's VmRSS, the simulator's CPU, the machine's busy CPU less all of those as foreign load) and every 10 s the leader's /metrics (heap used, oag_lease_ack_delay). Leader CPU counts the one-second intervals from the moment every agent had a session to the end of the measured phase. Heartbeat ack, send lateness and the DOWN verdicts are the simulator's report (bench/README.md, \`oag bench agents\`)."
}

part_placements() {
  TITLE="committed placements with $AGENTS simulated agents"
  fresh_cluster
  start_sampler
  # The queue first: every task is submitted while no node exists, so the placer's rate is
  # measured on its own, not bounded by how fast the clients can submit (one log entry each).
  say "placements: submitting $TASKS tasks with no agent yet"
  mark submit-start
  start_bounded submit "$OAG" bench submit -a "$ADDRESSES" --start --writes "$TASKS" \
    --clients "$CLIENTS" --warmup 0 --payload 0 --duration "${SUBMIT_LIMIT}s" --place-timeout "$PLACE_TIMEOUT" \
    -o json >"$DIR/submit.json" 2>"$DIR/submit.log"
  local submit=$BG
  await_line "$DIR/submit.log" "waiting .* for the tasks to be placed" "$submit" "$(left)" || {
    tail -n 20 "$DIR/submit.log" >&2
    fail "oag bench submit ended before its tasks were queued; logs in $DIR"
  }
  mark sim-start
  say "placements: tasks queued; $AGENTS simulated agents join"
  # Runs until this part stops it, whatever the placing takes; --keep: no retirement at the end.
  start_bounded sim "$OAG" bench agents -a "$ADDRESSES" --count "$AGENTS" --tasks-per-agent 0 \
    --duration "$(($(left) + 60))s" --keep -o json >"$DIR/agents.json" 2>"$DIR/agents.log"
  await_ramp placements "$BG"
  await "$submit"
  mark submit-end
  if [[ $RC -ne 0 ]]; then
    tail -n 20 "$DIR/submit.log" >&2
    fail "oag bench submit failed (exit $RC; 124: out of time; 1: not every task placed); logs in $DIR"
  fi
  stop_started
  python3 "$SCALE_PY" summary placements --dir "$DIR" --agents "$AGENTS" --asked "$TASKS" >"$DIR/summary.txt"
  cat "$DIR/summary.txt"
  write_results "Method: on a fresh 3-process cluster, \`oag bench submit --start --writes $TASKS --clients $CLIENTS --warmup 0 --payload 0\` submits every task (\`true\`, 1 millicore and 1 MiB, never restarted) while no node exists, so all of them wait in the queue; then \`oag bench agents --count $AGENTS --tasks-per-agent 0 --keep\` (leader's heartbeat interval; a simulated agent reports every allocation RUNNING at once and never ends it) registers the fleet and the placer drains the queue. Committed placements/s = tasks / (last - first task.scheduled), in the replicated time the leader stamps into the log; the end-to-end rate (first task.submitted to last task.scheduled) is the clients' submit rate here, as bench/placement-e2e.sh measures it with placing concurrent. CPU and RSS: bench/scale.py's /proc samples from the agents' start to the last placement."
}

part_footprint() {
  TITLE="coordinator footprint at $TASKS tasks, and follower restarts"
  fresh_cluster
  start_sampler --metrics-every 5
  say "footprint: creating $TASKS tasks"
  mark create-start
  start_bounded submit "$OAG" bench submit -a "$ADDRESSES" --writes "$TASKS" --clients "$CLIENTS" \
    --warmup 0 --duration "$(left)s" -o json >"$DIR/create.json" 2>"$DIR/create.log"
  await "$BG"
  mark create-end
  if [[ $RC -ne 0 ]]; then
    tail -n 20 "$DIR/create.log" >&2
    fail "oag bench submit failed (exit $RC; 124: out of time); logs in $DIR"
  fi
  say "footprint: settling ${SETTLE_S} s, then measuring ${MEASURE_S} s"
  pause "$SETTLE_S"
  mark measure-start
  pause "$MEASURE_S"
  mark measure-end
  : >"$DIR/restarts.jsonl"
  local r victim="" leader pid node k cmdline gone
  for ((r = 1; r <= RESTARTS; r++)); do
    leader=$(python3 "$SCALE_PY" leader --data "$DIR") || fail "restart $r: no leader"
    # A follower, not the one restarted last when there is another.
    node=""
    for k in 1 2 3; do
      [[ c$k == "$leader" ]] && continue
      [[ -z "$node" || "$node" == "$victim" ]] && node=c$k
    done
    victim=$node
    pid=$(cat "$DIR/$node.pid")
    cmdline=" $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) "
    [[ "$cmdline" == *" coordinator "* && "$cmdline" == *" --id $node "* && "$cmdline" == *" --data $DIR/$node "* ]] \
      || fail "restart $r: pid $pid is not $node of $DIR; nothing killed"
    say "footprint: restart $r of $RESTARTS: SIGKILL to follower $node (pid $pid), then deploy/local-cluster.sh start"
    mark "kill-$r"
    kill -KILL "$pid"
    gone=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null; do
      ((SECONDS < gone)) || fail "restart $r: $node (pid $pid) still there 30 s after SIGKILL"
      sleep 0.05
    done
    "$CLUSTER" start --data "$DIR" >>"$DIR/restart.log" 2>&1 &
    local starter=$!
    STARTED+=("$starter")
    python3 "$SCALE_PY" restart --data "$DIR" --node "$node" --old-pid "$pid" \
      --timeout "$(( $(left) < 300 ? $(left) : 300 ))" >>"$DIR/restarts.jsonl" \
      || fail "restart $r: $node did not come back (see $DIR/$node.log, $DIR/restart.log)"
    await "$starter"
    ((RC == 0)) || fail "restart $r: deploy/local-cluster.sh start failed (exit $RC); see $DIR/restart.log"
    say "footprint: $(tail -n 1 "$DIR/restarts.jsonl")"
  done
  pause 3
  mark end
  stop_started
  python3 "$SCALE_PY" summary footprint --dir "$DIR" >"$DIR/summary.txt"
  cat "$DIR/summary.txt"
  write_results "Method: \`oag bench submit --writes $TASKS --clients $CLIENTS --warmup 0\` (\`create\`: tasks stored in CREATED, never scheduled, each with a 256-byte label, and a dedupe entry per write) on a fresh 3-process cluster without agents; after ${SETTLE_S} s each coordinator's VmRSS (max over ${MEASURE_S} s of /proc samples) and heap used (jvm_memory_used_bytes, area heap, from /metrics). Then $RESTARTS times: SIGKILL to a follower (a different one each time), \`deploy/local-cluster.sh start\`, and, from the new process's start time in /proc, the first GET /readyz answering 200 (serving: the node knows a leader; its API is bound before its HTTP) and its applied index (/v1/cluster) reaching the leader's (caught up); polled every 50 ms."
}

# ---------------------------------------------------------------------------------------------

PART_PID=""
on_signal() {
  say "interrupted: stopping what was started"
  if [[ -n "$PART_PID" ]]; then
    kill -TERM "$PART_PID" 2>/dev/null || true
    wait "$PART_PID" 2>/dev/null || true
  fi
  exit 130
}
trap on_signal INT TERM

case "$PART" in
  all) parts=(agents placements footprint) ;;
  *) parts=("$PART") ;;
esac
status=0
for p in "${parts[@]}"; do
  case "$p" in
    agents) minutes=${TIMEOUT_MIN:-$((DURATION_S / 60 + 20))} ;;
    *) minutes=${TIMEOUT_MIN:-40} ;;
  esac
  run_part "$p" "$minutes" || status=1
done
if [[ $status -eq 0 && -n "$OWN_TMP" ]]; then
  rm -rf "${OWN_TMP:?}"
elif [[ $status -ne 0 ]]; then
  say "logs and samples kept in $DATA"
fi
exit "$status"
