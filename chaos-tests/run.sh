#!/usr/bin/env bash
# Chaos runs longer than CI's (`oag chaos run ...` comes here): builds the distribution and the
# harness (tests skipped), then runs one scenario, or all of them in turn, each on a fresh
# cluster, and prints each report and a summary table.
#
#   chaos-tests/run.sh [run] [--scenario leader-faults|agent-faults|all] [--duration 10m] [--seed N] [--work DIR] [--loopback]
#   chaos-tests/run.sh --scenario agent-faults --kills 10 [--partitions N] [--leader-kills N]
#
# all (the default) splits --duration between the scenarios. leader-faults: 3 coordinators,
# clients submitting, pausing, resuming, stopping and reading tasks while the nemesis kills,
# pauses and cuts off leaders; checks acknowledged submits, request ids, recovery and replica
# digests; 300 s without --duration. agent-faults: 3 coordinators and 3 agents, rounds of agent
# kill -9, SIGSTOP, partition (namespaces only) and kill -9 with a leader kill; prints the time
# to the agent's tasks RUNNING elsewhere and the overlapping exclusive intervals; with
# --duration a cycle of rounds per minute, else --kills N rounds (10). Work dir:
# chaos-tests/target/chaos/run-SCENARIO-SEED-TIME (summary.md, summary.json, a directory per
# scenario). Partitions need root (network namespaces and iptables); elsewhere they are skipped,
# with a message. Exit code: 0 every check passed, 1 a check failed (or the build did), 2 bad
# arguments, 3 the run failed before its checks. At most 30 minutes of faults, 100 rounds a kind.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit 0
fi
if ! ./mvnw -B -ntp -q -DskipTests -pl chaos-tests -am package >&2; then
  echo "run.sh: build failed; run ./mvnw -B -ntp -pl chaos-tests -am package to see why" >&2
  exit 1
fi
exec java -Xmx768m -cp "$ROOT/chaos-tests/target/classes:$ROOT/chaos-tests/target/lib/*" \
  org.openautoglm.oag.chaos.scenario.ChaosMain "$@"
