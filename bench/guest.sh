#!/usr/bin/env bash
# The lab-guest half of bench/run.sh: every benchmark that needs the IPVS kernel, one after the other in one boot,
# each writing DIR/NAME.json and DIR/NAME.log; a failed one is listed in DIR/failed.txt and the rest still run.
# DIR/environment.txt records the guest (kernel, vCPUs, CPU model, memory) for the report.
#
#   bench/guest.sh DIR        (inside the lab guest: tests/lab/run.sh ... -- bash bench/guest.sh DIR)
#
# Knobs (environment): BENCH_ONLY="cold commit" runs only those; BENCH_COLD_SIZES (default 1000:3,10000:1),
# BENCH_RECONCILE_RUNS (3), BENCH_IPVS_RUNS (1), BENCH_COMMITS (10), BENCH_MEMORY_SERVICES (10000),
# BENCH_VRRP_RUNS (10: the failover figures are medians of at least 10 kills each), BENCH_START_RUNS (5 starts each),
# BENCH_STATEFUL_RUNS (3 runs of tests/scenarios/stateful-failover.sh), BENCH_COMMAND_RUNS (3 runs of each whole
# command: reconciler apply/plan/ipvs show/validate/diff and their anchors),
# BENCH_TIMEOUT (seconds per benchmark, default 1200).
set -uo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
out=${1:?usage: bench/guest.sh DIR}
bench=$root/bench/Reconciler.Bench/bin/Release/net10.0/Reconciler.Bench
mkdir -p "$out/logs"
: >"$out/failed.txt"
# The agents', keepalived's and git daemon's logs, kept past the guest (it forgets everything else).
export BENCH_LOGS=$out/logs

[[ -e /proc/net/ip_vs ]] || { echo "bench/guest.sh: no /proc/net/ip_vs: run it in the lab guest" >&2; exit 2; }

{
  echo "kernel=$(uname -r)"
  echo "cpus=$(nproc)"
  echo "model=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)"
  echo "hypervisor=$(dmesg 2>/dev/null | sed -n 's/.*Hypervisor detected: *//p' | head -n 1)"
  echo "keepalived=$(keepalived --version 2>&1 | head -n 1)"
  echo "ipvsadm=$(ipvsadm --version 2>&1 | head -n 1)"
} >"$out/environment.txt"

wanted() { [[ -z ${BENCH_ONLY:-} || " $BENCH_ONLY " == *" $1 "* ]]; }

# run NAME ARGS...: one benchmark, its output on ours and in DIR/NAME.log.
run() {
  local name=$1 started status
  shift
  wanted "$name" || return 0
  echo "== bench/guest.sh: $name $* ($(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg))"
  started=$(date +%s)
  timeout --kill-after=30 "${BENCH_TIMEOUT:-1200}" "$bench" "$name" --out "$out" "$@" 2>&1 | tee "$out/$name.log"
  status=${PIPESTATUS[0]}
  echo "== bench/guest.sh: $name exit $status after $(($(date +%s) - started)) s"
  echo "$name $(($(date +%s) - started))" >>"$out/seconds.txt"
  if [[ $status != 0 ]]; then
    echo "$name: exit $status$([[ $status == 124 ]] && echo ' (timed out)') (log: guest/$name.log)" >>"$out/failed.txt"
  fi
  # Whatever a failed benchmark left behind (namespaces, agents, keepalived) goes before the next one starts.
  for ns in $(ip netns list 2>/dev/null | cut -d' ' -f1); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
  return 0
}

run reconcile --runs "${BENCH_RECONCILE_RUNS:-3}"
run cold --sizes "${BENCH_COLD_SIZES:-1000:3,10000:1}"
run commit --commits "${BENCH_COMMITS:-10}"
run memory --services "${BENCH_MEMORY_SERVICES:-10000}"
run vrrp --runs "${BENCH_VRRP_RUNS:-10}"
run start --runs "${BENCH_START_RUNS:-5}"
run ipvs --runs "${BENCH_IPVS_RUNS:-1}"
run stateful --runs "${BENCH_STATEFUL_RUNS:-3}"
run commands --runs "${BENCH_COMMAND_RUNS:-3}"
exit 0
