#!/usr/bin/env bash
# JMH: how fast the scheduler places a batch. One pass of 10,000 pending tasks over 1,000
# nodes (SchedulerBenchmark in bench/src/test), 3 forks x 5 measured iterations of 1 s after
# 5 warm-up iterations; prints JMH's table and the placements per second it implies (tasks /
# median time per pass over the forks' iterations), and writes bench/SCHEDULER-RESULTS.md
# (keeping the "End to end" section that bench/placement-e2e.sh writes there).
#
#   bench/scheduler-bench.sh
#
# Builds what it needs with the Maven wrapper; runs on this machine only (no cluster, no
# network). Never part of CI.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
./mvnw -B -ntp -q -pl bench -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$ROOT/bench/target/test-classpath.txt" >/dev/null
CP="$ROOT/bench/target/test-classes:$(cat "$ROOT/bench/target/test-classpath.txt")"
OUT="$ROOT/bench/target/scheduler-jmh.json"
java -cp "$CP" org.openjdk.jmh.Main SchedulerBenchmark -f 3 -wi 5 -i 5 -w 1s -r 1s \
  -rf json -rff "$OUT" | tee "$ROOT/bench/target/scheduler-jmh.txt" | grep -E "^Benchmark +\(|^SchedulerBenchmark"

# Median over every measured iteration of every fork, from JMH's raw data.
read -r median tasks nodes < <(python3 - "$OUT" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))[0]
raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
print(round(statistics.median(raw), 1), r["params"]["tasks"], r["params"]["nodes"])
PY
)
rate=$(awk -v ms="$median" -v t="$tasks" 'BEGIN { printf "%.0f", t / (ms / 1000) }')
RESULTS="$ROOT/bench/SCHEDULER-RESULTS.md"
# The section bench/placement-e2e.sh owns, kept as it is.
end_to_end="$(sed -n '/^<!-- placement-e2e.sh: begin -->$/,/^<!-- placement-e2e.sh: end -->$/p' "$RESULTS" 2>/dev/null || true)"
summary="scheduler: one pass of $tasks tasks over $nodes nodes: median $median ms (3 forks x 5 iterations) = $rate placements/s"
echo "$summary"
{
  echo "# Scheduler throughput"
  echo
  echo "Written by \`bench/scheduler-bench.sh\` at the end of its run; not edited by hand. Run $(date -u '+%Y-%m-%d %H:%M') UTC."
  echo
  echo '```'
  echo "$summary"
  grep -E "^Benchmark +\(|^SchedulerBenchmark" "$ROOT/bench/target/scheduler-jmh.txt"
  echo '```'
  echo
  echo "- CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores; $(java -version 2>&1 | head -1)"
  echo "- The pure scheduling function only (no log, no apply): see SchedulerBenchmark for the workload."
  if [[ -n "$end_to_end" ]]; then
    echo
    echo "$end_to_end"
  fi
} > "$RESULTS"
