#!/usr/bin/env bash
# Runs every test of the project: the host unit tests, then the kernel tests inside the
# kernel lab (one qemu guest boot per kernel test project). Prepares what it needs first
# (Debian packages, the lab's kernel and initramfs, NuGet restore). Runs as root: a sudo user types the same command
# (it runs itself again through sudo). Says what each phase does and how long it took, and sums the phases up at the end.
#
# Prints one closing line for the whole run: "N passed, N failed, N skipped".
# A skipped test is not a pass: any skip makes the run fail. Neither is a project that ran fewer tests than its line in
# tests/minimum-test-counts.txt says (tests lost to a discovery or build problem, or deleted), nor one without a line.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=tests/lab/root.sh
source "$root/tests/lab/root.sh"
become_root run-all "it installs Debian packages and boots the kernel lab" "$root/tests/run-all.sh" "$@"
# shellcheck source=tests/lab/phases.sh
source "$root/tests/lab/phases.sh"
configuration=${CONFIGURATION:-Release}
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run-all: the .NET SDK (dotnet) is required on PATH" >&2
  exit 1
fi

# The least number of tests each test project must run: "Name minimum" per line, "#" starts a comment.
minimum_counts="$root/tests/minimum-test-counts.txt"
declare -A minimum_tests=()
if [[ ! -f "$minimum_counts" ]]; then
  echo "run-all: $minimum_counts is missing: it gives each test project's least number of tests" >&2
  exit 1
fi
while read -r name minimum extra; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if [[ ! "$minimum" =~ ^[0-9]+$ || -n "$extra" ]]; then
    echo "run-all: $minimum_counts: '$name $minimum${extra:+ $extra}' is not a line 'Name minimum'" >&2
    exit 1
  fi
  minimum_tests[$name]=$minimum
done <"$minimum_counts"

mapfile -t projects < <(find "$root/tests" -mindepth 2 -maxdepth 2 -name '*.csproj' | sort)
# Helper programs under tests/ (e.g. the VRRP driver the interop tests start) are not test suites.
test_projects=()
for project in "${projects[@]}"; do
  grep -q '<IsTestProject>false</IsTestProject>' "$project" || test_projects+=("$project")
done
# The five preparing phases, then one per test project.
phase_total=$((5 + ${#test_projects[@]}))

phase_start 1 lab "preparing the kernel lab: Debian packages, the lab's kernel, its initramfs (minutes the first time, then instant)"
bash "$root/tests/lab/prepare.sh"

phase_start 2 build "building the solution ($configuration; NuGet restore the first time)"
dotnet build "$root/Reconciler.sln" -c "$configuration" -nologo -clp:ErrorsOnly

phase_start 3 publish "publishing the reconciler executable to artifacts/bin (NativeAOT)"
rm -rf "$root/artifacts/bin"
dotnet publish "$root/src/Reconciler.Cli" -c "$configuration" -r linux-x64 -o "$root/artifacts/bin" -nologo -clp:ErrorsOnly
export RECONCILER_BIN="$root/artifacts/bin/reconciler"
phase_start 4 deb "building the Debian package from it"
# The package test (Packaging/DebianPackageTests) installs, starts, removes and purges it in the lab guest.
RECONCILER_DEB=$(bash "$root/packaging/deb/build.sh" --from "$root/artifacts/bin")
export RECONCILER_DEB
phase_start 5 vrrp-driver "publishing the VRRP driver the interop tests start (ReadyToRun)"
# The VRRP driver the interop tests start dozens of times in the emulated guest: ReadyToRun starts it about a second
# sooner each time (measured in the lab: 2.4 s against 3.4 s to its first advert).
dotnet publish "$root/tests/Reconciler.VrrpDriver" -c "$configuration" -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$root/artifacts/vrrp-driver" -nologo -clp:ErrorsOnly
# The fuzz tests run a fixed seed here. Each runs a fixed number of inputs (FUZZ_INPUTS, or its own default), so with
# the seed fixed the inputs are the same on every run and machine: a CI result depends only on the change under test
# (a run too slow to finish its inputs within FUZZ_TIME_CAP fails, it never passes on fewer). Run them without
# FUZZ_SEED to explore new inputs.
export FUZZ_SEED=${FUZZ_SEED:-20261125}

total_passed=0
total_failed=0
total_skipped=0
failed_projects=()

# Reads an xunit v3 summary line ("Total: 17, Errors: 0, Failed: 1, Skipped: 0, Not Run: 0")
# from a log file and adds it to the totals.
tally() {
  local name=$1 logfile=$2 status=$3
  local line total errors failed skipped notrun
  line=$(grep -E 'Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+' "$logfile" | tail -n 1 || true)
  if [[ -z "$line" ]]; then
    echo "run-all: $name printed no test summary (exit $status): counted as failed" >&2
    total_failed=$((total_failed + 1))
    failed_projects+=("$name")
    return
  fi
  total=$(sed -E 's/.*Total: ([0-9]+).*/\1/' <<<"$line")
  errors=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
  failed=$(sed -E 's/.*Failed: ([0-9]+).*/\1/' <<<"$line")
  skipped=$(sed -E 's/.*Skipped: ([0-9]+).*/\1/' <<<"$line")
  notrun=$(sed -E 's/.*Not Run: ([0-9]+).*/\1/' <<<"$line")
  total_passed=$((total_passed + total - failed - skipped - notrun))
  total_failed=$((total_failed + failed + errors))
  total_skipped=$((total_skipped + skipped + notrun))
  local too_few=0
  if ! enough_tests "$name" "$total"; then
    too_few=1
    total_failed=$((total_failed + 1))
  fi
  if [[ "$status" -ne 0 || "$failed" -ne 0 || "$errors" -ne 0 || "$skipped" -ne 0 || "$notrun" -ne 0 || "$too_few" -ne 0 ]]; then
    failed_projects+=("$name")
  fi
}

# Whether a project ran at least its minimum number of tests; says why not when it did not.
enough_tests() {
  local name=$1 total=$2
  local minimum=${minimum_tests[$name]:-}
  if [[ -z "$minimum" ]]; then
    echo "run-all: $name ran $total tests but has no line in tests/minimum-test-counts.txt: counted as failed (add the line '$name $total')" >&2
    return 1
  fi
  if ((total < minimum)); then
    echo "run-all: $name ran $total tests, fewer than its minimum of $minimum (tests/minimum-test-counts.txt): counted as failed." >&2
    echo "run-all: tests were lost (not discovered, not built, or deleted); if the drop is deliberate, lower the minimum in the same change" >&2
    return 1
  fi
  return 0
}

run_tests() {
  local name=$1; shift
  local logfile="$results/$name.log" status=0
  "$@" -noColor -result-xml "$results/$name.xml" 2>&1 | tee "$logfile" || status=${PIPESTATUS[0]}
  tally "$name" "$logfile" "$status"
}

declare -A ran_projects=()
phase=5
for project in "${test_projects[@]}"; do
  name=$(basename "$project" .csproj)
  ran_projects[$name]=1
  exe="$(dirname "$project")/bin/$configuration/net10.0/$name"
  phase=$((phase + 1))
  if [[ "$name" == *KernelTests ]]; then
    phase_start "$phase" "${name#Reconciler.}" "kernel tests in the lab guest: $name (about 20 minutes under emulation)"
    # One guest for the whole project: CLI-level and VRRP interop tests take about 20 minutes under emulation.
    run_tests "$name" bash "$root/tests/lab/run.sh" --cpus "${LAB_TEST_CPUS:-2}" --timeout "${LAB_TEST_TIMEOUT:-3600}" --share "$results" --env VRRP_DRIVER="$root/artifacts/vrrp-driver/Reconciler.VrrpDriver.dll" --env RECONCILER_DEB --env RECONCILER_ARTIFACTS="$results" -- "$exe"
  else
    phase_start "$phase" "${name#Reconciler.}" "host tests: $name"
    run_tests "$name" "$exe"
  fi
done
phase_end

# A project listed with a minimum that is no longer found would otherwise drop out of the run unnoticed.
for name in "${!minimum_tests[@]}"; do
  if [[ -z "${ran_projects[$name]:-}" ]]; then
    echo "run-all: $name is in tests/minimum-test-counts.txt but no test project of that name was found: counted as failed" >&2
    total_failed=$((total_failed + 1))
    failed_projects+=("$name")
  fi
done

phase_summary run-all
echo
if [[ ${#failed_projects[@]} -gt 0 ]]; then
  echo "Failing or incomplete: ${failed_projects[*]}"
fi
echo "$total_passed passed, $total_failed failed, $total_skipped skipped"
[[ ${#failed_projects[@]} -eq 0 && $total_failed -eq 0 && $total_skipped -eq 0 ]]
