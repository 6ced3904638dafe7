#!/usr/bin/env bash
# A local multi-process coordinator cluster, one JVM per coordinator, for trying things out
# and for integration tests.
#
#   deploy/local-cluster.sh start  [--coordinators N] [--data DIR]
#   deploy/local-cluster.sh stop   [--data DIR]
#   deploy/local-cluster.sh status [--coordinators N] [--data DIR]
#
# Coordinator cK listens on API 7069+K, Raft 7079+K and HTTP 8079+K (c1: 7070/7080/8080),
# keeps its state in DIR/cK, its pid in DIR/cK.pid and its output in DIR/cK.log.
# Defaults: N=3, DIR=./.oag-data/local. `stop` signals only the processes named by the pid
# files that still run `oag coordinator --id cK` on this DIR: SIGTERM (the node hands over
# leadership and closes), then SIGKILL after a bounded wait.
# OAG_COORDINATOR_ARGS adds options to every `oag coordinator` it starts
# (e.g. "--election-timeout 300-600").
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
OAG="$ROOT/bin/oag"
# shellcheck source=members.sh
. "$ROOT/deploy/members.sh"
HOST=127.0.0.1
START_TIMEOUT_S=${OAG_START_TIMEOUT_S:-60}
STOP_TIMEOUT_S=${OAG_STOP_TIMEOUT_S:-30}

usage() {
  echo "usage: $0 start|stop|status [--coordinators N] [--data DIR]" >&2
  exit 2
}

[[ $# -ge 1 ]] || usage
action=$1
shift
N=3
DATA=./.oag-data/local
while [[ $# -gt 0 ]]; do
  case "$1" in
    --coordinators) [[ $# -ge 2 ]] || usage; N=$2; shift 2 ;;
    --coordinators=*) N=${1#*=}; shift ;;
    --data) [[ $# -ge 2 ]] || usage; DATA=$2; shift 2 ;;
    --data=*) DATA=${1#*=}; shift ;;
    *) usage ;;
  esac
done
[[ "$N" =~ ^[1-9]$ ]] || { echo "$0: --coordinators must be 1 to 9, was '$N'" >&2; exit 2; }
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"

api_port() { echo $((7069 + $1)); }
raft_port() { echo $((7079 + $1)); }
http_port() { echo $((8079 + $1)); }

peers() {
  local k out=""
  for ((k = 1; k <= N; k++)); do
    out+="${out:+,}c$k=$HOST:$(raft_port "$k"):$(api_port "$k")"
  done
  echo "$out"
}

addresses() {
  local k out=""
  for ((k = 1; k <= N; k++)); do
    out+="${out:+,}$HOST:$(api_port "$k")"
  done
  echo "$out"
}

# Is PID still the coordinator ID of this DATA (and not a recycled pid)?
is_ours() {
  local pid=$1 id=$2 cmdline
  [[ -n "$pid" && -r /proc/$pid/cmdline ]] || return 1
  cmdline=" $(tr '\0' ' ' < "/proc/$pid/cmdline") "
  [[ "$cmdline" == *" coordinator "* && "$cmdline" == *" --id $id "* \
     && "$cmdline" == *" --data $DATA/$id "* ]]
}

api_listening() {
  listening "$(api_port "$1")"
}

start() {
  # Build once here, not in N launchers at the same time.
  "$OAG" --version >/dev/null
  local k id pid
  for ((k = 1; k <= N; k++)); do
    id=c$k
    pid=$(pid_of "$id")
    if is_ours "$pid" "$id"; then
      echo "$id: already running (pid $pid)"
      continue
    fi
    refuse_busy_ports "$id" "$(api_port "$k")" "$(raft_port "$k")" "$(http_port "$k")"
    nohup "$OAG" coordinator --id "$id" --peers "$(peers)" \
      --api-port "$(api_port "$k")" --http-port "$(http_port "$k")" \
      --data "$DATA/$id" ${OAG_COORDINATOR_ARGS:-} >>"$DATA/$id.log" 2>&1 </dev/null &
    echo $! >"$DATA/$id.pid"
    echo "$id: started (pid $!, api $HOST:$(api_port "$k"), log $DATA/$id.log)"
  done
  await_members c api_listening listening
  echo "cluster up: export OAG_ADDR=$(addresses)"
}

stop() {
  stop_members c
}

status() {
  local k id pid
  for ((k = 1; k <= N; k++)); do
    id=c$k
    pid=$(pid_of "$id")
    if is_ours "$pid" "$id"; then
      echo "$id: up   (pid $pid, api $HOST:$(api_port "$k"))"
    else
      echo "$id: down"
    fi
  done
  "$OAG" cluster status --address "$(addresses)" --timeout 5 || true
}

case "$action" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
