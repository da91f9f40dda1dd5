#!/usr/bin/env bash
# The README's main job: the seed's HA set-up, end to end, in the kernel lab.
#
# The seed (../shared/seeds): VIP 192.168.1.120, director lb1 = .104 (MASTER, priority 100) and lb2 = .103
# (BACKUP, 80), both also running nginx on :80 that proxies to web site A (.101:8081) and B (.101:8082);
# LVS-DR wrr with weights 1 (.103) and 5 (.104), persistence_timeout 50, TCP_CHECK, a tracked nginx check.
# Rebuilt here with network namespaces on a bridge inside a qemu guest: lb1, lb2, web (sites A and B, and
# git daemon serving the topology over git://), client. One `reconciler agent` per director.
#
# Steps (each measured; the summary table and artifacts/scenario/results.json carry the figures):
#   1. both agents start; the VIP is on lb1; the client reaches sites A and B through the VIP; a commit that
#      drops persistence shows the wrr 5:1 alternation between the directors, and the next restores it
#   2. lb2's nginx stops: lb1's health check removes .103, the client keeps its answers; nginx back: re-added
#   3. lb1 dies hard (agent SIGKILLed, link down): lb2 holds the VIP and withdraws lb1's real server (.104) as it
#      takes over (lb1's adverts stopped); failed requests counted
#   4. lb1 comes back: with preempt the VIP returns to lb1
#   5. a commit changes a weight: both agents take it within poll interval + 1 s; `reconciler history` shows it
#   6. an invalid commit: both reject it with its location; nothing changes in the kernel; the next valid one applies
#   7. lb2's agent restarts while the client runs: zero failed requests, zero operations
#
# Usage: tests/scenarios/seed-ha.sh            (as root, or a sudo user: prepares the lab, builds, boots a guest, runs
#                                               the steps; says what each phase does and how long it took)
#        tests/scenarios/seed-ha.sh --in-guest (inside a lab guest; what the kernel test suite runs)
# Exit status 0 only when every step's expectation held.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

if [[ "${1:-}" != "--in-guest" ]]; then
  # shellcheck source=tests/lab/root.sh
  source tests/lab/root.sh
  become_root seed-ha "it installs Debian packages and boots the kernel lab" "$root/tests/scenarios/seed-ha.sh" "$@"
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "seed-ha: the .NET SDK (dotnet) is required on PATH" >&2
    exit 1
  fi
  # shellcheck source=tests/lab/phases.sh
  source tests/lab/phases.sh
  phase_total=3
  phase_start 1 lab "preparing the kernel lab: Debian packages, the lab's kernel, its initramfs (minutes the first time, then instant)"
  bash tests/lab/prepare.sh
  phase_start 2 publish "publishing the reconciler executable to artifacts/bin (NativeAOT; NuGet restore the first time; minutes)"
  dotnet publish src/Reconciler.Cli -c Release -r linux-x64 -o "$root/artifacts/bin" -nologo -clp:ErrorsOnly
  mkdir -p "$root/artifacts/scenario"
  phase_start 3 scenario "booting the lab guest and running the 7 steps (about 10 minutes under emulation)"
  status=0
  bash tests/lab/run.sh --cpus 2 --timeout 1500 --share "$root/artifacts/scenario" \
    --env SCENARIO_OUT="$root/artifacts/scenario" -- bash tests/scenarios/seed-ha.sh --in-guest || status=$?
  phase_end "exit status $status; figures in artifacts/scenario/results.json"
  phase_summary seed-ha
  exit "$status"
fi

bin=${RECONCILER_BIN:-$root/artifacts/bin/reconciler}
out=${SCENARIO_OUT:-$root/artifacts/scenario}
mkdir -p "$out"
rm -f "$out"/agent-*.log "$out"/client.log "$out"/results.json # this run's only
work=$(mktemp -d /tmp/seed-ha.XXXXXX)
poll=2s
poll_seconds=2
# How long one client request may take: it crosses IPVS on the MASTER, nginx on a director, then a site. In the
# emulated guest a starting .NET agent takes both vCPUs for tens of seconds, and a request then took just over 1 s
# (curl exit 28 at 1.00 s) with nothing else wrong; a broken data plane (VIP or service gone, ARP changed) refuses or
# never answers, and the restart's kernel state is compared directly as well. Each request's time is logged.
client_timeout=3
vip=192.168.1.120
ifname=eno16777736
namespaces=(seed-lb1 seed-lb2 seed-web seed-client)
pids=()
results=()
failures=0

# now_ms, log, note, result, expect, check: the scenarios' shared helpers.
source "$root/tests/scenarios/common.sh"

cleanup() {
  local pid
  if [[ ${#pids[@]} -gt 0 ]]; then
    { for pid in "${pids[@]}"; do kill -9 "$pid" || true; done; wait "${pids[@]}"; } 2>/dev/null || true
  fi
  for ns in "${namespaces[@]}"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  ip link del seed-br 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

in_ns() { local ns=$1; shift; ip netns exec "seed-$ns" "$@"; }

# --- the network: a bridge, one namespace per machine of the seed ---------------------------------------
log "network: bridge seed-br; lb1 .104, lb2 .103, web .101 (sites A, B, git daemon), client .200"
ip link add seed-br type bridge
ip link set seed-br up
add_host() {
  local name=$1 address=$2 inner=$3
  ip netns add "seed-$name"
  ip link add "seed-$name-p" type veth peer name tmp0 netns "seed-$name"
  ip link set "seed-$name-p" master seed-br up
  in_ns "$name" ip link set tmp0 name "$inner"
  in_ns "$name" ip link set lo up
  in_ns "$name" ip link set "$inner" up
  in_ns "$name" ip addr add "$address/24" dev "$inner"
}
add_host lb1 192.168.1.104 "$ifname"
add_host lb2 192.168.1.103 "$ifname"
add_host web 192.168.1.101 eth0
add_host client 192.168.1.200 eth0

# --- nginx: sites A and B on web; on each director a proxy to both (the seed's nginx) -------------------
log "nginx: sites A (:8081) and B (:8082) on web; lb1 and lb2 proxy :80 to both"
mkdir -p "$work/nginx"
cat > "$work/nginx/web.conf" <<EOF
worker_processes 1; daemon on; pid $work/nginx/web.pid; error_log $work/nginx/web.err;
events { worker_connections 256; }
http { access_log off;
  server { listen 192.168.1.101:8081; location / { return 200 "site A\n"; } }
  server { listen 192.168.1.101:8082; location / { return 200 "site B\n"; } }
}
EOF
director_nginx() {
  local lb=$1
  cat > "$work/nginx/$lb.conf" <<EOF
worker_processes 1; daemon on; pid $work/nginx/$lb.pid; error_log $work/nginx/$lb.err;
events { worker_connections 256; }
http { access_log off;
  upstream sites { server 192.168.1.101:8081; server 192.168.1.101:8082; }
  server { listen 80; location / { proxy_pass http://sites; add_header X-Director $lb always; } }
}
EOF
  in_ns "$lb" nginx -c "$work/nginx/$lb.conf"
}
in_ns web nginx -c "$work/nginx/web.conf"
director_nginx lb1
director_nginx lb2

# --- the topology in git, served by git daemon over git:// ---------------------------------------------
log "topology repository: the seed's topology, served over git:// by git daemon on web"
git config --global init.defaultBranch main
git config --global user.name "Ops Alice"
git config --global user.email alice@example.com
git init -q --bare "$work/git/topology.git"
git clone -q "$work/git/topology.git" "$work/checkout" 2>/dev/null
# The seed's topology (examples/seed/topology.yaml, imported from its keepalived.conf) with the lab's
# check commands and health timings short enough for a test (the seed's: delay_loop 6, connect_timeout 10,
# retry 3, delay_before_retry 3).
write_topology() {
  local weight103=$1 persistence=$2
  cat > "$work/checkout/topology.yaml" <<EOF
nodes:
  - name: lb1
    addresses: [192.168.1.104]
    interfaces: [$ifname]
  - name: lb2
    addresses: [192.168.1.103]
    interfaces: [$ifname]
checks:
  - name: monitor_nginx
    command: [curl, -sf, -o, /dev/null, --max-time, "1", "http://127.0.0.1:80/"]
    interval: 5s
    timeout: 5s
    weight: -15
vrrpInstances:
  - name: VI_1
    interface: $ifname
    virtualRouterId: 51
    priorities: {lb1: 100, lb2: 80}
    authentication: {password: "1111"}
    virtualAddresses: [$vip]
    trackChecks: [{check: monitor_nginx}]
services:
  - name: tcp-$vip-80
    address: $vip
    port: 80
    scheduler: wrr
    forwarding: dr
$( [[ $persistence == yes ]] && echo "    persistence: {timeout: 50s}" )
    vrrpInstance: VI_1
    healthCheck:
      type: tcp
      interval: 1s
      connectTimeout: 1s
      retries: 1
      delayBeforeRetry: 500ms
    realServers:
      - address: 192.168.1.103
        port: 80
        weight: $weight103
      - address: 192.168.1.104
        port: 80
        weight: 5
EOF
}
commit() {
  git -C "$work/checkout" add -A
  git -C "$work/checkout" commit -q -m "$1"
  git -C "$work/checkout" push -q origin main 2>/dev/null
  git -C "$work/checkout" rev-parse HEAD
}
write_topology 1 yes
"$bin" validate "$work/checkout/topology.yaml"
first_sha=$(commit "Seed HA: VIP $vip on lb1/lb2, LVS-DR wrr, persistence 50s")
touch "$work/git/topology.git/git-daemon-export-ok"
in_ns web git daemon --reuseaddr --listen=192.168.1.101 --port=9418 --base-path="$work/git" --export-all \
  --detach --pid-file="$work/git/daemon.pid"
for _ in $(seq 1 50); do in_ns lb1 git ls-remote "git://192.168.1.101/topology.git" >/dev/null 2>&1 && break; sleep 0.2; done
repo_url="git://192.168.1.101/topology.git"

# --- agents ---------------------------------------------------------------------------------------------
start_agent() {
  local lb=$1
  mkdir -p "$work/state-$lb"
  # Not through in_ns: a shell function sent to the background runs in a subshell, and $! would be that subshell,
  # not the agent (a signal to it would never reach the agent). `ip netns exec` execs: $! is the agent itself.
  ip netns exec "seed-$lb" "$bin" agent --node "$lb" --repo "$repo_url" --state-dir "$work/state-$lb" --poll-interval "$poll" \
    --drift-interval 10s >> "$out/agent-$lb.log" 2>&1 &
  eval "agent_$lb=$!"
  pids+=("$!")
}
agent_pid() { eval "echo \$agent_$1"; }
status_json() { in_ns "$1" curl -sf --max-time 60 http://127.0.0.1:9477/status; }
metrics() { in_ns "$1" curl -sf --max-time 60 http://127.0.0.1:9477/metrics; }
# jq-free JSON reads: python3 is in the guest (the host's).
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
vrrp_state() { status_json "$1" 2>/dev/null | json "d['vrrp'][0]['state'] if d['vrrp'] else 'NONE'" 2>/dev/null || echo DOWN; }
applied_sha() { status_json "$1" 2>/dev/null | json "(d['source']['applied'] or {}).get('sha','')" 2>/dev/null || true; }
ops_applied() { metrics "$1" | awk '/^reconciler_operations_applied_total/ { s += $2 } END { print s + 0 }'; }
wait_until() { # wait_until SECONDS CMD...: true once CMD succeeds
  local deadline=$(( $(date +%s) + $1 )); shift
  while (( $(date +%s) < deadline )); do "$@" && return 0; sleep 0.2; done
  return 1
}
vip_on() { in_ns "$1" ip -br addr show dev "$ifname" | grep -q " $vip/"; }
ipvs_has() { in_ns "$1" ipvsadm -Sn | grep -q -- "$2"; }
agent_ready() { in_ns "$1" curl -sf --max-time 5 http://127.0.0.1:9477/healthz >/dev/null 2>&1; }

# --- the client: one request every 200 ms, logged with its time, director and site ----------------------
# One process per request (curl, which `ip netns exec` execs): parsing and waiting stay inside bash, so the client
# costs the emulated guest little CPU next to the agents it measures.
start_client() {
  : > "$out/client.log"
  mkfifo "$work/client.tick"
  (
    exec 3<>"$work/client.tick" # a read on it with -t is a sleep without a process
    while [[ ! -f "$work/stop-client" ]]; do
      t=$(( ${EPOCHREALTIME/./} / 1000 ))
      code=0
      reply=$(ip netns exec seed-client curl -s -i --max-time "$client_timeout" -w '\ntime_total=%{time_total}' "http://$vip/" 2>/dev/null) || code=$?
      took='?'; [[ $reply == *time_total=* ]] && took=${reply##*time_total=}
      if [[ $code == 0 && $reply =~ [Xx]-[Dd]irector:\ *([a-z0-9]+) ]] && director=${BASH_REMATCH[1]} && [[ $reply =~ site\ ([AB]) ]]; then
        echo "$t ok $director ${BASH_REMATCH[1]} ${took}s"
      else
        # Why, for the reader: curl's exit code (7 refused, 28 timed out, 52 empty reply, 56 reset) and how long it took.
        echo "$t fail curl=$code ${took}s"
      fi >> "$out/client.log"
      read -r -t 0.2 -u 3 _ || true
    done
  ) &
  client_pid=$!
  pids+=("$client_pid")
}
client_mark() { wc -l < "$out/client.log"; }
client_failures_since() { tail -n +"$(( $1 + 1 ))" "$out/client.log" | grep -c ' fail ' || true; }
# The longest time one answered request took since a mark (seconds, as curl measured it).
client_slowest_since() { tail -n +"$(( $1 + 1 ))" "$out/client.log" | awk '$2 == "ok" { t = $5 + 0; if (t > m) m = t } END { printf "%.3f", m }'; }
# The failed requests since a mark, as logged (time, curl's exit code, duration), for the report.
client_failure_lines() { tail -n +"$(( $1 + 1 ))" "$out/client.log" | grep ' fail ' | head -n 5 | tr '\n' ';' || true; }
client_requests_since() { tail -n +"$(( $1 + 1 ))" "$out/client.log" | wc -l; }
first_ok_after() { awk -v t="$1" '$1 > t && $2 == "ok" { print $1; exit }' "$out/client.log"; }

# === 1. both start ========================================================================================
log "1. both agents start; the VIP goes to lb1 (priority 100)"
t0=$(now_ms)
start_agent lb1
start_agent lb2
wait_until 240 agent_ready lb1 && wait_until 240 agent_ready lb2 || true
result agents_ready_s "$(( ($(now_ms) - t0) / 1000 ))"
wait_until 120 ipvs_has lb1 "-A -t $vip:80" || true
check vip_on_lb1 vip_on lb1
check vip_not_on_lb2 bash -c "! ip netns exec seed-lb2 ip -br addr show dev $ifname | grep -q ' $vip/'"
check lb1_master test "$(vrrp_state lb1)" = MASTER
check lb2_backup test "$(vrrp_state lb2)" = BACKUP
check lb1_ipvs_seed_table bash -c "ip netns exec seed-lb1 ipvsadm -Sn | grep -q -- '-A -t $vip:80 -s wrr -p 50' && ip netns exec seed-lb1 ipvsadm -Sn | grep -q -- '-r 192.168.1.103:80 -g -w 1' && ip netns exec seed-lb1 ipvsadm -Sn | grep -q -- '-r 192.168.1.104:80 -g -w 5'"
check lb2_no_ipvs_as_backup test -z "$(in_ns lb2 ipvsadm -Sn)"
check lb2_dr_vip_on_lo bash -c "ip netns exec seed-lb2 ip -br addr show dev lo | grep -q ' $vip/32'"
check lb2_arp_ignore test "$(in_ns lb2 sysctl -n net.ipv4.conf.all.arp_ignore)" = 1
in_ns lb1 ipvsadm -Ln
start_client
wait_until 60 bash -c "grep -q ' ok ' '$out/client.log'" || true
mark=$(client_mark)
oks_since() { [[ $(tail -n +"$(( $1 + 1 ))" "$out/client.log" | grep -c ' ok ') -ge $2 ]]; }
wait_until 180 oks_since "$mark" 6 || true
sites=$(tail -n +"$(( mark + 1 ))" "$out/client.log" | awk '$2 == "ok" { print $4 }' | sort -u | tr -d '\n')
result sites_seen "$sites"
check client_reaches_A_and_B test "$sites" = AB
check client_no_failures_steady test "$(client_failures_since "$mark")" = 0

log "1c. 'reconciler plan' on each director, given its agent's state folder, is the agent's plan: no changes"
# The one desired-state function with the agent's own inputs (roles and health from its endpoint, its ownership
# record): on the MASTER (services, the VIP on lo) and the BACKUP (the VIP on lo only) alike.
for lb in lb1 lb2; do
  plan_exit=0
  in_ns "$lb" "$bin" plan --repo "$repo_url" --node "$lb" --state-dir "$work/state-$lb" --detailed-exitcode \
    > "$out/plan-$lb.txt" 2>&1 || plan_exit=$?
  result "plan_exit_$lb" "$plan_exit"
  check "plan_in_sync_$lb" test "$plan_exit" = 0
  [[ $plan_exit == 0 ]] || cat "$out/plan-$lb.txt"
done

log "1b. variant without persistence: the wrr weights 1 (.103 lb2) : 5 (.104 lb1) show"
write_topology 1 no
nopersist_sha=$(commit "Variant: no persistence, to see wrr alternate")
wait_until 60 bash -c "! ip netns exec seed-lb1 ipvsadm -Sn | grep -q -- '-p 50'" || true
mark=$(client_mark)
wait_until 300 oks_since "$mark" 30 || true
counts=$(tail -n +"$(( mark + 1 ))" "$out/client.log" | awk '$2 == "ok"' | head -n 30 | awk '{ c[$3]++ } END { printf "%d %d", c["lb1"], c["lb2"] }')
read -r via_lb1 via_lb2 <<<"$counts"
result wrr_split_lb1_lb2 "$via_lb1:$via_lb2"
check wrr_alternation_5_to_1 bash -c "(( $via_lb2 > 0 && $via_lb1 >= 4 * $via_lb2 && $via_lb1 <= 6 * $via_lb2 ))"
write_topology 1 yes
restore_sha=$(commit "Restore persistence 50s")
wait_until 60 ipvs_has lb1 "-p 50" || true

# === 2. nginx on lb2 stops: its real server leaves, comes back ============================================
log "2. nginx on lb2 stops: lb1's TCP check removes 192.168.1.103:80; the client keeps answers; nginx back: re-added"
check rs_103_present_before bash -c "ip netns exec seed-lb1 ipvsadm -Sn | grep -q 'r 192.168.1.103:80'"
mark=$(client_mark)
t=$(now_ms)
kill "$(cat "$work/nginx/lb2.pid")"
wait_until 60 bash -c "! ip netns exec seed-lb1 ipvsadm -Sn | grep -q 'r 192.168.1.103:80'" && removed=$(( $(now_ms) - t )) || removed=-1
result rs_removed_after_ms "$removed"
check rs_removed_by_health test "$removed" -ge 0
sleep 3
check lb1_still_answers bash -c "tail -n 10 '$out/client.log' | grep -q ' ok lb1 '"
t=$(now_ms)
director_nginx lb2
wait_until 60 ipvs_has lb1 "-r 192.168.1.103:80 -g -w 1" && readded=$(( $(now_ms) - t )) || readded=-1
result rs_readded_after_ms "$readded"
check rs_readded_by_health test "$readded" -ge 0
result failed_requests_nginx_stop "$(client_failures_since "$mark")"

# === 3. lb1 dies hard ======================================================================================
log "3. lb1 dies hard: agent SIGKILLed, link down; lb2 takes the VIP"
mark=$(client_mark)
t_kill=$(now_ms)
# Killed and reaped inside one redirection: bash reports a killed background job ("line N: PID Killed ...") when
# it reaps it, and that line read as a failure to people running the scenario.
{ kill -9 "$(agent_pid lb1)"; wait "$(agent_pid lb1)"; } 2>/dev/null || true
in_ns lb1 ip link set "$ifname" down
check lb1_agent_gone bash -c "! kill -0 $(agent_pid lb1) 2>/dev/null && [[ -z \$(ip netns pids seed-lb1 | xargs -r ps -o comm= -p | grep -x reconciler) ]]"
wait_until 60 vip_on lb2 && vrrp_failover=$(( $(now_ms) - t_kill )) || vrrp_failover=-1
result failover_vip_on_lb2_ms "$vrrp_failover"
check lb2_holds_vip test "$vrrp_failover" -ge 0
wait_until 60 bash -c "! ip netns exec seed-lb2 ipvsadm -Sn | grep -q 'r 192.168.1.104:80' && ip netns exec seed-lb2 ipvsadm -Sn | grep -q 'r 192.168.1.103:80'" \
  && health_removed=$(( $(now_ms) - t_kill )) || health_removed=-1
result lb1_rs_removed_on_lb2_ms "$health_removed"
check lb2_removed_dead_lb1 test "$health_removed" -ge 0
wait_until 60 bash -c "tail -n 3 '$out/client.log' | grep -q ' ok lb2 '" || true
sleep 2
first_ok=$(first_ok_after "$t_kill")
result service_restored_after_ms "$(( ${first_ok:-$t_kill} - t_kill ))"
# The VIP is seen on lb2 by polling (every 0.2 s plus an `ip` process), so this gap can read a little short, even
# below 0: reported, not asserted.
result service_restored_after_vip_ms "$(( ${first_ok:-$t_kill} - t_kill - vrrp_failover ))"
# lb2 took over because lb1's adverts stopped: lb1's own real server (.104) leaves lb2's table at the takeover, not
# after its check's fall count (issue 16); the agent says so in its log. Its TCP check (1 s apart) may have seen .104
# go before VRRP's 3.6 s: then the takeover finds nothing left to withdraw, and says that instead.
check lb2_withdrew_lb1_rs_at_takeover grep -Eq \
  "took over from director lb1 \(192.168.1.104\), whose adverts stopped; its real servers withdrawn until their checks pass: (.*192.168.1.104:80|none \(no checked real server at its addresses is up\))" \
  "$out/agent-lb2.log"
# From lb2's own log stamps (the sampled figure above includes this loop's ipvsadm processes): its becoming MASTER to
# its first apply after it, the table then holding .103 alone.
takeover_at=$(grep -n "took over from director lb1 (192.168.1.104)" "$out/agent-lb2.log" | tail -n 1 | cut -d: -f1)
if [[ -n $takeover_at ]]; then
  master_stamp=$(awk -v n="$takeover_at" 'NR < n && /Backup -> Master/ { s = $1 } END { print s }' "$out/agent-lb2.log")
  applied_stamp=$(awk -v n="$takeover_at" 'NR > n && /Applied [0-9]+ operations/ { print $1; exit }' "$out/agent-lb2.log")
  if [[ -n $master_stamp && -n $applied_stamp ]]; then
    gap=$(( $(date -d "$applied_stamp" +%s%3N) - $(date -d "$master_stamp" +%s%3N) ))
    (( gap < 0 )) && gap=$(( gap + 86400000 ))
    result lb2_master_to_table_without_lb1_ms "$gap"
  fi
fi
result failed_requests_failover "$(client_failures_since "$mark")"
check client_served_by_lb2 bash -c "tail -n 5 '$out/client.log' | grep -q ' ok lb2 '"

# === 4. lb1 comes back =====================================================================================
log "4. lb1 comes back (link up, agent started): re-added on lb2's table, then the VIP returns (preempt)"
mark=$(client_mark)
t_back=$(now_ms)
in_ns lb1 ip link set "$ifname" up
start_agent lb1
wait_until 240 bash -c "ip netns exec seed-lb1 ip -br addr show dev $ifname | grep -q ' $vip/' && ! ip netns exec seed-lb2 ip -br addr show dev $ifname | grep -q ' $vip/'" \
  && preempt=$(( $(now_ms) - t_back )) || preempt=-1
result vip_back_on_lb1_ms "$preempt"
check vip_returns_to_lb1 test "$preempt" -ge 0
wait_until 60 bash -c "ip netns exec seed-lb1 ipvsadm -Sn | grep -q 'r 192.168.1.104:80' && [[ -z \$(ip netns exec seed-lb2 ipvsadm -Sn) ]]" || true
note "lb1's table: $(in_ns lb1 ipvsadm -Sn | tr '\n' ';')"
check lb1_table_back bash -c "ip netns exec seed-lb1 ipvsadm -Sn | grep -q -- '-r 192.168.1.103:80 -g -w 1' && ip netns exec seed-lb1 ipvsadm -Sn | grep -q -- '-r 192.168.1.104:80 -g -w 5'"
check lb2_released bash -c "[[ -z \$(ip netns exec seed-lb2 ipvsadm -Sn) ]]"
wait_until 30 bash -c "tail -n 3 '$out/client.log' | grep -q ' ok lb1 '" || true
result failed_requests_preempt "$(client_failures_since "$mark")"

# === 5. a weight change ====================================================================================
log "5. a commit changes .103's weight 1 -> 2: both agents take it within poll interval ($poll) + 1 s"
ops_lb1=$(ops_applied lb1); ops_lb2=$(ops_applied lb2)
write_topology 2 yes
# The plan for the commit before the agent sees it (committed, not pushed yet): the agent must then execute exactly it.
git -C "$work/checkout" add -A
git -C "$work/checkout" commit -q -m "Give lb2's real server weight 2"
weight_sha=$(git -C "$work/checkout" rev-parse HEAD)
in_ns lb1 "$bin" plan --repo "$work/checkout" --rev "$weight_sha" --node lb1 --state-dir "$work/state-lb1" --json \
  > "$out/plan-weight-lb1.json" 2> "$out/plan-weight-lb1.err" || true
git -C "$work/checkout" push -q origin main 2>/dev/null
t_push=$(now_ms) # the push is done: from here on it is the agents' time
# Both watched in one loop, so neither figure includes the other's wait: lb1 by its table (MASTER: the weight in
# IPVS), lb2 by its status (BACKUP holds no IPVS service: the commit in force).
lb1_latency=-1; lb2_latency=-1
applied_weight_sha="\"applied\": *\\{[^}]*\"sha\": *\"$weight_sha\""
while (( $(now_ms) - t_push < 60000 )) && (( lb1_latency < 0 || lb2_latency < 0 )); do
  if (( lb1_latency < 0 )) && ipvs_has lb1 "-r 192.168.1.103:80 -g -w 2"; then lb1_latency=$(( $(now_ms) - t_push )); fi
  if (( lb2_latency < 0 )) && [[ $(in_ns lb2 curl -sf --max-time 60 http://127.0.0.1:9477/status) =~ $applied_weight_sha ]]; then
    lb2_latency=$(( $(now_ms) - t_push ))
  fi
  sleep 0.1 # a look costs two processes: leave the agents the guest's CPUs
done
# The figure itself comes from the agents' own log stamps, not from this loop's sampling (a curl and an ipvsadm
# process per look): lb1's first "Applied" line after the commit came into force (its IPVS change done), lb2's "now in
# force" line (a BACKUP holds no IPVS service). Stamps are wall-clock time of day, as `date` reads it here.
agent_stamp() { # agent_stamp LOG SHA [PATTERN]: the stamp of the in-force line, or of the first PATTERN line after it
  awk -v sha="${2:0:12}" -v want="${3:-}" '
    index($0, "Topology at commit " sha " ") && /is now in force/ { if (want == "") { print $1; exit } found = 1; next }
    found && $0 ~ want { print $1; exit }' "$1"
}
stamp_ms() { local ms; ms=$(date -d "$1" +%s%3N); (( ms < t_push - 43200000 )) && ms=$(( ms + 86400000 )); echo "$ms"; }
wait_until 30 bash -c "[[ -n \$(awk -v s='${weight_sha:0:12}' 'index(\$0, s) && /now in force/ {f=1} f && /Applied [0-9]+ operations/ {print; exit}' '$out/agent-lb1.log') ]]" || true
wait_until 30 grep -q "Topology at commit ${weight_sha:0:12} .*is now in force" "$out/agent-lb2.log" || true
stamp_lb1=$(agent_stamp "$out/agent-lb1.log" "$weight_sha" "Applied [0-9]+ operations")
stamp_lb2=$(agent_stamp "$out/agent-lb2.log" "$weight_sha")
applied_lb1=-1; applied_lb2=-1
[[ -n $stamp_lb1 ]] && applied_lb1=$(( $(stamp_ms "$stamp_lb1") - t_push ))
[[ -n $stamp_lb2 ]] && applied_lb2=$(( $(stamp_ms "$stamp_lb2") - t_push ))
result commit_to_applied_lb1_ms "$applied_lb1"
result commit_to_applied_lb2_ms "$applied_lb2"
result commit_to_seen_lb1_ms "$lb1_latency" # as this loop saw it: the agent's time plus the sampling's
result commit_to_seen_lb2_ms "$lb2_latency"
sleep 1 # a second more for any operation beyond the one expected to show in the count
result weight_change_ops_lb1 "$(( $(ops_applied lb1) - ops_lb1 ))"
result weight_change_ops_lb2 "$(( $(ops_applied lb2) - ops_lb2 ))"
check weight_applied_lb1 test "$lb1_latency" -ge 0
check weight_seen_lb2 test "$lb2_latency" -ge 0
check weight_change_is_one_op test "$(( $(ops_applied lb1) - ops_lb1 ))" = 1
in_ns lb1 curl -sf --max-time 60 http://127.0.0.1:9477/plan > "$out/plan-weight-lb1-executed.json" || true
same_plan() {
  python3 - "$out/plan-weight-lb1.json" "$out/plan-weight-lb1-executed.json" <<'PY'
import json, sys
printed, executed = (json.load(open(p)) for p in sys.argv[1:3])
keys = ("node", "steps", "revision", "observedFingerprint")
diff = [k for k in keys if printed.get(k) != executed.get(k)]
if diff or not printed.get("steps"):
    print("plans differ in", diff or "(no steps)", "\nprinted:", json.dumps(printed)[:2000], "\nexecuted:", json.dumps(executed)[:2000])
    sys.exit(1)
PY
}
check plan_printed_is_plan_executed same_plan
# Push to applied: at most one poll interval until the next poll starts (polls start one interval apart), then one
# git connection, evaluation, plan and apply in the second left. Reported, not asserted: the git connection is mostly
# the server's time (git daemon forks upload-pack, then pack-objects) and grows with the machine's load: 0.5-0.7 s
# here on a quiet host, 1.4-2.5 s beside two CPU hogs, so an assertion would fail on the phase of the push, not on
# the agent (bench/'s `commit` benchmark measures the distribution).
within() { if (( $1 >= 0 && $1 <= poll_seconds * 1000 + 1000 )); then echo yes; else echo "no"; fi; }
result within_poll_plus_1s_lb1 "$(within "$applied_lb1")"
result within_poll_plus_1s_lb2 "$(within "$applied_lb2")"
# history reads the agent's own cache of the repository (no network) and its audit journal.
in_ns lb1 "$bin" history --repo "$(ls -d "$work"/state-lb1/git/*.git | head -n 1)" --rev refs/remotes/origin/main \
  --state-dir "$work/state-lb1" --node lb1 -n 3 | tee "$out/history.txt"
check history_shows_commit bash -c "grep -q 'Give lb2' '$out/history.txt' && grep -q 'Ops Alice' '$out/history.txt'"

# === 6. an invalid commit ==================================================================================
log "6. an invalid commit: rejected by both with its location; the kernel unchanged; the next valid one applies"
before_lb1=$(in_ns lb1 ipvsadm -Sn); before_lb2=$(in_ns lb2 ipvsadm -Sn)
sed -i 's/scheduler: wrr/scheduler: fastest/' "$work/checkout/topology.yaml"
bad_sha=$(commit "Try a scheduler that does not exist")
rejected_in() { status_json "$1" | python3 -c "import json,sys; d=json.load(sys.stdin)['source']; print((d['rejected'] or {}).get('sha','')); print('\n'.join(d['rejectedReasons']))"; }
wait_until 60 bash -c "ip netns exec seed-lb1 curl -sf --max-time 60 http://127.0.0.1:9477/status | grep -q $bad_sha" || true
wait_until 60 bash -c "ip netns exec seed-lb2 curl -sf --max-time 60 http://127.0.0.1:9477/status | grep -q $bad_sha" || true
rejected_in lb1 | tee "$out/rejected-lb1.txt"
rejected_in lb2 > "$out/rejected-lb2.txt"
check rejected_by_lb1 bash -c "head -n 1 '$out/rejected-lb1.txt' | grep -q $bad_sha && grep -q 'topology.yaml:[0-9]*:[0-9]*' '$out/rejected-lb1.txt'"
check rejected_by_lb2 bash -c "head -n 1 '$out/rejected-lb2.txt' | grep -q $bad_sha && grep -q 'topology.yaml:[0-9]*:[0-9]*' '$out/rejected-lb2.txt'"
check kernel_unchanged_lb1 test "$before_lb1" = "$(in_ns lb1 ipvsadm -Sn)"
check kernel_unchanged_lb2 test "$before_lb2" = "$(in_ns lb2 ipvsadm -Sn)"
write_topology 1 yes
fixed_sha=$(commit "Back to the seed's weights")
wait_until 60 ipvs_has lb1 "-r 192.168.1.103:80 -g -w 1" && fixed=0 || fixed=1
expect next_valid_commit_applies "$fixed"

# === 7. lb2's agent restarts under traffic ==================================================================
log "7. lb2's agent restarts (SIGTERM, start) while the client runs: zero failed requests, zero operations"
before_lb2=$(in_ns lb2 ipvsadm -Sn); lo_before=$(in_ns lb2 ip -br addr show dev lo)
mark=$(client_mark)
old_agent=$(agent_pid lb2)
t_term=$(now_ms)
kill -TERM "$old_agent"
term_exit=0
wait "$old_agent" 2>/dev/null || term_exit=$?
result agent_stop_on_sigterm_ms "$(( $(now_ms) - t_term ))"
result agent_exit_on_sigterm "$term_exit"
check lb2_agent_stopped_on_sigterm bash -c "! kill -0 $old_agent 2>/dev/null"
check lb2_agent_exit_zero_on_sigterm test "$term_exit" = 0
start_agent lb2
check lb2_agent_restarted test "$(agent_pid lb2)" != "$old_agent"
wait_until 240 agent_ready lb2 || true
wait_until 60 bash -c "[[ \$(ip netns exec seed-lb2 curl -sf --max-time 60 http://127.0.0.1:9477/status | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"vrrp\"][0][\"state\"])' 2>/dev/null) == BACKUP ]]" || true
sleep 3
restart_ops=$(ops_applied lb2)
result restart_failed_requests "$(client_failures_since "$mark")"
note "failed requests during the restart: $(client_failure_lines "$mark")"
result restart_slowest_request_s "$(client_slowest_since "$mark")"
result restart_requests "$(client_requests_since "$mark")"
result restart_ops_lb2 "$restart_ops"
check restart_zero_failed_requests test "$(client_failures_since "$mark")" = 0
check restart_zero_operations test "$restart_ops" = 0
check restart_kernel_unchanged bash -c "[[ '$before_lb2' == \"\$(ip netns exec seed-lb2 ipvsadm -Sn)\" && '$lo_before' == \"\$(ip netns exec seed-lb2 ip -br addr show dev lo)\" ]]"
in_ns lb1 "$bin" status | tee "$out/status-lb1.txt"
touch "$work/stop-client"

# === summary ================================================================================================
total=$(wc -l < "$out/client.log"); failed_total=$(grep -c ' fail ' "$out/client.log" || true)
result client_requests_total "$total"
result client_failed_total "$failed_total"
{
  echo "{"
  for i in "${!results[@]}"; do
    key=${results[$i]%%=*}; value=${results[$i]#*=}
    printf '  "%s": "%s"%s\n' "$key" "$value" "$([[ $i -lt $(( ${#results[@]} - 1 )) ]] && echo ,)"
  done
  echo "}"
} > "$out/results.json"

log "summary"
printf '%-36s %s\n' "figure / check" "result"
for entry in "${results[@]}"; do printf '%-36s %s\n' "${entry%%=*}" "${entry#*=}"; done
echo
if (( failures > 0 )); then
  echo "seed HA scenario: $failures checks FAILED (agent logs: $out/agent-lb1.log, $out/agent-lb2.log; client: $out/client.log)"
  exit 1
fi
echo "seed HA scenario: every check passed"
