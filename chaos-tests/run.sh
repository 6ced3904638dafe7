#!/usr/bin/env bash
# Longer chaos runs than CI's: builds the distribution and the harness (tests skipped), then
# runs the leader-faults scenario once on a fresh 3-process cluster and prints its report.
#
#   chaos-tests/run.sh [--seed N] [--duration SECONDS] [--work DIR]
#
# Defaults: a random seed (printed), 300 s of faults, chaos-tests/target/chaos/run-SEED-TIME.
# Partitions need root (network namespaces and iptables); elsewhere they are skipped, with a
# message. Exit code: 0 every check passed, 1 a check failed (or the build did), 2 bad
# arguments, 3 the run failed before its checks. At most 1800 s of faults.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
if ! ./mvnw -B -ntp -q -DskipTests -pl chaos-tests -am package >&2; then
  echo "run.sh: build failed; run ./mvnw -B -ntp -pl chaos-tests -am package to see why" >&2
  exit 1
fi
exec java -Xmx768m -cp "$ROOT/chaos-tests/target/classes:$ROOT/chaos-tests/target/lib/*" \
  org.openautoglm.oag.chaos.scenario.ChaosMain "$@"
