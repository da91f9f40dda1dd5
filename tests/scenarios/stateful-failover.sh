#!/usr/bin/env bash
# Stateful failover: long-lived TCP connections through a VIP survive a hard kill of the MASTER director, because
# the IPVS connection table was synchronised to the BACKUP (the kernel's sync daemons, keepalived's lvs_sync_daemon).
#
# One bridge sf-br, one /24 (10.20.0.0/24), one namespace per machine: directors lb1 .11 (MASTER, priority 100) and
# lb2 .12 (BACKUP, 80), real servers rs1 .21 and rs2 .22 (LVS-DR: the VIP on lo, arp_ignore=1, arp_announce=2; nginx
# on :80 answering its own name, a TCP echo server on :5000), a client .100. VIP 10.20.0.50: :80 mh with mh-port and
# :5000 rr with persistence 50 s (so persistence templates are synced too), both DR, TCP health checks. With connection
# sync the directors run with net.ipv4.vs.sloppy_tcp=1 (ours sets it; for keepalived the script does): a request whose
# handshake straddles a move (SYN through one director, ACK to the other, which was not sent the half-open
# connection: the kernel syncs established states only) is then scheduled by its ACK, and mh, deciding the same on
# both directors, sends it to the real server that has its other half. With rr, or without sloppy_tcp, it is reset:
# the lab saw it once in a handover beside two CPU hogs.
#
# Two runs in the same guest, each on freshly built namespaces (fresh IPVS state), torn down in between:
#   A. keepalived (the anchor): keepalived on lb1 and lb2, VRRP v2 VI_1 vrid 51, the two virtual_servers with
#      TCP_CHECK, and `global_defs { lvs_sync_daemon eth0 VI_1 }` as keepalived users write it.
#   B. ours: `reconciler agent` on lb1 and lb2 from a file:// git repository, the same services, and
#      `connectionSync: {}` on the VRRP instance (every node runs the kernel's master and backup sync daemons).
# Each run: the pair starts; the VIP and the services are on lb1 and lb2's backup sync daemon runs; a curl client
# (one request per 200 ms) and N long-lived TCP streams to VIP:5000 start (one python3 process, one thread per
# connection: a numbered line every 100 ms, its echo compared byte for byte); the run waits until lb2's connection
# table lists all N streams ESTABLISHED (synced), then lb1 dies hard (every process in sf-lb1 SIGKILLed, its
# bridge-side veth down); once the VIP is on lb2 the streams run until each has done 20 more verified round trips
# (or failed). A stream survived when it never saw a reset, a close, a mismatch or a stall (below).
#
# Stalls: a round trip must come back within SF_RT_TIMEOUT (3 s), except the one that was in flight across the
# failover (sent before the VIP was seen on lb2, after the kill): TCP retransmits it with exponential backoff, so it
# comes back only at the first retransmission after the VIP moved, which can be several seconds after the move. That
# one gets SF_FAILOVER_TIMEOUT (60 s), which only bounds a failure; its duration is reported (longest_stall_ms).
#
# Figures (prefix keepalived_ / ours_): connections, connections_survived, sync_wait_ms (all N connected -> all N
# ESTABLISHED on lb2), vip_moved_ms (kill -> VIP on lb2), service_restored_ms (VIP on lb2 -> first curl success
# after the kill), failed_requests (curl failures from the kill to the end of the run), and more. Checks: ours kept
# every connection; ours' lb2 ran both sync daemons; the keepalived anchor ran (its figures measured).
#
# Usage: tests/scenarios/stateful-failover.sh            (prepares the lab, boots a guest, runs both halves)
#        tests/scenarios/stateful-failover.sh --in-guest (inside a lab guest; what the kernel test suite runs)
# Environment: RECONCILER_BIN (default artifacts/bin/reconciler; without --in-guest and unset, published there first),
#   SCENARIO_OUT (default artifacts/stateful-failover), SF_ONLY=keepalived|ours (run one half only), SF_CONNECTIONS (8),
#   SF_CONNECTION_SYNC=no (negative control: no sync configured, the streams must die), SF_ARP_QUEUE=0 (a gentler client,
#   see below), SF_RT_TIMEOUT / SF_FAILOVER_TIMEOUT (seconds, see Stalls).
# Exit status 0 only when every check held.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

if [[ "${1:-}" != "--in-guest" ]]; then
  # shellcheck source=tests/lab/root.sh
  source tests/lab/root.sh
  become_root stateful-failover "it installs Debian packages and boots the kernel lab" "$root/tests/scenarios/stateful-failover.sh" "$@"
  # shellcheck source=tests/lab/phases.sh
  source tests/lab/phases.sh
  phase_total=3
  phase_start 1 lab "preparing the kernel lab: Debian packages, the lab's kernel, its initramfs (minutes the first time, then instant)"
  bash tests/lab/prepare.sh
  if [[ -z ${RECONCILER_BIN:-} ]]; then
    phase_start 2 publish "publishing the reconciler executable to artifacts/bin (NativeAOT; minutes)"
    dotnet publish src/Reconciler.Cli -c Release -r linux-x64 -o "$root/artifacts/bin" -nologo -clp:ErrorsOnly
    RECONCILER_BIN=$root/artifacts/bin/reconciler
  fi
  out=${SCENARIO_OUT:-$root/artifacts/stateful-failover}
  mkdir -p "$out"
  envs=(--env SCENARIO_OUT="$out" --env RECONCILER_BIN="$RECONCILER_BIN")
  [[ -n ${SF_ONLY:-} ]] && envs+=(--env SF_ONLY="$SF_ONLY")
  [[ -n ${SF_CONNECTIONS:-} ]] && envs+=(--env SF_CONNECTIONS="$SF_CONNECTIONS")
  [[ -n ${SF_CONNECTION_SYNC:-} ]] && envs+=(--env SF_CONNECTION_SYNC="$SF_CONNECTION_SYNC")
  [[ -n ${SF_ARP_QUEUE:-} ]] && envs+=(--env SF_ARP_QUEUE="$SF_ARP_QUEUE")
  phase_start 3 scenario "booting the lab guest and running the scenario (minutes under emulation)"
  status=0
  bash tests/lab/run.sh --cpus 2 --timeout 900 --share "$out" "${envs[@]}" \
    -- bash tests/scenarios/stateful-failover.sh --in-guest || status=$?
  phase_end "exit status $status; figures in $out/results.json"
  phase_summary stateful-failover
  exit "$status"
fi

bin=${RECONCILER_BIN:-$root/artifacts/bin/reconciler}
out=${SCENARIO_OUT:-$root/artifacts/stateful-failover}
only=${SF_ONLY:-}
conns=${SF_CONNECTIONS:-8}
# SF_CONNECTION_SYNC=no: the negative control (no lvs_sync_daemon, no connectionSync): the streams must then die.
sync=${SF_CONNECTION_SYNC:-yes}
# SF_ARP_QUEUE=1 (the default): at the kill the client forgets lb1's MAC and keeps resolving the VIP (mcast_solicit
# 100), so the streams' retransmissions wait in its ARP queue and reach lb2 the moment lb2 announces the VIP
# (gratuitous ARP), as packets from a router with steady traffic would. With 0 they arrive at TCP's next backoff,
# seconds later, which hid a gap between the VIP's arrival and the IPVS services' on lb2 (fixed: an instance that
# synchronises connections keeps its services on every node).
arp_queue=${SF_ARP_QUEUE:-1}
rt_timeout=${SF_RT_TIMEOUT:-3}
failover_timeout=${SF_FAILOVER_TIMEOUT:-60}
after_move=20 # verified round trips each stream must do after the VIP moved
client_timeout=3 # curl --max-time
mkdir -p "$out"
rm -f "$out"/keepalived-* "$out"/ours-* "$out"/results.json # this run's only
work=$(mktemp -d /tmp/stateful-failover.XXXXXX)
vip=10.20.0.50
net=10.20.0
hosts=(lb1 lb2 rs1 rs2 client)
declare -A address=([lb1]=$net.11 [lb2]=$net.12 [rs1]=$net.21 [rs2]=$net.22 [client]=$net.100)
pids=()
results=()
failures=0

case $only in
  "" | keepalived | ours) ;;
  *) echo "SF_ONLY must be keepalived or ours, not '$only'" >&2; exit 2 ;;
esac

# now_ms, log, note, result, expect, check: the scenarios' shared helpers.
source "$root/tests/scenarios/common.sh"

# A command in a machine's network namespace. nsenter (network only), not `ip netns exec`, for the short commands this
# script runs many times a second: `ip netns exec` also makes a mount namespace and remounts /sys each time, which the
# emulated guest feels. The daemons (nginx, socat, keepalived, the agents) start through `ip netns exec`.
in_ns() { local ns=$1; shift; nsenter --net="/run/netns/sf-$ns" -- "$@"; }
wait_until() { # wait_until SECONDS CMD...: true once CMD succeeds
  local deadline=$(( EPOCHSECONDS + $1 )); shift
  while (( EPOCHSECONDS < deadline )); do "$@" && return 0; sleep 0.2; done
  return 1
}

# started PID: a process this script started (killed at teardown). Disowned: its death is no job-control news.
started() { pids+=("$1"); disown "$1" 2>/dev/null || true; }
teardown() {
  local pid ns
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  pids=()
  for ns in "${hosts[@]}"; do
    ip netns pids "sf-$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  done
  for ns in "${hosts[@]}"; do
    ip link del "sf-$ns-p" 2>/dev/null || true # deletes both ends of the veth at once
    ip netns del "sf-$ns" 2>/dev/null || true
  done
  ip link del sf-br 2>/dev/null || true
}
cleanup() { teardown; rm -rf "$work"; }
trap cleanup EXIT

for tool in ip nsenter ipvsadm keepalived nginx socat python3 curl git; do
  command -v "$tool" >/dev/null || { echo "missing in the guest: $tool" >&2; exit 2; }
done
[[ $only == keepalived || -x $bin ]] || { echo "reconciler binary not found: $bin" >&2; exit 2; }

# --- the network: a bridge, one namespace per machine; real servers with the VIP on lo -------------------------
build_network() {
  local h
  ip link add sf-br type bridge
  ip link set sf-br up
  for h in "${hosts[@]}"; do
    ip netns add "sf-$h"
    ip link add "sf-$h-p" type veth peer name tmp0 netns "sf-$h"
    ip link set "sf-$h-p" master sf-br up
    in_ns "$h" ip link set tmp0 name eth0
    in_ns "$h" ip link set lo up
    in_ns "$h" ip link set eth0 up
    in_ns "$h" ip addr add "${address[$h]}/24" dev eth0
  done
  for h in rs1 rs2; do
    # LVS-DR real server: the VIP is local (on lo), never answered or announced in ARP.
    in_ns "$h" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
      net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2
    in_ns "$h" ip addr add "$vip/32" dev lo
    mkdir -p "$work/$h"
    cat > "$work/$h/nginx.conf" <<EOF
worker_processes 1; daemon on; pid $work/$h/nginx.pid; error_log $work/$h/nginx.err;
events { worker_connections 256; }
http { access_log off;
  server { listen 80; location / { add_header X-RS $h always; return 200 "$h\n"; } }
}
EOF
    in_ns "$h" nginx -c "$work/$h/nginx.conf"
    # The echo server: one socat child per connection, echoing through a pipe (no exec per connection or health check).
    ip netns exec "sf-$h" socat TCP-LISTEN:5000,reuseaddr,fork PIPE &
    started "$!"
  done
}

# --- the directors: table and daemons -------------------------------------------------------------------------
# Both services with both real servers, as `ipvsadm -Sn` prints them.
# (Matched in bash, not by grep processes: a process costs the emulated guest tens of milliseconds.)
ipvs_complete() {
  local dump line; dump=$(in_ns "$1" ipvsadm -Sn 2>/dev/null) || return 1
  for line in "-A -t $vip:80 -s mh" "-A -t $vip:5000 -s rr -p 50" "-a -t $vip:80 -r $net.21:80 -g" \
    "-a -t $vip:80 -r $net.22:80 -g" "-a -t $vip:5000 -r $net.21:5000 -g" "-a -t $vip:5000 -r $net.22:5000 -g"; do
    [[ $dump == *"$line"* ]] || return 1
  done
}
vip_on() { ip -n "sf-$1" -br addr show dev eth0 2>/dev/null | grep -q " $vip/"; }
daemon_runs() { [[ $'\n'$(in_ns "$1" ipvsadm -ln --daemon 2>/dev/null) == *$'\n'"$2 sync daemon"* ]]; } # daemon_runs lb2 backup

keepalived_conf() {
  local lb=$1 state=$2 priority=$3 port
  {
    cat <<EOF
global_defs {
  router_id $lb
$( [[ $sync == yes ]] && echo "  lvs_sync_daemon eth0 VI_1" )
}
vrrp_instance VI_1 {
  state $state
  interface eth0
  virtual_router_id 51
  priority $priority
  advert_int 1
  virtual_ipaddress {
    $vip/32 dev eth0
  }
}
EOF
    for port in 80 5000; do
      cat <<EOF
virtual_server $vip $port {
  delay_loop 1
$( [[ $port == 80 ]] && printf '  lb_algo mh\n  mh-port' || echo "  lb_algo rr" )
  lb_kind DR
  protocol TCP
$( [[ $port == 5000 ]] && echo "  persistence_timeout 50" )
  real_server $net.21 $port {
    weight 1
    TCP_CHECK {
      connect_timeout 1
      retry 1
      delay_before_retry 1
    }
  }
  real_server $net.22 $port {
    weight 1
    TCP_CHECK {
      connect_timeout 1
      retry 1
      delay_before_retry 1
    }
  }
}
EOF
    done
  } > "$work/keepalived-$lb.conf"
}
start_keepalived() {
  local lb=$1
  # Not forking (-n), not respawning a killed child (--dont-respawn: a respawned VRRP child of the killed MASTER would
  # come back and preempt), console log; pid files of its own so nothing collides with another keepalived.
  ip netns exec "sf-$lb" keepalived -n -l -D --dont-respawn -f "$work/keepalived-$lb.conf" \
    -p "$work/keepalived-$lb.pid" -r "$work/keepalived-vrrp-$lb.pid" -c "$work/keepalived-check-$lb.pid" \
    >> "$out/keepalived-$lb.log" 2>&1 &
  started "$!"
}
start_keepalived_pair() {
  if [[ $sync == yes ]]; then # as a keepalived user with lvs_sync_daemon would (see the header)
    in_ns lb1 sysctl -qw net.ipv4.vs.sloppy_tcp=1
    in_ns lb2 sysctl -qw net.ipv4.vs.sloppy_tcp=1
  fi
  keepalived_conf lb1 MASTER 100
  keepalived_conf lb2 BACKUP 80
  cp "$work/keepalived-lb1.conf" "$out/keepalived-lb1.conf"
  start_keepalived lb1
  start_keepalived lb2
}

write_topology() {
  cat > "$work/checkout/topology.yaml" <<EOF
nodes:
  - name: lb1
    addresses: [${address[lb1]}]
    interfaces: [eth0]
  - name: lb2
    addresses: [${address[lb2]}]
    interfaces: [eth0]
vrrpInstances:
  - name: VI_1
    interface: eth0
    virtualRouterId: 51
    priorities: {lb1: 100, lb2: 80}
    virtualAddresses: [$vip]
$( [[ $sync == yes ]] && echo "    connectionSync: {}" )
services:
EOF
  local port
  for port in 80 5000; do
    cat >> "$work/checkout/topology.yaml" <<EOF
  - name: tcp-$vip-$port
    address: $vip
    port: $port
$( [[ $port == 80 ]] && printf '    scheduler: mh\n    schedulerFlags: [mh-port]' || echo "    scheduler: rr" )
    forwarding: dr
$( [[ $port == 5000 ]] && echo "    persistence: {timeout: 50s}" )
    vrrpInstance: VI_1
    healthCheck:
      type: tcp
      interval: 1s
      connectTimeout: 1s
      retries: 1
      delayBeforeRetry: 500ms
    realServers:
      - address: $net.21
        port: $port
        weight: 1
      - address: $net.22
        port: $port
        weight: 1
EOF
  done
}
start_agent() {
  local lb=$1
  mkdir -p "$work/state-$lb"
  # `ip netns exec` execs: $! is the agent itself.
  ip netns exec "sf-$lb" "$bin" agent --node "$lb" --repo "file://$work/git/topology.git" --state-dir "$work/state-$lb" \
    --poll-interval 2s >> "$out/ours-agent-$lb.log" 2>&1 &
  started "$!"
}
agent_ready() { in_ns "$1" curl -sf --max-time 5 http://127.0.0.1:9477/healthz >/dev/null 2>&1; }
start_ours_pair() {
  local git=(git -c user.name="Ops Alice" -c user.email=alice@example.com -c init.defaultBranch=main)
  rm -rf "$work/git" "$work/checkout" "$work"/state-lb*
  "${git[@]}" init -q --bare "$work/git/topology.git"
  "${git[@]}" clone -q "$work/git/topology.git" "$work/checkout" 2>/dev/null
  write_topology
  cp "$work/checkout/topology.yaml" "$out/ours-topology.yaml"
  local valid=0
  "$bin" validate "$work/checkout/topology.yaml" > "$out/ours-validate.txt" 2>&1 || valid=1
  cat "$out/ours-validate.txt"
  expect ours_topology_valid "$valid" "$(head -c 300 "$out/ours-validate.txt" | tr '\n' ' ')"
  (( valid == 0 )) || return 1
  "${git[@]}" -C "$work/checkout" add -A
  "${git[@]}" -C "$work/checkout" commit -q -m "Stateful failover: VIP $vip, connection sync on VI_1"
  "${git[@]}" -C "$work/checkout" push -q origin HEAD:main 2>/dev/null
  start_agent lb1
  start_agent lb2
}

# --- the curl client: a request every 200 ms -----------------------------------------------------------------------
# One curl process for all requests (--rate 5/s, serial; a new connection each, Connection: close): a curl process per
# request costs the emulated guest about a second to start, which would make it one request every 1.2-1.6 s instead.
# Each request is logged when it ends: start_ms end_ms ok RS took | start_ms end_ms fail curl=CODE took
# (7 refused, 28 timed out, 52 empty reply, 56 reset).
cat > "$work/curl-loop.sh" <<'SH'
# curl-loop.sh LOG URL MAXTIME: runs inside the client's namespace.
log=$1 url=$2 maxtime=$3
# The -w line goes to stderr, which is unbuffered (stdout into a pipe would come in 4 KB blocks, stamped late).
curl -s --rate 5/s --max-time "$maxtime" -H 'Connection: close' -o /dev/null \
  -w '%{stderr}REQ %{exitcode} %{time_total} %header{x-rs}\n' "$url?n=[1-1000000]" 2>&1 >/dev/null |
while read -r tag code took rs; do
  [[ $tag == REQ ]] || continue
  e=$(( ${EPOCHREALTIME/./} / 1000 ))
  [[ $took =~ ^[0-9]+\.[0-9]{6}$ ]] || took=0.000000
  ms=${took/./}; ms=$(( 10#${ms:0:-3} )) # seconds with 6 decimals -> ms
  if [[ $code == 0 && $rs == rs[12] ]]; then
    echo "$(( e - ms )) $e ok $rs ${took}s"
  else
    echo "$(( e - ms )) $e fail curl=$code ${took}s"
  fi >> "$log"
done
SH
start_curl_client() {
  local log=$1
  : > "$log"
  ip netns exec sf-client bash "$work/curl-loop.sh" "$log" "http://$vip/" "$client_timeout" &
  curl_pid=$!
  started "$curl_pid"
}
stop_curl_client() { # its curl, found by name in the client's namespace: the loop then ends at its end of input
  local pid
  for pid in $(ip netns pids sf-client); do
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == curl ]] && kill "$pid" 2>/dev/null
  done
  wait_until 15 bash -c "! kill -0 $curl_pid 2>/dev/null" || true
}

# --- the streams: N long-lived TCP connections to VIP:5000, one python3 process ----------------------------------
cat > "$work/streams.py" <<'PY'
"""N TCP streams to an echo service: each sends a numbered line every 100 ms and checks its echo byte for byte.

argv: host port n workdir rt_timeout failover_timeout
Reads workdir/kill_at and workdir/vip_at (epoch ms, written by the scenario) and stops when workdir/stop-streams
exists. Writes workdir/streams.txt every 250 ms, one line per connection:
  index local_port ok ok_after_move longest_ms error_at_ms|- error|-
and workdir/streams.json at the end (the same, plus the connection events).
"""
import hashlib, json, os, select, socket, sys, threading, time

host, port, n, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rt_timeout, failover_timeout = float(sys.argv[5]), float(sys.argv[6])
lock = threading.Lock()
stop = threading.Event()
phase = {"kill_at": None, "vip_at": None}


def now_ms():
    return int(time.time() * 1000)


class Stream:
    def __init__(self, index):
        self.index, self.port, self.ok, self.ok_after, self.longest = index, 0, 0, 0, 0
        self.error, self.error_at, self.connected_at, self.peer = None, None, None, None

    def fail(self, error):
        with lock:
            if self.error is None:
                self.error, self.error_at = error, now_ms()

    def limit(self, sent_at):
        """The longest a round trip sent at sent_at may take: the one in flight across the failover gets more."""
        kill_at, vip_at = phase["kill_at"], phase["vip_at"]
        if kill_at is not None and (vip_at is None or sent_at < vip_at):
            return failover_timeout
        return rt_timeout

    def run(self):
        try:
            sock = socket.create_connection((host, port), timeout=10)
        except OSError as e:
            self.fail(f"connect: {e!r}")
            return
        sock.settimeout(None)
        with lock:
            self.port, self.connected_at = sock.getsockname()[1], now_ms()
        seq = 0
        try:
            while not stop.is_set():
                seq += 1
                line = f"{self.index:02d} {seq:07d} {hashlib.sha256(f'{self.index}:{seq}'.encode()).hexdigest()}\n".encode()
                sent_at = now_ms()
                sock.sendall(line)
                got = b""
                while len(got) < len(line):
                    ready, _, _ = select.select([sock], [], [], 0.1)
                    if ready:
                        chunk = sock.recv(len(line) - len(got))
                        if not chunk:
                            raise ConnectionError("closed by the peer (EOF)")
                        got += chunk
                    elif now_ms() - sent_at > self.limit(sent_at) * 1000:
                        raise TimeoutError(f"no echo of line {seq} within {self.limit(sent_at):g} s")
                    if stop.is_set() and not got:
                        return
                took = now_ms() - sent_at
                if got != line:
                    raise ValueError(f"mismatch on line {seq}: sent {line!r}, got {got!r}")
                with lock:
                    self.ok += 1
                    self.longest = max(self.longest, took)
                    if phase["vip_at"] is not None and sent_at >= phase["vip_at"]:
                        self.ok_after += 1
                stop.wait(0.1)
        except ConnectionResetError as e:
            self.fail(f"reset: {e!r}")
        except (OSError, ValueError) as e:  # TimeoutError and ConnectionError are OSErrors
            self.fail(f"{type(e).__name__}: {e}")
        finally:
            sock.close()


def read_phase(name):
    try:
        with open(os.path.join(work, name)) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def write_status(final=False):
    with lock:
        rows = [(s.index, s.port, s.ok, s.ok_after, s.longest, s.error_at, s.error) for s in streams]
    text = "".join(f"{i} {p} {ok} {after} {longest} {at if at else '-'} {err or '-'}\n"
                   for i, p, ok, after, longest, at, err in rows)
    with open(os.path.join(work, "streams.tmp"), "w") as f:
        f.write(text)
    os.replace(os.path.join(work, "streams.tmp"), os.path.join(work, "streams.txt"))
    if final:
        doc = {"kill_at": phase["kill_at"], "vip_at": phase["vip_at"], "rt_timeout_s": rt_timeout,
               "failover_timeout_s": failover_timeout,
               "streams": [{"index": i, "local_port": p, "ok": ok, "ok_after_vip_moved": after, "longest_ms": longest,
                            "error_at": at, "error": err} for i, p, ok, after, longest, at, err in rows]}
        with open(os.path.join(work, "streams.json"), "w") as f:
            json.dump(doc, f, indent=1)


streams = [Stream(i) for i in range(n)]
threads = [threading.Thread(target=s.run, daemon=True) for s in streams]
for t in threads:
    t.start()
while not os.path.exists(os.path.join(work, "stop-streams")):
    phase["kill_at"] = phase["kill_at"] or read_phase("kill_at")
    phase["vip_at"] = phase["vip_at"] or read_phase("vip_at")
    write_status()
    time.sleep(0.25)
stop.set()
for t in threads:
    t.join(timeout=5)
write_status(final=True)
PY

start_streams() {
  rm -f "$work/streams.txt" "$work/streams.json" "$work/kill_at" "$work/vip_at" "$work/stop-streams"
  ip netns exec sf-client python3 "$work/streams.py" "$vip" 5000 "$conns" "$work" "$rt_timeout" "$failover_timeout" \
    > "$work/streams.out" 2>&1 &
  streams_pid=$!
  started "$streams_pid"
}
streams_status() { cat "$work/streams.txt" 2>/dev/null || true; }
# Every stream connected and at least one round trip verified, none failed.
streams_up() { [[ $(streams_status | awk '$2 > 0 && $3 >= 1 && $6 == "-"' | wc -l) == "$conns" ]]; }
streams_failed() { streams_status | awk '$6 != "-"' | wc -l; }
# Each stream either did $after_move verified round trips after the VIP moved, or failed.
streams_done_after_move() { [[ $(streams_status | awk -v k="$after_move" '$4 >= k || $6 != "-"' | wc -l) == "$conns" ]]; }
stream_ports() { streams_status | awk '{ print $2 }'; }
# How many of our streams lb2's table lists ESTABLISHED to VIP:5000.
synced_streams() {
  local listed ports
  listed=$(in_ns lb2 ipvsadm -Lnc 2>/dev/null | awk -v v="$vip:5000" -v c="${address[client]}" \
    '$1 == "TCP" && $3 == "ESTABLISHED" && $5 == v { split($4, a, ":"); if (a[1] == c) print a[2] }')
  ports=$(stream_ports)
  # (no process substitution: the guest has no /dev/fd)
  printf '%s\n--\n%s\n' "$ports" "$listed" \
    | awk '$1 == "--" { listed = 1; next } !listed { if ($1 > 0) want[$1] = 1; next } ($1 in want) && !seen[$1]++ { n++ } END { print n + 0 }'
}
all_synced() { [[ $(synced_streams) == "$conns" ]]; }
template_synced() { in_ns lb2 ipvsadm -Lnc 2>/dev/null | grep -q " ${address[client]}:0 *$vip:5000 "; }

# === ours only: a planned handover and back, while the streams and the client run ====================================
# Each stream must do this many more verified round trips after a move (or fail): the move is then behind it.
streams_progressed() { # streams_progressed SNAPSHOT: every stream 20 round trips past its count in SNAPSHOT, or failed
  [[ $(streams_status | awk -v f="$1" 'BEGIN { while ((getline l < f) > 0) { split(l, a, " "); base[a[1]] = a[2] } }
    $3 >= base[$2] + 20 || $6 != "-"' | wc -l) == "$conns" ]]
}
planned_handover() {
  local mark t_h rc snapshot="$work/handover-snapshot.txt"
  log "ours: 'reconciler handover' on lb1 (MASTER) while the streams and the client run"
  mark=$(wc -l < "$out/ours-client.log")
  streams_status | awk '{ print $2, $3 }' > "$snapshot"
  t_h=$(now_ms)
  rc=0
  in_ns lb1 "$bin" handover --timeout 120s > "$out/ours-handover.txt" 2>&1 || rc=$?
  result ours_handover_ms "$(( $(now_ms) - t_h ))"
  note "handover said: $(tr '\n' ';' < "$out/ours-handover.txt")"
  check ours_handover_command_succeeded test "$rc" = 0
  check ours_handover_reports_the_peer grep -q "VRRP VI_1: ${address[lb2]} is MASTER after .*its established connections go on there (connectionSync)" "$out/ours-handover.txt"
  check ours_vip_on_lb2_after_handover vip_on lb2
  check ours_lb1_on_standby bash -c "nsenter --net=/run/netns/sf-lb1 -- curl -sf --max-time 10 http://127.0.0.1:9477/status | grep -q '\"standby\": true'"
  wait_until 90 streams_progressed "$snapshot" || true
  result ours_handover_connections_reset "$(streams_failed)"
  result ours_handover_failed_requests "$(tail -n +"$(( mark + 1 ))" "$out/ours-client.log" | grep -c ' fail ' || true)"
  check ours_handover_zero_reset_connections test "$(streams_failed)" = 0
  check ours_handover_zero_failed_requests test "$(tail -n +"$(( mark + 1 ))" "$out/ours-client.log" | grep -c ' fail ' || true)" = 0

  log "ours: 'reconciler handover --resume' on lb1: its priority back, it preempts lb2 (the connections go back with it)"
  mark=$(wc -l < "$out/ours-client.log")
  streams_status | awk '{ print $2, $3 }' > "$snapshot"
  t_h=$(now_ms)
  rc=0
  in_ns lb1 "$bin" handover --resume > "$out/ours-resume.txt" 2>&1 || rc=$?
  check ours_resume_command_succeeded test "$rc" = 0
  wait_until 60 vip_on lb1 && result ours_resume_vip_back_ms "$(( $(now_ms) - t_h ))" || result ours_resume_vip_back_ms -1
  check ours_vip_back_on_lb1_after_resume vip_on lb1
  wait_until 90 streams_progressed "$snapshot" || true
  result ours_resume_connections_reset "$(streams_failed)"
  result ours_resume_failed_requests "$(tail -n +"$(( mark + 1 ))" "$out/ours-client.log" | grep -c ' fail ' || true)"
  check ours_resume_zero_reset_connections test "$(streams_failed)" = 0
  # Back to where the hard kill starts from: lb2 again holds every stream, synced from lb1.
  wait_until 90 all_synced || true
  check ours_lb2_has_all_streams_after_resume all_synced
}

# === one run: pair up, stream, sync, kill, count ====================================================================
run_half() {
  local kind=$1 p=${1}_ t0 t_kill t_vip t_streams waited vip_moved restored first_ok failed survived lb2_daemons
  log "$kind: fresh namespaces (sf-lb1 .11, sf-lb2 .12, sf-rs1 .21, sf-rs2 .22, sf-client .100) on bridge sf-br"
  build_network

  log "$kind: the director pair starts"
  t0=$(now_ms)
  if [[ $kind == keepalived ]]; then
    start_keepalived_pair
  else
    if ! start_ours_pair; then
      note "the topology is invalid for this binary ($bin): half B cannot run"
      teardown
      return
    fi
    wait_until 240 agent_ready lb1 && wait_until 240 agent_ready lb2 || true
    result "${p}agents_ready_ms" "$(( $(now_ms) - t0 ))"
  fi
  wait_until 180 vip_on lb1 || true
  wait_until 120 ipvs_complete lb1 || true
  if [[ $sync == yes ]]; then
    wait_until 60 daemon_runs lb2 backup || true
    wait_until 60 daemon_runs lb1 master || true
  fi
  result "${p}pair_ready_ms" "$(( $(now_ms) - t0 ))"
  check "${p}vip_on_lb1" vip_on lb1
  check "${p}vip_not_on_lb2" bash -c "! ip -n sf-lb2 -br addr show dev eth0 | grep -q ' $vip/'"
  check "${p}lb1_table_complete" ipvs_complete lb1
  check "${p}lb1_master_sync_daemon" daemon_runs lb1 master
  check "${p}lb2_backup_sync_daemon" daemon_runs lb2 backup
  for lb in lb1 lb2; do
    in_ns "$lb" ipvsadm -ln --daemon > "$out/$kind-$lb-daemons-before.txt" 2>&1 || true
    in_ns "$lb" ipvsadm -Sn > "$out/$kind-$lb-table-before.txt" 2>&1 || true
    note "$lb sync daemons: $(tr '\n' ';' < "$out/$kind-$lb-daemons-before.txt")"
  done
  if [[ $kind == ours ]]; then
    lb2_daemons=1
    daemon_runs lb2 master && daemon_runs lb2 backup && lb2_daemons=0
    expect ours_lb2_runs_master_and_backup_sync_daemons "$lb2_daemons" "$(tr '\n' ';' < "$out/ours-lb2-daemons-before.txt")"
    lb1_daemons=1
    daemon_runs lb1 master && daemon_runs lb1 backup && lb1_daemons=0
    expect ours_lb1_runs_master_and_backup_sync_daemons "$lb1_daemons" "$(tr '\n' ';' < "$out/ours-lb1-daemons-before.txt")"
    check ours_sloppy_tcp_on_both bash -c "[[ \$(ip netns exec sf-lb1 cat /proc/sys/net/ipv4/vs/sloppy_tcp)\$(ip netns exec sf-lb2 cat /proc/sys/net/ipv4/vs/sloppy_tcp) == 11 ]]"
  fi

  log "$kind: clients: curl every 200 ms to $vip:80, $conns streams to $vip:5000 (a line every 100 ms each)"
  start_curl_client "$out/$kind-client.log"
  wait_until 60 grep -q ' ok ' "$out/$kind-client.log" || true
  start_streams
  wait_until 60 streams_up || true
  t_streams=$(now_ms)
  note "streams: $(streams_status | awk '{ printf "%s:%s ok=%s%s; ", $1, $2, $3, ($6 == "-" ? "" : " FAILED") }')"
  check "${p}streams_up" streams_up

  log "$kind: waiting until lb2's table lists all $conns streams ESTABLISHED (synced from lb1)"
  wait_until "$( [[ $sync == yes ]] && echo 90 || echo 10 )" all_synced && waited=$(( $(now_ms) - t_streams )) || waited=-1
  result "${p}sync_wait_ms" "$waited"
  result "${p}streams_synced_before_kill" "$(synced_streams)"
  result "${p}template_synced" "$(template_synced && echo yes || echo no)" # at the kill
  in_ns lb1 ipvsadm -Lnc > "$out/$kind-lb1-conns-before.txt" 2>&1 || true
  in_ns lb2 ipvsadm -Lnc > "$out/$kind-lb2-conns-before.txt" 2>&1 || true
  check "${p}lb2_has_all_streams" test "$waited" -ge 0
  # The BACKUP holds the services before the takeover (keepalived always; ours because the instance syncs
  # connections): synced connections are then forwarded the instant the VIP arrives.
  check "${p}lb2_holds_the_services_as_backup" ipvs_complete lb2

  if [[ $kind == ours && $sync == yes ]]; then
    planned_handover
  fi

  log "$kind: lb1 dies hard: every process in sf-lb1 SIGKILLed, its bridge-side veth down"
  local mark killed victims
  mark=$(wc -l < "$out/$kind-client.log")
  victims=($(ip netns pids sf-lb1))
  killed=none
  (( ${#victims[@]} == 0 )) || killed=$(ps -o pid=,comm= -p "$(IFS=,; echo "${victims[*]}")" | awk '{ printf "%s(%s) ", $2, $1 }')
  note "guest load before the kill: $(cat /proc/loadavg)"
  # lb2's address events, each stamped when it arrives (a bash loop: no process per line).
  : > "$work/lb2-addr.log"
  ip -n sf-lb2 -o monitor address 2>/dev/null | while read -r line; do
    echo "$(( ${EPOCHREALTIME/./} / 1000 )) $line"
  done >> "$work/lb2-addr.log" &
  started "$!"
  t_kill=$(now_ms)
  echo "$t_kill" > "$work/kill_at"
  # Stopped first, all of them, then killed: a process that outlives its parent by a moment must not act on it.
  # (keepalived's children get SIGTERM when their parent dies, PR_SET_PDEATHSIG: a VRRP child still running then sends
  # a priority-0 advert and the checker removes the services, i.e. a graceful stop, not a hard kill.)
  if (( ${#victims[@]} > 0 )); then kill -STOP "${victims[@]}"; kill -KILL "${victims[@]}"; fi
  ip link set sf-lb1-p down
  if [[ $arp_queue == 1 ]]; then
    in_ns client sysctl -qw net.ipv4.neigh.eth0.mcast_solicit=100
    ip -n sf-client neigh del "$vip" dev eth0 2>/dev/null || true
  fi
  note "killed: $killed"
  wait_until 10 bash -c "[[ -z \$(ip netns pids sf-lb1) ]]" || true
  check "${p}lb1_processes_gone" test -z "$(ip netns pids sf-lb1)"
  if [[ $kind == keepalived ]]; then
    check keepalived_kill_was_hard bash -c "! grep -q 'priority 0' '$out/keepalived-lb2.log'" # no goodbye from lb1
  fi
  # The moment the VIP came is taken from lb2's address events (stamped as they arrive), not from this loop's polling.
  t_vip=-1
  if wait_until 60 vip_on lb2; then
    t_vip=$(awk -v a=" $vip/" 'index($0, a) && !/Deleted/ { print $1; exit }' "$work/lb2-addr.log")
    [[ -n $t_vip ]] || t_vip=$(now_ms) # (no event seen: the polling's time)
  fi
  if (( t_vip > 0 )); then
    echo "$t_vip" > "$work/vip_at"
    vip_moved=$(( t_vip - t_kill ))
  else
    vip_moved=-1
  fi
  result "${p}vip_moved_ms" "$vip_moved"
  check "${p}vip_on_lb2" test "$vip_moved" -ge 0

  log "$kind: streams run until each did $after_move verified round trips after the VIP moved (or failed)"
  wait_until 90 streams_done_after_move || true
  wait_until 30 bash -c "awk -v t=$t_kill -v v=$t_vip '\$1 > t && \$2 > v && \$3 == \"ok\"' '$out/$kind-client.log' | grep -q ." || true
  touch "$work/stop-streams"
  stop_curl_client
  wait_until 15 bash -c "[[ -f '$work/streams.json' ]]" || true
  kill -9 "$streams_pid" 2>/dev/null || true
  cp "$work/streams.json" "$out/$kind-streams.json" 2>/dev/null || streams_status > "$out/$kind-streams.txt"
  streams_status > "$out/$kind-streams.txt"
  cat "$work/streams.out" >> "$out/$kind-streams.txt" 2>/dev/null || true
  note "streams: $(streams_status | awk '{ printf "%s ok=%s after=%s longest=%sms%s; ", $1, $3, $4, $5, ($6 == "-" ? "" : " error at " $6 ": " substr($0, index($0, $7))) }')"

  survived=$(streams_status | awk -v k="$after_move" '$6 == "-" && $4 >= k' | wc -l)
  result "${p}connections" "$(streams_status | awk '$2 > 0' | wc -l)"
  result "${p}connections_survived" "$survived"
  result "${p}longest_stall_ms" "$(streams_status | awk '$6 == "-" { if ($5 > m) m = $5 } END { print m + 0 }')"
  local first_error
  first_error=$(streams_status | awk '$6 != "-" { print $6, substr($0, index($0, $7)) }' | sort -n | head -n 1)
  if [[ -n $first_error ]]; then
    result "${p}first_error" "$(( ${first_error%% *} - t_kill )) ms after the kill: ${first_error#* }"
  else
    result "${p}first_error" none
  fi
  # The first request sent after the kill that was answered after the VIP moved (lb1's kernel forwards until its link
  # goes down a moment after the kill: a request answered in between says nothing about lb2).
  first_ok=$(awk -v t="$t_kill" -v v="$t_vip" '$1 > t && $2 > v && $3 == "ok" { print $2; exit }' "$out/$kind-client.log")
  if [[ -n $first_ok && $t_vip -gt 0 ]]; then
    restored=$(( first_ok - t_vip ))
  else
    restored=-1
  fi
  result "${p}service_restored_ms" "$restored"
  failed=$(tail -n +"$(( mark + 1 ))" "$out/$kind-client.log" | grep -c ' fail ' || true)
  result "${p}failed_requests" "$failed"
  result "${p}requests_after_kill" "$(tail -n +"$(( mark + 1 ))" "$out/$kind-client.log" | wc -l)"

  in_ns lb2 ipvsadm -Lnc > "$out/$kind-lb2-conns-after.txt" 2>&1 || true
  in_ns lb2 ipvsadm -ln --daemon > "$out/$kind-lb2-daemons-after.txt" 2>&1 || true
  in_ns lb2 ipvsadm -Ln --stats > "$out/$kind-lb2-stats-after.txt" 2>&1 || true
  note "lb2 sync daemons after: $(tr '\n' ';' < "$out/$kind-lb2-daemons-after.txt")"

  if [[ $kind == keepalived ]]; then
    # The anchor is measured, not judged: it must have run (figures measured), whatever it kept.
    check keepalived_anchor_measured bash -c "(( $(streams_status | awk '$2 > 0' | wc -l) == $conns && $waited >= 0 && $vip_moved >= 0 && $restored >= 0 ))"
  else
    check ours_every_connection_survived test "$survived" = "$conns"
    check ours_service_restored test "$restored" -ge 0
  fi

  log "$kind: tearing down"
  teardown
}

result connection_sync "$sync"
result arp_queue "$arp_queue"
[[ $only == ours ]] || run_half keepalived
[[ $only == keepalived ]] || run_half ours

# === summary ==========================================================================================================
{
  echo "{"
  for i in "${!results[@]}"; do
    key=${results[$i]%%=*}; value=${results[$i]#*=}
    value=${value//\\/\\\\}; value=${value//\"/\\\"}
    printf '  "%s": "%s"%s\n' "$key" "$value" "$([[ $i -lt $(( ${#results[@]} - 1 )) ]] && echo ,)"
  done
  echo "}"
} > "$out/results.json"

log "summary ($conns streams, $after_move verified round trips each after the VIP moved)"
lookup() { local entry; for entry in "${results[@]}"; do [[ ${entry%%=*} == "$1" ]] && { echo "${entry#*=}"; return; }; done; echo "-"; }
printf '%-28s %-14s %s\n' "figure" "keepalived" "ours"
for figure in connections connections_survived sync_wait_ms vip_moved_ms service_restored_ms \
  failed_requests longest_stall_ms streams_synced_before_kill template_synced pair_ready_ms; do
  printf '%-28s %-14s %s\n' "$figure" "$(lookup "keepalived_$figure")" "$(lookup "ours_$figure")"
done
for figure in handover_ms handover_connections_reset handover_failed_requests resume_vip_back_ms resume_connections_reset \
  resume_failed_requests; do
  printf '%-28s %-14s %s\n' "$figure" "-" "$(lookup "ours_$figure")"
done
printf '%-28s %s\n' "first_error keepalived" "$(lookup keepalived_first_error)"
printf '%-28s %s\n' "first_error ours" "$(lookup ours_first_error)"
echo
printf '%-52s %s\n' "check" "result"
for entry in "${results[@]}"; do
  [[ $entry == check.* ]] && printf '%-52s %s\n' "${entry%%=*}" "${entry#*=}"
done
echo
if (( failures > 0 )); then
  echo "stateful failover scenario: $failures checks FAILED (logs in $out)"
  exit 1
fi
echo "stateful failover scenario: every check passed"
