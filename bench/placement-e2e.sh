#!/usr/bin/env bash
# End-to-end committed placements per second through a real 3-process cluster with 3 agents,
# median of several runs, written into bench/SCHEDULER-RESULTS.md.
#
#   bench/placement-e2e.sh [--tasks N] [--runs R] [--clients C] [--data DIR]
#                          [--results FILE] [--timeout-minutes M]
#
# Each run starts a fresh cluster (deploy/local-cluster.sh start --agents 3) in DIR/run-K,
# its agents offering far more than the tasks ask for (OAG_AGENT_ARGS, default "--cpu 64
# --memory 256Gi"), and runs `oag bench submit --start --writes N` with C clients (closed
# loop, no warm-up, no payload) twice: N tasks that run `true` once (1 millicore, 1 MiB,
# never restarted) are submitted as fast as the clients can, and the bench waits until each
# was placed. The first batch ("fresh") meets JVMs that have just started; the second
# ("warm") starts once the first was placed. From the replicated event times of each batch
# (the leader's clock, stamped into the log):
#
#   placements/s = N / (last task.scheduled - first task.submitted)
#   submitted/s  = N / (last task.submitted - first task.submitted)
#
# and the clients' own acknowledged submits per second. Then the cluster is stopped (agents
# first, which stop their tasks) and the next run starts from nothing. The machine's busy CPU
# during a batch, less that of the cluster's processes and of the load generator, is
# foreign load; a run with a batch that saw more than MAX_FOREIGN_CPU cores of it (default
# 0.3) is run again, at most twice, and kept flagged after that. Defaults: N=1000, R=3,
# C=4, DIR a new temporary directory (removed after a successful run; DIR/run-K are the
# script's own and are replaced), FILE bench/SCHEDULER-RESULTS.md, M=30. Prints every batch
# and the medians per batch, and replaces the "End to end" section of FILE (between its markers; the rest
# of FILE is bench/scheduler-bench.sh's).
#
# Only loopback addresses; needs the ports of deploy/local-cluster.sh free. Bounded: every
# run's load and wait have limits of their own, and the whole script stops after M minutes;
# the cluster it started is stopped on any exit, by the pids local-cluster.sh recorded.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
OAG="$ROOT/bin/oag"
CLUSTER="$ROOT/deploy/local-cluster.sh"
# shellcheck source=results-lib.sh
. "$ROOT/bench/results-lib.sh"
ADDRESSES=127.0.0.1:7070,127.0.0.1:7071,127.0.0.1:7072
AGENTS=3
TASKS=1000
RUNS=3
CLIENTS=4
DATA=""
RESULTS="$ROOT/bench/SCHEDULER-RESULTS.md"
TIMEOUT_MIN=30
LOAD_LIMIT=300s      # --duration: submitting N tasks may take this long at most
PLACE_TIMEOUT=120s   # then every task must be placed within this
MAX_FOREIGN_CPU=${MAX_FOREIGN_CPU:-0.3}
RETRIES=2
export OAG_AGENT_ARGS="${OAG_AGENT_ARGS:---cpu 64 --memory 256Gi}"
ORIGINAL="bench/placement-e2e.sh${*:+ $*}"

usage() {
  echo "usage: $0 [--tasks N] [--runs R] [--clients C] [--data DIR] [--results FILE]" \
    "[--timeout-minutes M]" >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --tasks) [[ $# -ge 2 ]] || usage; TASKS=$2; shift 2 ;;
    --runs) [[ $# -ge 2 ]] || usage; RUNS=$2; shift 2 ;;
    --clients) [[ $# -ge 2 ]] || usage; CLIENTS=$2; shift 2 ;;
    --data) [[ $# -ge 2 ]] || usage; DATA=$2; shift 2 ;;
    --results) [[ $# -ge 2 ]] || usage; RESULTS=$2; shift 2 ;;
    --timeout-minutes) [[ $# -ge 2 ]] || usage; TIMEOUT_MIN=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ "$TASKS" =~ ^[1-9][0-9]{0,5}$ ]] || { echo "$0: --tasks must be 1 to 999999" >&2; exit 2; }
[[ "$RUNS" =~ ^[1-9][0-9]?$ ]] || { echo "$0: --runs must be 1 to 99" >&2; exit 2; }
[[ "$CLIENTS" =~ ^[1-9][0-9]{0,2}$ ]] || { echo "$0: --clients must be 1 to 999" >&2; exit 2; }
[[ "$TIMEOUT_MIN" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "$0: --timeout-minutes must be 1 to 9999" >&2; exit 2; }

"$OAG" --version >/dev/null  # builds the distribution when it is missing or stale

OWN_TMP=""
if [[ -z "$DATA" ]]; then
  DATA="$(mktemp -d "${TMPDIR:-/tmp}/oag-placement-e2e.XXXXXX")"
  OWN_TMP=$DATA
fi
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"
DEADLINE=$((SECONDS + TIMEOUT_MIN * 60))

current=""
cleanup() {
  if [[ -n "$current" ]]; then
    echo "placement-e2e: stopping the cluster in $current" >&2
    "$CLUSTER" stop --data "$current" >&2 || true
  fi
}
trap cleanup EXIT

# "BUSY CLUSTER" CPU seconds so far: the machine's (from /proc/stat) and those of the
# processes named by the pid files in DIR (coordinators and agents, with the task processes
# they reaped).
cpu_seconds() {
  python3 - "$1" <<'PY'
import glob, os, sys
hz = os.sysconf("SC_CLK_TCK")
fields = open("/proc/stat").readline().split()[1:]
busy = sum(int(fields[i]) for i in (0, 1, 2, 5, 6, 7))  # user nice system irq softirq steal
cluster = 0
for f in glob.glob(os.path.join(sys.argv[1], "*.pid")):
    try:
        stat = open(f"/proc/{open(f).read().strip()}/stat").read()
        cluster += sum(int(x) for x in stat[stat.rindex(")") + 2:].split()[11:15])
    except (OSError, ValueError):
        pass
print(f"{busy / hz:.2f} {cluster / hz:.2f}")
PY
}

# Sets KIDS to the CPU seconds used by this shell's children that have ended (the load
# generator among them). `times` must run in this shell: a subshell has no children yet.
children_seconds() {
  times >"$DATA/.times"
  KIDS=$(awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, t, "m"); sub("s", "", t[2]);
    s += t[1] * 60 + t[2] } printf "%.2f", s }' "$DATA/.times")
}

# One batch of N tasks on the running cluster in DIR: the bench's JSON in OUT, with
# foreignCpu (cores busy with anything else while it ran) added.
batch() {
  local dir=$1 out=$2 left rc=0 before after
  left=$((DEADLINE - SECONDS))
  ((left > 0)) || { echo "$0: out of time (--timeout-minutes $TIMEOUT_MIN)" >&2; exit 1; }
  children_seconds
  before="$(cpu_seconds "$dir") $KIDS $(date +%s.%N)"
  timeout --signal=TERM --kill-after=30 "$left" \
    "$OAG" bench submit -a "$ADDRESSES" --start --writes "$TASKS" --clients "$CLIENTS" \
      --warmup 0 --payload 0 --duration "$LOAD_LIMIT" --place-timeout "$PLACE_TIMEOUT" \
      -o json >"$out" || rc=$?
  children_seconds
  after="$(cpu_seconds "$dir") $KIDS $(date +%s.%N)"
  if [[ $rc -ne 0 ]]; then
    echo "$0: $out failed (exit $rc; 124: out of time); logs in $dir" >&2
    exit 1
  fi
  python3 - "$out" "$before" "$after" <<'PY'
import json, sys
path = sys.argv[1]
b_busy, b_cluster, b_kids, b_t = map(float, sys.argv[2].split())
a_busy, a_cluster, a_kids, a_t = map(float, sys.argv[3].split())
foreign = (a_busy - b_busy) - (a_cluster - b_cluster) - (a_kids - b_kids)
r = json.load(open(path))
r["foreignCpu"] = round(max(0.0, foreign) / (a_t - b_t), 2)
json.dump(r, open(path, "w"))
PY
}

# Run K in DIR/run-K: a fresh cluster, the fresh batch, then the warm one, the cluster
# stopped. Prints the highest foreign load either batch saw.
run() {
  local k=$1 dir="$DATA/run-$1"
  "$CLUSTER" stop --data "$dir" >/dev/null 2>&1 || true
  rm -rf "${dir:?}" "$DATA/run-$k".*.json
  current=$dir
  echo "placement-e2e: run $k of $RUNS: a fresh cluster with $AGENTS agents in $dir" >&2
  "$CLUSTER" start --agents "$AGENTS" --data "$dir" >&2
  echo "placement-e2e: run $k: $TASKS tasks on the fresh cluster, then $TASKS more" >&2
  batch "$dir" "$DATA/run-$k.fresh.json"
  batch "$dir" "$DATA/run-$k.warm.json"
  "$CLUSTER" stop --data "$dir" >&2
  current=""
}

for ((k = 1; k <= RUNS; k++)); do
  for ((try = 0; ; try++)); do
    run "$k"
    foreign=$(python3 -c "import json, sys; print(max(json.load(open(f))['foreignCpu'] for f in sys.argv[1:]))" \
      "$DATA/run-$k.fresh.json" "$DATA/run-$k.warm.json")
    if awk -v f="$foreign" -v m="$MAX_FOREIGN_CPU" 'BEGIN { exit !(f <= m) }'; then
      break
    elif ((try >= RETRIES)); then
      echo "placement-e2e: run $k saw $foreign cores of foreign load; kept, flagged" >&2
      break
    fi
    echo "placement-e2e: run $k saw $foreign cores of foreign load (> $MAX_FOREIGN_CPU): again" >&2
  done
done

# Every batch of every run, and the medians per batch, from the bench's JSON.
summary="$(python3 - "$DATA" "$RUNS" "$MAX_FOREIGN_CPU" <<'PY'
import json, statistics, sys
data, runs, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
batches = ("fresh", "warm")
rows = {b: [json.load(open(f"{data}/run-{k}.{b}.json")) for k in range(1, runs + 1)] for b in batches}
keys = ("placementsPerSecond", "placementSeconds", "submittedPerSecond", "throughput")
print(f"{'RUN':<7}{'BATCH':<7}{'PLACED':<13}{'PLACEMENTS/S':>13}{'SPAN S':>9}{'SUBMITTED/S':>13}"
      f"{'CLIENT ACKS/S':>15}{'ENTRIES':>9}{'ERRORS':>8}{'FOREIGN':>9}")
for k in range(runs):
    for b in batches:
        r = rows[b][k]
        flag = " !" if r["foreignCpu"] > limit else ""
        print(f"{k + 1:<7}{b:<7}{r['placed']:>5} of {r['tasks']:<5}{r['placementsPerSecond']:>14.1f}"
              f"{r['placementSeconds']:>9.3f}{r['submittedPerSecond']:>13.1f}{r['throughput']:>15.1f}"
              f"{r['placementEntries']:>9}{r['errors']:>8}{r['foreignCpu']:>9.2f}{flag}")
med = {b: {key: statistics.median(r[key] for r in rows[b]) for key in keys} for b in batches}
for b in batches:
    m = med[b]
    print(f"{'median':<7}{b:<20}{m['placementsPerSecond']:>14.1f}{m['placementSeconds']:>9.3f}"
          f"{m['submittedPerSecond']:>13.1f}{m['throughput']:>15.1f}")
n, c = rows["fresh"][0]["tasks"], rows["fresh"][0]["clients"]
print(f"end to end: {n} tasks from {c} clients, median of {runs} runs: "
      f"{med['fresh']['placementsPerSecond']:.1f} committed placements/s on a fresh cluster, "
      f"{med['warm']['placementsPerSecond']:.1f} on the same cluster after its first {n} "
      f"(submitted at {med['fresh']['submittedPerSecond']:.1f} and "
      f"{med['warm']['submittedPerSecond']:.1f}/s)")
PY
)"
echo "$summary"

section="$DATA/section.md"
{
  echo "<!-- placement-e2e.sh: begin -->"
  echo "## End to end: committed placements through the 3-process cluster"
  echo
  echo "Written by \`bench/placement-e2e.sh\` at the end of its run; not edited by hand. Run $(date -u '+%Y-%m-%d %H:%M') UTC."
  echo
  echo '```'
  echo "$summary"
  echo '```'
  echo
  echo "- Command: \`$ORIGINAL\`; oag: $(results_version)"
  echo "- Each run: a fresh \`deploy/local-cluster.sh start --agents $AGENTS\` (3 coordinator JVMs and $AGENTS agent JVMs, agents with \`$OAG_AGENT_ARGS\`), then two batches of \`oag bench submit --start --writes $TASKS --clients $CLIENTS --warmup 0 --payload 0\`, each in a new load generator JVM: *fresh*, the cluster's first tasks, and *warm*, started once every task of the first was placed. Tasks run \`true\` once, 1 millicore and 1 MiB each, never restarted; the agents run them while later ones are placed."
  echo "- PLACEMENTS/S = tasks / SPAN, SPAN = last task.scheduled - first task.submitted; SUBMITTED/S = tasks / (last - first task.submitted): both in the replicated time the leader stamps into the log. CLIENT ACKS/S: acknowledged submits per second as the clients saw them. ENTRIES: the PlaceTasks log entries that placed the batch (tasks / ENTRIES = tasks placed per pass of the placement loop). FOREIGN: cores busy with anything but the cluster and the load generator while the batch ran; a run with a batch over $MAX_FOREIGN_CPU was run again (at most $RETRIES times), and one still over it is kept and marked !."
  echo "- CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores, shared by the cluster, the agents, the tasks and the load generator; $(java -version 2>&1 | head -1)"
  echo "<!-- placement-e2e.sh: end -->"
} >"$section"
results_write_section "$RESULTS" placement-e2e.sh "$section"
echo "placement-e2e: wrote $RESULTS" >&2
if [[ -n "$OWN_TMP" ]]; then
  rm -rf "${OWN_TMP:?}"
fi
