#!/usr/bin/env bash
# A local multi-process etcd cluster, one process per member, to run the benchmarks against
# (oag bench submit|failover --target etcd) beside deploy/local-cluster.sh's coordinators.
#
#   bench/etcd-cluster.sh start  [--members N] [--data DIR]
#   bench/etcd-cluster.sh stop   [--data DIR]
#   bench/etcd-cluster.sh status [--members N] [--data DIR]
#
# Member eK listens for clients on 127.0.0.1:(23790+K) and for peers on 127.0.0.1:(23800+K)
# (e1: 23791/23801), keeps its data in DIR/eK, its pid in DIR/eK.pid and its output in
# DIR/eK.log. Defaults: N=3, DIR=./.oag-data/etcd. Members run with etcd's shipped defaults
# (fsync on every commit, 100 ms heartbeat, 1000 ms election timeout); ETCD_ARGS adds
# options to every member it starts (e.g. "--snapshot-count 10000").
# `start` starts only the members that are not running, then waits until every member
# reports healthy (GET /health on its client port). `stop` signals only the processes named
# by the pid files that still run `etcd --name eK --data-dir DIR/eK`: SIGTERM, then SIGKILL
# after a bounded wait.
# Needs etcd 3.4 or later on PATH (Debian: apt-get install etcd-server).
set -euo pipefail

HOST=127.0.0.1
# shellcheck source=../deploy/members.sh
. "$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)/deploy/members.sh"
START_TIMEOUT_S=${OAG_START_TIMEOUT_S:-60}
STOP_TIMEOUT_S=${OAG_STOP_TIMEOUT_S:-30}
# etcd reads ETCD_* variables as its own flags and warns about unknown ones: keep ours out.
EXTRA_ARGS=${ETCD_ARGS:-}
unset ETCD_ARGS

usage() {
  echo "usage: $0 start|stop|status [--members N] [--data DIR]" >&2
  exit 2
}

[[ $# -ge 1 ]] || usage
action=$1
shift
N=3
DATA=./.oag-data/etcd
while [[ $# -gt 0 ]]; do
  case "$1" in
    --members) [[ $# -ge 2 ]] || usage; N=$2; shift 2 ;;
    --members=*) N=${1#*=}; shift ;;
    --data) [[ $# -ge 2 ]] || usage; DATA=$2; shift 2 ;;
    --data=*) DATA=${1#*=}; shift ;;
    *) usage ;;
  esac
done
[[ "$N" =~ ^[1-9]$ ]] || { echo "$0: --members must be 1 to 9, was '$N'" >&2; exit 2; }
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"

client_port() { echo $((23790 + $1)); }
peer_port() { echo $((23800 + $1)); }

etcd_bin() {
  if command -v etcd >/dev/null 2>&1; then
    command -v etcd
  elif [[ -x /usr/bin/etcd ]]; then
    echo /usr/bin/etcd
  else
    echo "$0: etcd is not installed (not on PATH, no /usr/bin/etcd);" \
      "on Debian or Ubuntu: apt-get install etcd-server" >&2
    exit 1
  fi
}

initial_cluster() {
  local k out=""
  for ((k = 1; k <= N; k++)); do
    out+="${out:+,}e$k=http://$HOST:$(peer_port "$k")"
  done
  echo "$out"
}

endpoints() {
  local k out=""
  for ((k = 1; k <= N; k++)); do
    out+="${out:+,}$HOST:$(client_port "$k")"
  done
  echo "$out"
}

# Is PID still etcd member ID of this DATA (and not a recycled pid)?
is_ours() {
  local pid=$1 id=$2 exe cmdline
  [[ -n "$pid" && -r /proc/$pid/cmdline ]] || return 1
  exe=$(tr '\0' '\n' < "/proc/$pid/cmdline" | head -n 1)
  cmdline=" $(tr '\0' ' ' < "/proc/$pid/cmdline") "
  [[ "$(basename -- "$exe")" == etcd && "$cmdline" == *" --name $id "* \
     && "$cmdline" == *" --data-dir $DATA/$id "* ]]
}

# Does the member on client port PORT answer GET /health with "health":"true" (it has a
# leader and can serve a quorum read)? Plain bash, so curl is not needed.
healthy() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" &&
    printf "GET /health HTTP/1.0\r\nHost: %s:%s\r\n\r\n" "$0" "$1" >&3 &&
    grep -q "\"health\":\"true\"" <&3' "$HOST" "$1" 2>/dev/null
}

client_healthy() {
  healthy "$(client_port "$1")"
}

start() {
  local etcd k id pid state
  etcd=$(etcd_bin)
  for ((k = 1; k <= N; k++)); do
    id=e$k
    pid=$(pid_of "$id")
    if is_ours "$pid" "$id"; then
      echo "$id: already running (pid $pid)"
      continue
    fi
    refuse_busy_ports "$id" "$(client_port "$k")" "$(peer_port "$k")"
    state=new
    [[ -d "$DATA/$id/member" ]] && state=existing
    # shellcheck disable=SC2086 # EXTRA_ARGS is a word list on purpose
    nohup "$etcd" --name "$id" --data-dir "$DATA/$id" \
      --listen-client-urls "http://$HOST:$(client_port "$k")" \
      --advertise-client-urls "http://$HOST:$(client_port "$k")" \
      --listen-peer-urls "http://$HOST:$(peer_port "$k")" \
      --initial-advertise-peer-urls "http://$HOST:$(peer_port "$k")" \
      --initial-cluster "$(initial_cluster)" --initial-cluster-state "$state" \
      --initial-cluster-token oag-bench $EXTRA_ARGS >>"$DATA/$id.log" 2>&1 </dev/null &
    echo $! >"$DATA/$id.pid"
    echo "$id: started (pid $!, client $HOST:$(client_port "$k"), log $DATA/$id.log)"
  done
  await_members e client_healthy healthy
  echo "cluster up: oag bench submit --target etcd --endpoints $(endpoints) ..."
}

stop() {
  stop_members e
}

status() {
  local k id pid
  for ((k = 1; k <= N; k++)); do
    id=e$k
    pid=$(pid_of "$id")
    if ! is_ours "$pid" "$id"; then
      echo "$id: down"
    elif healthy "$(client_port "$k")"; then
      echo "$id: up   (pid $pid, client $HOST:$(client_port "$k"), healthy)"
    else
      echo "$id: up   (pid $pid, client $HOST:$(client_port "$k"), not healthy)"
    fi
  done
}

case "$action" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
