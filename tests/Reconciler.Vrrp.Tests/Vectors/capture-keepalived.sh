#!/usr/bin/env bash
# Captures real keepalived adverts (v2 PASS, v3 IPv4 multicast, v3 IPv4 unicast, v3 IPv6) in the kernel lab:
# keepalived runs in namespace "a", tcpdump listens in namespace "b" on the other end of a veth pair.
# After it becomes MASTER it is stopped with SIGTERM, so the capture also holds its priority-0 adverts.
#
#   tests/lab/run.sh --share "$PWD/out" -- tests/Reconciler.Vrrp.Tests/Vectors/capture-keepalived.sh "$PWD/out"
#   python3 tests/Reconciler.Vrrp.Tests/Vectors/pcap-to-vectors.py out/keepalived.pcap > tests/Reconciler.Vrrp.Tests/Vectors/keepalived-2.2.7.txt
set -euo pipefail
OUT=${1:?output directory}
WORK=$(mktemp -d)

ip netns add a
ip netns add b
for ns in a b; do
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  ip -n "$ns" link set lo up
done
ip link add veth-a netns a type veth peer name veth-b netns b
ip -n a addr add 10.0.0.1/24 dev veth-a
ip -n b addr add 10.0.0.2/24 dev veth-b
ip -n a link set veth-a up
ip -n b link set veth-b up
sleep 1

cat > "$WORK/keepalived.conf" <<'CONF'
global_defs {
  router_id lab-a
}
vrrp_instance V2_PASS {
  state BACKUP
  interface veth-a
  virtual_router_id 51
  priority 150
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass secret
  }
  virtual_ipaddress {
    10.0.0.100/24
  }
}
vrrp_instance V3_MCAST {
  version 3
  state BACKUP
  interface veth-a
  virtual_router_id 52
  priority 100
  advert_int 0.5
  virtual_ipaddress {
    10.0.0.101/24
    10.0.0.102/24
  }
}
vrrp_instance V3_UNICAST {
  version 3
  state BACKUP
  interface veth-a
  virtual_router_id 54
  priority 200
  advert_int 1
  unicast_src_ip 10.0.0.1
  unicast_peer {
    10.0.0.2
  }
  virtual_ipaddress {
    10.0.0.104/24
  }
}
vrrp_instance V3_IPV6 {
  version 3
  state BACKUP
  interface veth-a
  virtual_router_id 53
  priority 254
  advert_int 1
  virtual_ipaddress {
    2001:db8::100/64
  }
}
CONF

ip netns exec b tcpdump -i veth-b -U -w "$OUT/keepalived.pcap" 'ip proto 112 or ip6 proto 112' 2> "$WORK/tcpdump.log" &
TCPDUMP=$!
sleep 1
ip netns exec a keepalived --vrrp --dont-fork --log-console --log-detail \
  -f "$WORK/keepalived.conf" -p "$WORK/keepalived.pid" -r "$WORK/vrrp.pid" > "$OUT/keepalived.log" 2>&1 &
KEEPALIVED=$!
sleep 7
kill -TERM "$KEEPALIVED"
wait "$KEEPALIVED" || true
sleep 1
kill -INT "$TCPDUMP"
wait "$TCPDUMP" || true
keepalived --version > "$OUT/keepalived-version.txt" 2>&1 || true
cat "$WORK/tcpdump.log" >&2
