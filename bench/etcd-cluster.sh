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

pid_of() {
  local f="$DATA/$1.pid"
  [[ -f "$f" ]] && cat "$f" || true
}

listening() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# Does the member on client port PORT answer GET /health with "health":"true" (it has a
# leader and can serve a quorum read)? Plain bash, so curl is not needed.
healthy() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" &&
    printf "GET /health HTTP/1.0\r\nHost: %s:%s\r\n\r\n" "$0" "$1" >&3 &&
    grep -q "\"health\":\"true\"" <&3' "$HOST" "$1" 2>/dev/null
}

start() {
  local etcd k id pid port state
  etcd=$(etcd_bin)
  for ((k = 1; k <= N; k++)); do
    id=e$k
    pid=$(pid_of "$id")
    if is_ours "$pid" "$id"; then
      echo "$id: already running (pid $pid)"
      continue
    fi
    for port in $(client_port "$k") $(peer_port "$k"); do
      if listening "$port"; then
        echo "$0: port $port (for $id) is already in use by another process" >&2
        exit 1
      fi
    done
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
  local deadline=$((SECONDS + START_TIMEOUT_S)) waiting
  while :; do
    waiting=""
    for ((k = 1; k <= N; k++)); do
      id=e$k
      # nohup not yet exec'd into etcd still counts as starting: alive is enough here.
      if ! kill -0 "$(pid_of "$id")" 2>/dev/null; then
        echo "$0: $id exited during start; last lines of $DATA/$id.log:" >&2
        tail -n 20 "$DATA/$id.log" >&2 || true
        echo "$0: run '$0 stop --data $DATA' to stop the others" >&2
        exit 1
      fi
      healthy "$(client_port "$k")" || waiting+=" $id"
    done
    [[ -z "$waiting" ]] && break
    if ((SECONDS >= deadline)); then
      echo "$0: not healthy after ${START_TIMEOUT_S}s:$waiting (see $DATA/*.log)" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "cluster up: oag bench submit --target etcd --endpoints $(endpoints) ..."
}

stop() {
  local f id pid pids=()
  shopt -s nullglob
  for f in "$DATA"/e*.pid; do
    id=$(basename "$f" .pid)
    pid=$(cat "$f")
    if is_ours "$pid" "$id"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid:$id")
      echo "$id: SIGTERM sent (pid $pid)"
    else
      echo "$id: not running"
      rm -f "$f"
    fi
  done
  local deadline=$((SECONDS + STOP_TIMEOUT_S)) left entry
  while :; do
    left=()
    for entry in "${pids[@]+"${pids[@]}"}"; do
      is_ours "${entry%%:*}" "${entry#*:}" && left+=("$entry")
    done
    ((${#left[@]} == 0)) && break
    if ((SECONDS >= deadline)); then
      for entry in "${left[@]}"; do
        echo "${entry#*:}: still running after ${STOP_TIMEOUT_S}s, SIGKILL (pid ${entry%%:*})"
        kill -KILL "${entry%%:*}" 2>/dev/null || true
      done
      break
    fi
    sleep 0.2
  done
  for entry in "${pids[@]+"${pids[@]}"}"; do
    rm -f "$DATA/${entry#*:}.pid"
  done
  echo "stopped"
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
