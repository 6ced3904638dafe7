#!/usr/bin/env bash
# The coordinator and etcd side by side on this machine, through the same load generator,
# and the results table in bench/RESULTS.md.
#
#   bench/compare-etcd.sh [--rounds N] [--duration TIME] [--initial-warmup TIME]
#                         [--failover-rounds N] [--levels N,N,...] [--data DIR]
#                         [--results FILE] [--timeout-minutes M]
#
# 1. installs etcd with apt-get when it is missing (Debian package etcd-server; needs root);
# 2. builds the distribution if needed (bin/oag does);
# 3. starts a 3-member etcd (bench/etcd-cluster.sh) and a 3-process coordinator cluster
#    (deploy/local-cluster.sh), fresh, under DIR/etcd and DIR/oag (default DIR:
#    ./.oag-data/compare), both with their shipped settings and durability;
# 4. runs `oag bench compare`: an initial warm-up of each, then at 1, 16 and 64 clients
#    rounds of "coordinator, then etcd" (3 by default; a round under foreign CPU load is
#    run again), then 5 leader kills of each; prints the table and writes FILE (default:
#    bench/RESULTS.md);
# 5. stops both clusters, by the pids their scripts recorded, also on failure or Ctrl-C.
#
# Only loopback addresses. Bounded: the comparison is killed after --timeout-minutes
# (default 60) and the clusters are stopped either way. The defaults take about 20 minutes.
# OAG_JAVA_OPTS and OAG_COORDINATOR_ARGS pass through to the coordinators, ETCD_ARGS to etcd;
# every setting used is recorded in the results.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
OAG="$ROOT/bin/oag"
DATA="$ROOT/.oag-data/compare"
RESULTS="$ROOT/bench/RESULTS.md"
TIMEOUT_MIN=60
PASS=()
ORIGINAL="bench/compare-etcd.sh${*:+ $*}"

usage() {
  echo "usage: $0 [--rounds N] [--duration TIME] [--initial-warmup TIME] [--failover-rounds N]" \
    "[--levels N,N,...] [--data DIR] [--results FILE] [--timeout-minutes M]" >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds|--duration|--initial-warmup|--failover-rounds|--levels)
      [[ $# -ge 2 ]] || usage; PASS+=("$1" "$2"); shift 2 ;;
    --data) [[ $# -ge 2 ]] || usage; DATA=$2; shift 2 ;;
    --results) [[ $# -ge 2 ]] || usage; RESULTS=$2; shift 2 ;;
    --timeout-minutes) [[ $# -ge 2 ]] || usage; TIMEOUT_MIN=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ "$TIMEOUT_MIN" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "$0: --timeout-minutes must be 1 to 9999" >&2; exit 2; }

if ! command -v etcd >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "compare: installing etcd-server with apt-get" >&2
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends etcd-server >/dev/null; } \
      || { echo "$0: apt-get install etcd-server failed" >&2; exit 1; }
  else
    echo "$0: etcd is not installed; run: apt-get install etcd-server (as root)" >&2
    exit 1
  fi
fi

"$OAG" --version >/dev/null  # builds the distribution when it is missing or stale

mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"
# Fresh clusters every time: the dirs are the scripts' own, nothing else is removed.
if [[ -e "$DATA/oag" || -e "$DATA/etcd" ]]; then
  "$ROOT/deploy/local-cluster.sh" stop --data "$DATA/oag" >/dev/null 2>&1 || true
  "$ROOT/bench/etcd-cluster.sh" stop --data "$DATA/etcd" >/dev/null 2>&1 || true
  rm -rf "${DATA:?}/oag" "${DATA:?}/etcd"
fi

cleanup() {
  echo "compare: stopping both clusters" >&2
  "$ROOT/deploy/local-cluster.sh" stop --data "$DATA/oag" >&2 || true
  "$ROOT/bench/etcd-cluster.sh" stop --data "$DATA/etcd" >&2 || true
}
trap cleanup EXIT

"$ROOT/bench/etcd-cluster.sh" start --data "$DATA/etcd" >&2
"$ROOT/deploy/local-cluster.sh" start --data "$DATA/oag" >&2

rc=0
timeout --signal=TERM --kill-after=30 "$((TIMEOUT_MIN * 60))" \
  "$OAG" bench compare -a 127.0.0.1:7070,127.0.0.1:7071,127.0.0.1:7072 \
    --data "$DATA/oag" --etcd-data "$DATA/etcd" "${PASS[@]}" \
    --results "$RESULTS" --command "$ORIGINAL" \
    --note "etcd: $(etcd --version 2>/dev/null | head -1), Debian package etcd-server" \
    --note "oag: git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' with local changes')" \
  || rc=$?
if [[ $rc -eq 124 ]]; then
  echo "$0: the comparison did not finish within $TIMEOUT_MIN minutes" >&2
fi
exit $rc
