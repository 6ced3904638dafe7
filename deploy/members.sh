# Shared by deploy/local-cluster.sh and bench/etcd-cluster.sh (sourced, not run): the
# members of a local cluster as processes with pid files, started in the background and
# stopped only after checking each pid still runs that member.
#
# The sourcing script sets HOST, DATA, N, START_TIMEOUT_S and STOP_TIMEOUT_S and defines
#   is_ours PID ID   true when PID is still member ID of this DATA (not a recycled pid)
# Member ids are PREFIX1..PREFIXN; member ID keeps its pid in DATA/ID.pid and its output in
# DATA/ID.log.

pid_of() {
  local f="$DATA/$1.pid"
  [[ -f "$f" ]] && cat "$f" || true
}

listening() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# Exits when any of the PORTs of member ID is taken by another process.
refuse_busy_ports() {
  local id=$1 port
  shift
  for port in "$@"; do
    if listening "$port"; then
      echo "$0: port $port (for $id) is already in use by another process" >&2
      exit 1
    fi
  done
}

# Waits (START_TIMEOUT_S at most) until READY K succeeds for every member PREFIXK, K=1..N;
# exits when a member's process is gone or time runs out. WHAT names READY in messages.
await_members() {
  local prefix=$1 ready=$2 what=$3 k id waiting
  local deadline=$((SECONDS + START_TIMEOUT_S))
  while :; do
    waiting=""
    for ((k = 1; k <= N; k++)); do
      id=$prefix$k
      # A launcher not yet exec'd still looks like its parent: alive counts as starting.
      if ! kill -0 "$(pid_of "$id")" 2>/dev/null; then
        echo "$0: $id exited during start; last lines of $DATA/$id.log:" >&2
        tail -n 20 "$DATA/$id.log" >&2 || true
        echo "$0: run '$0 stop --data $DATA' to stop the others" >&2
        exit 1
      fi
      "$ready" "$k" || waiting+=" $id"
    done
    [[ -z "$waiting" ]] && return 0
    if ((SECONDS >= deadline)); then
      echo "$0: not $what after ${START_TIMEOUT_S}s:$waiting (see $DATA/*.log)" >&2
      exit 1
    fi
    sleep 0.5
  done
}

# Stops every member PREFIX* with a pid file that is_ours confirms: SIGTERM, then SIGKILL
# after STOP_TIMEOUT_S. Pid files of members not running are removed.
stop_members() {
  local prefix=$1 f id pid pids=()
  shopt -s nullglob
  for f in "$DATA"/"$prefix"*.pid; do
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
