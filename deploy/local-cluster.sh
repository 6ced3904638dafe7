#!/usr/bin/env bash
# A local multi-process coordinator cluster, one JVM per coordinator, for trying things out
# and for integration tests.
#
#   deploy/local-cluster.sh start  [--coordinators N] [--agents M] [--data DIR]
#   deploy/local-cluster.sh stop   [--data DIR]
#   deploy/local-cluster.sh status [--coordinators N] [--agents M] [--data DIR]
#
# Coordinator cK listens on API 7069+K, Raft 7079+K and HTTP 8079+K (c1: 7070/7080/8080),
# keeps its state in DIR/cK, its pid in DIR/cK.pid and its output in DIR/cK.log.
# Agent aK (node id aK) keeps its allocations in DIR/aK, its pid in DIR/aK.pid and its
# output in DIR/aK.log; it dials every coordinator and needs no port of its own. Agents
# started here stop their tasks when they are stopped (--stop-tasks-on-exit), so `stop`
# leaves nothing running.
# Defaults: N=3, M=0, DIR=./.oag-data/local. `stop` signals only the processes named by the
# pid files that still run `oag agent --node-id aK` or `oag coordinator --id cK` on this
# DIR: agents first, then coordinators; SIGTERM (a leader hands over leadership and closes),
# then SIGKILL after a bounded wait.
# OAG_COORDINATOR_ARGS adds options to every `oag coordinator` it starts
# (e.g. "--election-timeout 300-600"); OAG_AGENT_ARGS does the same for `oag agent`.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
OAG="$ROOT/bin/oag"
# shellcheck source=members.sh
. "$ROOT/deploy/members.sh"
HOST=127.0.0.1
START_TIMEOUT_S=${OAG_START_TIMEOUT_S:-60}
STOP_TIMEOUT_S=${OAG_STOP_TIMEOUT_S:-30}

usage() {
  echo "usage: $0 start|stop|status [--coordinators N] [--agents M] [--data DIR]" >&2
  exit 2
}

[[ $# -ge 1 ]] || usage
action=$1
shift
N=3
M=0
DATA=./.oag-data/local
while [[ $# -gt 0 ]]; do
  case "$1" in
    --coordinators) [[ $# -ge 2 ]] || usage; N=$2; shift 2 ;;
    --coordinators=*) N=${1#*=}; shift ;;
    --agents) [[ $# -ge 2 ]] || usage; M=$2; shift 2 ;;
    --agents=*) M=${1#*=}; shift ;;
    --data) [[ $# -ge 2 ]] || usage; DATA=$2; shift 2 ;;
    --data=*) DATA=${1#*=}; shift ;;
    *) usage ;;
  esac
done
[[ "$N" =~ ^[1-9]$ ]] || { echo "$0: --coordinators must be 1 to 9, was '$N'" >&2; exit 2; }
[[ "$M" =~ ^[0-9]$ ]] || { echo "$0: --agents must be 0 to 9, was '$M'" >&2; exit 2; }
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

# Is PID still the coordinator or agent ID of this DATA (and not a recycled pid)?
is_ours() {
  local pid=$1 id=$2 cmdline
  [[ -n "$pid" && -r /proc/$pid/cmdline ]] || return 1
  cmdline=" $(tr '\0' ' ' < "/proc/$pid/cmdline") "
  case "$id" in
    a*) [[ "$cmdline" == *" agent "* && "$cmdline" == *" --node-id $id "* \
          && "$cmdline" == *" --data $DATA/$id "* ]] ;;
    *) [[ "$cmdline" == *" coordinator "* && "$cmdline" == *" --id $id "* \
          && "$cmdline" == *" --data $DATA/$id "* ]] ;;
  esac
}

# Has agent aK opened its session with the leader since it was started (its log says so)?
agent_connected() {
  local from
  from=$(cat "$DATA/a$1.logstart" 2>/dev/null || echo 0)
  tail -c +"$((from + 1))" "$DATA/a$1.log" 2>/dev/null | grep -q "event=link_established"
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
  start_agents
  echo "cluster up: export OAG_ADDR=$(addresses)"
}

start_agents() {
  local k id pid
  for ((k = 1; k <= M; k++)); do
    id=a$k
    pid=$(pid_of "$id")
    if is_ours "$pid" "$id"; then
      echo "$id: already running (pid $pid)"
      continue
    fi
    mkdir -p "$DATA/$id"
    stat -c %s "$DATA/$id.log" >"$DATA/$id.logstart" 2>/dev/null || echo 0 >"$DATA/$id.logstart"
    nohup "$OAG" agent --coordinators "$(addresses)" --node-id "$id" --data "$DATA/$id" \
      --stop-tasks-on-exit ${OAG_AGENT_ARGS:-} >>"$DATA/$id.log" 2>&1 </dev/null &
    echo $! >"$DATA/$id.pid"
    echo "$id: started (pid $!, log $DATA/$id.log)"
  done
  ((M == 0)) || N=$M await_members a agent_connected connected
}

stop() {
  stop_members a
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
  for ((k = 1; k <= M; k++)); do
    id=a$k
    pid=$(pid_of "$id")
    if is_ours "$pid" "$id"; then
      echo "$id: up   (pid $pid)"
    else
      echo "$id: down"
    fi
  done
  "$OAG" cluster status --address "$(addresses)" --timeout 5 || true
  ((M == 0)) || "$OAG" node list --address "$(addresses)" --timeout 5 || true
}

case "$action" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
