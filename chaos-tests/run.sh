#!/usr/bin/env bash
# Longer chaos runs than CI's: builds the distribution and the harness (tests skipped), then
# runs one scenario once on a fresh cluster and prints its report.
#
#   chaos-tests/run.sh [--seed N] [--duration SECONDS] [--work DIR]     # leader-faults
#   chaos-tests/run.sh --scenario agent-faults --kills 10 [--partitions N] [--leader-kills N] [--loopback]
#
# leader-faults: a random seed (printed), 300 s of faults. agent-faults: 3 coordinators and 3
# agents, N rounds each of agent kill -9 and SIGSTOP (and N partitions where namespaces exist);
# prints median/max time to the agent's tasks RUNNING elsewhere, per fault and fencing mode, and
# the overlapping exclusive intervals. Work dir: chaos-tests/target/chaos/run-SCENARIO-SEED-TIME.
# Partitions need root (network namespaces and iptables); elsewhere they are skipped, with a
# message. Exit code: 0 every check passed, 1 a check failed (or the build did), 2 bad
# arguments, 3 the run failed before its checks. At most 1800 s of faults, 100 rounds a kind.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
if ! ./mvnw -B -ntp -q -DskipTests -pl chaos-tests -am package >&2; then
  echo "run.sh: build failed; run ./mvnw -B -ntp -pl chaos-tests -am package to see why" >&2
  exit 1
fi
exec java -Xmx768m -cp "$ROOT/chaos-tests/target/classes:$ROOT/chaos-tests/target/lib/*" \
  org.openautoglm.oag.chaos.scenario.ChaosMain "$@"
