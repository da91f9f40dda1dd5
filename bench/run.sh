#!/usr/bin/env bash
# Every benchmark of the project behind one command, one table:
#
#   bash bench/run.sh
#
# Builds Release (the benchmarks, the VRRP driver, and `reconciler` published to artifacts/bin), runs the host
# benchmarks (planner; health on one core, with and without inline socket completions; cli: the published reconciler's
# --version and validate as whole processes), then every benchmark that needs the IPVS kernel in ONE lab guest boot
# (bench/guest.sh: reconcile, cold, commit, memory, vrrp, start, ipvs, stateful, commands), and
# merges all the JSONs into one table: printed, and written as artifacts/bench/report.json and report.md.
# Results: artifacts/bench/{host,guest}/NAME.json and NAME.log; a benchmark that fails is listed in the report and
# the others still run. About 25 to 30 minutes on a 2-core machine (the guest runs under software emulation).
#
# Knobs (environment): BENCH_SKIP_BUILD=1, BENCH_SKIP_HOST=1, BENCH_SKIP_GUEST=1; BENCH_GUEST_CPUS (default 2),
# BENCH_GUEST_TIMEOUT (seconds, default 3000); and bench/guest.sh's (BENCH_ONLY, BENCH_VRRP_RUNS, BENCH_COMMAND_RUNS, ...),
# passed on.
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$root"
out=$root/artifacts/bench
bench=$root/bench/Reconciler.Bench/bin/Release/net10.0/Reconciler.Bench

log() { printf '\n== bench/run.sh: %s (%s, load %s)\n' "$*" "$(date -u +%T)" "$(cut -d' ' -f1-3 /proc/loadavg)"; }

rm -rf -- "$out/host" "$out/guest" "$out/report.json" "$out/report.md" "$out/run.txt"
mkdir -p "$out/host" "$out/guest"
: >"$out/host/failed.txt"
{
  echo "started=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "load_start=$(cat /proc/loadavg)"
} >"$out/run.txt"

if [[ ${BENCH_SKIP_BUILD:-} != 1 ]]; then
  log "building (Release): bench, VRRP driver, reconciler -> artifacts/bin"
  dotnet build bench/Reconciler.Bench -c Release -nologo -clp:ErrorsOnly
  dotnet build tests/Reconciler.VrrpDriver -c Release -nologo -clp:ErrorsOnly
  dotnet publish src/Reconciler.Cli -c Release -r linux-x64 -o "$root/artifacts/bin" -nologo -clp:ErrorsOnly
fi

# host NAME DIR COMMAND...: one host benchmark; a failure is noted and the run goes on.
host() {
  local name=$1 dir=$2 status=0
  shift 2
  log "host: $name"
  mkdir -p "$dir"
  "$@" --out "$dir" 2>&1 | tee "$dir/$name.log" || status=$?
  [[ $status == 0 ]] || echo "$name: exit $status (log: ${dir#"$out"/}/$name.log)" >>"$out/host/failed.txt"
}

if [[ ${BENCH_SKIP_HOST:-} != 1 ]]; then
  host planner "$out/host" "$bench" planner
  # The health checker on one core (the listeners on the other when there is one), as its benchmark asks.
  host health "$out/host/health-inline" env DOTNET_PROCESSOR_COUNT=1 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 \
    taskset -c 0 "$bench" health
  host health "$out/host/health-default" env DOTNET_PROCESSOR_COUNT=1 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 \
    taskset -c 0 "$bench" health
  host cli "$out/host" "$bench" cli
fi

if [[ ${BENCH_SKIP_GUEST:-} != 1 ]]; then
  log "lab guest: reconcile, cold, commit, memory, vrrp, start, ipvs, stateful, commands in one boot"
  envs=()
  for name in $(compgen -e); do
    [[ $name == BENCH_* ]] && envs+=(--env "$name")
  done
  status=0
  bash tests/lab/run.sh --cpus "${BENCH_GUEST_CPUS:-2}" --mem 4096 --timeout "${BENCH_GUEST_TIMEOUT:-3000}" \
    --share "$out/guest" "${envs[@]}" -- bash bench/guest.sh "$out/guest" || status=$?
  [[ $status == 0 ]] || echo "the lab guest: exit $status$([[ $status == 124 ]] && echo ' (timed out)')" >>"$out/host/failed.txt"
fi

{
  echo "finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "load_end=$(cat /proc/loadavg)"
} >>"$out/run.txt"
log "report"
"$bench" report --in "$out"
# Exit status: 0 only when every benchmark ran (the table lists the ones that did not).
[[ ! -s $out/host/failed.txt && ! -s $out/guest/failed.txt ]]
