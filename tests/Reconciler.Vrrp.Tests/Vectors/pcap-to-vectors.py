#!/usr/bin/env python3
"""Turns a tcpdump capture (Ethernet, classic pcap) of VRRP adverts into the text vectors the tests read:
one line per advert: IP source, IP destination, TTL/hop limit, VRRP message in hex."""
import ipaddress
import struct
import sys

with open(sys.argv[1], 'rb') as f:
    data = f.read()
magic, = struct.unpack('<I', data[:4])
endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
linktype, = struct.unpack(endian + 'I', data[20:24])
assert linktype == 1, 'expected Ethernet'
offset = 24
print('# keepalived 2.2.7 adverts captured in the kernel lab (capture-keepalived.sh); source destination ttl message-hex')
while offset < len(data):
    _, _, caplen, _ = struct.unpack(endian + 'IIII', data[offset:offset + 16])
    frame = data[offset + 16:offset + 16 + caplen]
    offset += 16 + caplen
    ethertype, = struct.unpack('!H', frame[12:14])
    ip = frame[14:]
    if ethertype == 0x0800:
        ihl = (ip[0] & 0x0f) * 4
        total, = struct.unpack('!H', ip[2:4])
        src, dst, ttl, message = ip[12:16], ip[16:20], ip[8], ip[ihl:total]
    elif ethertype == 0x86dd:
        length, = struct.unpack('!H', ip[4:6])
        src, dst, ttl, message = ip[8:24], ip[24:40], ip[7], ip[40:40 + length]
    else:
        continue
    print(ipaddress.ip_address(src), ipaddress.ip_address(dst), ttl, message.hex())
