#!/usr/bin/env bash
# What one agent costs its host: a local cluster (3 coordinators, 1 agent) from
# deploy/local-cluster.sh runs TASKS `sleep` tasks on the agent; then, over ROUNDS windows of
# WINDOW seconds, it samples the agent's CPU (utime+stime from /proc, as % of one core), its
# RSS and its keeper's, and the bytes its TCP connections carried each way (the kernel's
# counters from `ss -ti`: gRPC payload and HTTP/2 framing, no TCP/IP headers). Prints and
# writes bench/AGENT-RESULTS.md with the median of the windows.
#
#   bench/agent-footprint.sh [--tasks N] [--rounds R] [--window SECONDS]
#
# Needs the conventional ports 7070-7072/7080-7082/8080-8082 free. Stops everything it
# started (local-cluster.sh stop; the agent stops its tasks) even when interrupted.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
TASKS=50
ROUNDS=3
WINDOW=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tasks) TASKS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --window) WINDOW=$2; shift 2 ;;
    *) echo "usage: $0 [--tasks N] [--rounds R] [--window SECONDS]" >&2; exit 2 ;;
  esac
done
[[ "$TASKS" =~ ^[0-9]+$ && "$ROUNDS" =~ ^[1-9][0-9]*$ && "$WINDOW" =~ ^[1-9][0-9]*$ ]] \
  || { echo "$0: --tasks, --rounds and --window take whole numbers" >&2; exit 2; }

OAG="$ROOT/bin/oag"
DATA=$(mktemp -d /tmp/oag-agent-footprint.XXXXXX)
export OAG_ADDR=127.0.0.1:7070,127.0.0.1:7071,127.0.0.1:7072
cleanup() {
  "$ROOT/deploy/local-cluster.sh" stop --data "$DATA" >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap cleanup EXIT

"$ROOT/deploy/local-cluster.sh" start --agents 1 --data "$DATA"
AGENT=$(cat "$DATA/a1.pid")
for ((i = 1; i <= TASKS; i++)); do
  "$OAG" task submit --name "footprint-$i" -- sleep 3600 >/dev/null
done
deadline=$((SECONDS + 180))
while :; do
  running=$("$OAG" task list --state RUNNING --limit 1000 -o json | { grep -o '"id"' || true; } | wc -l)
  ((running >= TASKS)) && break
  ((SECONDS < deadline)) || { echo "$0: only $running of $TASKS tasks running after 180 s" >&2; exit 1; }
  sleep 1
done
echo "$TASKS tasks running on a1 (agent pid $AGENT); settling 10 s"
sleep 10

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# Sums bytes_acked (sent) and bytes_received over the agent's established TCP sockets.
tcp_bytes() {
  ss -tinpH state established 2>/dev/null | awk -v pid="pid=$1," '
    /users:/ { mine = index($0, pid) > 0; next }
    mine { for (i = 1; i <= NF; i++) {
             if ($i ~ /^bytes_acked:/) { split($i, a, ":"); sent += a[2] }
             if ($i ~ /^bytes_received:/) { split($i, b, ":"); recv += b[2] } }
           mine = 0 }
    END { printf "%d %d\n", sent, recv }'
}

KEEPER=$(awk '{print $1}' "$DATA/a1/keeper.pid" 2>/dev/null || true)
[[ -n "$KEEPER" && -r /proc/$KEEPER/stat ]] || KEEPER=""
cpus=() ; kcpus=() ; rss=() ; up=() ; down=()
for ((r = 1; r <= ROUNDS; r++)); do
  c0=$(cpu_ticks "$AGENT"); k0=$([[ -n "$KEEPER" ]] && cpu_ticks "$KEEPER" || echo 0)
  read -r s0 v0 < <(tcp_bytes "$AGENT"); t0=$(date +%s.%N)
  sleep "$WINDOW"
  c1=$(cpu_ticks "$AGENT"); k1=$([[ -n "$KEEPER" ]] && cpu_ticks "$KEEPER" || echo 0)
  read -r s1 v1 < <(tcp_bytes "$AGENT"); t1=$(date +%s.%N)
  secs=$(echo "$t1 - $t0" | bc -l)
  cpus+=("$(echo "scale=2; 100 * ($c1 - $c0) / $ticks / $secs" | bc -l)")
  kcpus+=("$(echo "scale=2; 100 * ($k1 - $k0) / $ticks / $secs" | bc -l)")
  up+=("$(echo "scale=0; ($s1 - $s0) / $secs" | bc -l)")
  down+=("$(echo "scale=0; ($v1 - $v0) / $secs" | bc -l)")
  rss+=("$(( $(rss_kib "$AGENT") / 1024 ))")
  echo "window $r: agent cpu ${cpus[-1]}% of a core (keeper ${kcpus[-1]}%), rss ${rss[-1]} MiB, sent ${up[-1]} B/s, received ${down[-1]} B/s"
done
keeper_rss="-"
if [[ -n "$KEEPER" && -r /proc/$KEEPER/status ]]; then
  keeper_rss="$(( $(rss_kib "$KEEPER") / 1024 )) MiB"
fi
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

report=$(cat <<TXT
agent footprint: $TASKS running tasks, median of $ROUNDS windows of $WINDOW s
agent CPU             $(median "${cpus[@]}") % of one core   (windows: ${cpus[*]})
agent RSS             $(median "${rss[@]}") MiB              (windows: ${rss[*]})
keeper CPU, RSS       $(median "${kcpus[@]}") % of one core, $keeper_rss (it guards the tasks' leases: they are exclusive, the default)
session bytes/s       sent $(median "${up[@]}"), received $(median "${down[@]}")   (heartbeat every 500 ms)
TXT
)
echo "$report"
{
  echo "# Agent footprint"
  echo
  echo "Written by \`bench/agent-footprint.sh\` at the end of its run; not edited by hand. Run $(date -u '+%Y-%m-%d %H:%M') UTC."
  echo
  echo '```'
  echo "$report"
  echo '```'
  echo
  echo "## Machine"
  echo
  echo "- CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores"
  echo "- Agent JVM: $(tr '\0' ' ' < "/proc/$AGENT/cmdline" | sed 's/-cp [^ ]* //' | cut -c1-200)"
  echo "- The 3 coordinators and the agent on this one machine, on loopback"
} > "$ROOT/bench/AGENT-RESULTS.md"
