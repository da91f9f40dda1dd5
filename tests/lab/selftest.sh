#!/usr/bin/env bash
# Proves the kernel lab in one guest boot: IPVS, network namespaces, the tools
# the tests use, and .NET. Prints PASS/FAIL per check; exits non-zero when any
# check fails (or the lab itself does).
#
#   tests/lab/selftest.sh            on the host (boots a guest through run.sh)
#   tests/lab/selftest.sh --guest DLL  inside the guest (run.sh does this)
set -euo pipefail

LAB_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$LAB_DIR/../.." && pwd -P)
CACHE=${LAB_CACHE:-$REPO_ROOT/.lab-cache}

log() { printf 'lab-selftest: %s\n' "$*" >&2; }

# --- in the guest -------------------------------------------------------------

FAILED=0
PASSED=0
ms_now() { date +%s%3N; }

# check NAME COMMAND...: runs COMMAND, prints PASS or FAIL with its output.
# COMMAND runs as a background job so that set -e stops it at the first failing
# step (a function called from an "||" list would run on past failures).
check() {
  local name=$1 out rc=0 t0 t1 tmp
  shift
  tmp=$(mktemp)
  t0=$(ms_now)
  "$@" >"$tmp" 2>&1 &
  wait $! || rc=$?
  t1=$(ms_now)
  out=$(<"$tmp")
  rm -f -- "$tmp"
  if [[ $rc -eq 0 ]]; then
    PASSED=$((PASSED + 1))
    printf 'PASS %-28s (%d ms)\n' "$name" $((t1 - t0))
  else
    FAILED=$((FAILED + 1))
    printf 'FAIL %-28s (exit %d, %d ms)\n' "$name" "$rc" $((t1 - t0))
  fi
  [[ -z $out ]] || printf '%s\n' "$out" | sed 's/^/     | /'
}

ipvs_in_netns() {
  local ns=lab-director
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n "$ns" link add dummy0 type dummy
  ip -n "$ns" addr add 192.0.2.1/24 dev dummy0
  ip -n "$ns" link set dummy0 up
  ip -n "$ns" route add default via 192.0.2.254
  ip netns exec "$ns" ipvsadm -A -t 10.0.0.1:80 -s wrr
  ip netns exec "$ns" ipvsadm -a -t 10.0.0.1:80 -r 192.0.2.10:80 -g -w 3
  local dump
  dump=$(ip netns exec "$ns" ipvsadm -Sn)
  printf '%s\n' "$dump"
  grep -qx -- '-A -t 10.0.0.1:80 -s wrr' <<<"$dump"
  grep -q -- '-a -t 10.0.0.1:80 -r 192.0.2.10:80 -g -w 3' <<<"$dump"
  # IPVS tables are per namespace: the guest's own stays empty.
  [[ -z $(ipvsadm -Sn) ]] || { echo "the initial namespace has IPVS rules"; return 1; }
  ip netns del "$ns"
}

bridge_ping() {
  ip link add br-lab type bridge
  ip link set br-lab up
  local ns addr
  for ns in a b; do
    ip netns add "lab-$ns"
    ip link add "veth-$ns" type veth peer name eth0 netns "lab-$ns"
    ip link set "veth-$ns" master br-lab up
    [[ $ns == a ]] && addr=10.1.0.1/24 || addr=10.1.0.2/24
    ip -n "lab-$ns" addr add "$addr" dev eth0
    ip -n "lab-$ns" link set eth0 up
    ip -n "lab-$ns" link set lo up
  done
  ip netns exec lab-a ping -c 1 -W 10 10.1.0.2
  ip netns del lab-a
  ip netns del lab-b
  ip link del br-lab
}

# The checkout (wherever it is on the host, /tmp included: run.sh has it bound
# back over the guest's fresh /tmp) and the caller's working directory.
checkout_visible() {
  echo "$REPO_ROOT, working directory $PWD"
  test -f "$REPO_ROOT/tests/lab/run.sh"
  test -d "$PWD"
  # Writable, like the rest of the overlay; the write vanishes at power-off.
  touch "$REPO_ROOT/.lab-selftest-write" && rm -f "$REPO_ROOT/.lab-selftest-write"
}

# The kernel's whole module tree (in the lab cache) at /lib/modules/$(uname -r).
module_tree() {
  modprobe --show-depends nf_nat | tail -n 1
  test -d "/lib/modules/$(uname -r)/kernel/net"
}

# Runs a tool's version command; prints the line that names the version.
version_of() {
  local out
  out=$("$@" 2>&1) || { printf '%s\n' "$out"; return 1; }
  grep -m 1 -E '[0-9]+\.[0-9]+' <<<"$out" || { printf '%s\n' "$out"; return 1; }
}

dotnet_info() {
  local out
  out=$(dotnet --info 2>&1) || { printf '%s\n' "$out"; return 1; }
  grep -E '^ *(Version|RID|OS Name|OS Version|Architecture):' <<<"$out" | head -n 6
  grep -q 'Microsoft.NETCore.App' <<<"$out"
}

dotnet_hello() {
  local dll=$1 out
  out=$(dotnet "$dll" lab) || return 1
  printf '%s\n' "$out"
  [[ $out == 'hello lab' ]]
}

guest_main() {
  local dll=$1
  read -r up _ </proc/uptime
  echo "guest: kernel $(uname -r), ${up}s from power-on to this script, $(nproc) CPUs, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB"
  check "checkout at its own path" checkout_visible
  check "module tree (modprobe)" module_tree
  check "ipvs loaded (/proc/net/ip_vs)" test -e /proc/net/ip_vs
  check "ipvsadm in a netns" ipvs_in_netns
  check "veth+bridge ping" bridge_ping
  check "keepalived --version" version_of keepalived --version
  check "nginx -v" version_of nginx -v
  check "curl --version" version_of curl --version
  check "tshark --version" version_of tshark --version
  check "promtool --version" version_of promtool --version
  check "dotnet --info" dotnet_info
  check "dotnet hello (1st run)" dotnet_hello "$dll"
  check "dotnet hello (2nd run)" dotnet_hello "$dll"
  echo "$PASSED passed, $FAILED failed"
  [[ $FAILED -eq 0 ]]
}

# --- on the host --------------------------------------------------------------

# A tiny console program, built once into the lab cache. It is kept out of the
# repository's build settings (Directory.Build.props and central packages).
build_hello() {
  local dir=$CACHE/hello src
  src=$(printf '%s\n' \
    'if (args.Length > 0) System.Console.WriteLine($"hello {args[0]}");' \
    'else System.Console.WriteLine("hello");')
  if [[ -f $dir/out/hello.dll && -f $dir/Program.cs && $(<"$dir/Program.cs") == "$src" ]]; then
    printf '%s\n' "$dir/out/hello.dll"
    return 0
  fi
  command -v dotnet >/dev/null || { log "dotnet not found"; return 1; }
  log "building the hello program in $dir"
  rm -rf -- "$dir"
  mkdir -p -- "$dir"
  printf '%s\n' "$src" >"$dir/Program.cs"
  cat >"$dir/hello.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>disable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <UseAppHost>false</UseAppHost>
  </PropertyGroup>
</Project>
EOF
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet build "$dir/hello.csproj" -c Release -o "$dir/out" \
    -p:ImportDirectoryBuildProps=false -p:ImportDirectoryPackagesProps=false \
    -p:ManagePackageVersionsCentrally=false -nologo -v:q </dev/null >"$dir/build.log" 2>&1 ||
    { cat -- "$dir/build.log" >&2; log "building the hello program failed"; return 1; }
  printf '%s\n' "$dir/out/hello.dll"
}

host_main() {
  "$LAB_DIR/prepare.sh"
  local dll
  dll=$(build_hello)
  log "booting a guest"
  local t0 t1 rc=0
  t0=$(date +%s%3N)
  "$LAB_DIR/run.sh" --timeout 900 -- bash "$LAB_DIR/selftest.sh" --guest "$dll" || rc=$?
  t1=$(date +%s%3N)
  log "guest run took $((t1 - t0)) ms in all, exit status $rc"
  if [[ $rc -eq 0 ]]; then
    log "PASS"
  else
    log "FAIL"
  fi
  return "$rc"
}

if [[ ${1:-} == --guest ]]; then
  [[ $# -eq 2 ]] || { echo "usage: selftest.sh --guest HELLO_DLL" >&2; exit 2; }
  guest_main "$2"
else
  [[ $# -eq 0 ]] || { echo "usage: tests/lab/selftest.sh" >&2; exit 2; }
  host_main
fi
