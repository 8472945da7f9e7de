#!/usr/bin/env bash
# Grader: after the DHCP server and the router reboot, new machines on floor 3 and floor 2 are offered
# their floor's range, gateway and DNS by the central server (through the relay); after the laptop and
# the printer reboot too, laptop3 gets a lease and reaches the intranet server by name; the printer gets
# its reserved 10.0.3.20, its lease on the central server, and the print server reaches it.
source /run/opslab-grader/lib.sh
# offers NETNS...: asks for a lease (a DHCPDISCOVER, as a new machine's client sends) on each host's eth0,
# one host after the other; one line per host: "HOST ADDRESS ROUTER DNS SERVER" from the offer, or "HOST
# none" (no offer in 8 s: the DISCOVER sent again after 4 s, as a client would).
# NOTE: one python start for every host (setns into each); nothing is leased (no DHCPREQUEST follows).
# NOTE: dnsmasq pings an address before it first offers it (3 s without an answer), and a DISCOVER that
# comes meanwhile can go unanswered: one host at a time, and the DISCOVER sent again as a client would.
offers() {
  python3 -I -S - "$@" 2>/dev/null <<'PY'
import ctypes, fcntl, os, random, select, socket, struct, sys, time
libc = ctypes.CDLL(None, use_errno=True)
def addresses(raw):
    return ",".join(socket.inet_ntoa(raw[k:k + 4]) for k in range(0, len(raw) - 3, 4)) or "-"
for host in sys.argv[1:]:
    fd = os.open("/run/netns/" + host, os.O_RDONLY)
    libc.setns(fd, 0x40000000)
    os.close(fd)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"eth0")
    s.bind(("", 68))
    mac = fcntl.ioctl(s.fileno(), 0x8927, struct.pack("256s", b"eth0"))[18:24]
    xid = random.getrandbits(32)
    head = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0, 0x8000, bytes(4), bytes(4), bytes(4), bytes(4), mac, b"", b"")
    discover = head + b"\x63\x82\x53\x63" + bytes([53, 1, 1, 55, 4, 1, 3, 6, 54, 255])
    answer, start = "none", time.time()
    for resend in (start + 4, start + 8):
        s.sendto(discover, ("255.255.255.255", 67))
        while answer == "none" and time.time() < resend:
            if not select.select([s], [], [], max(0.0, resend - time.time()))[0]:
                break
            data = s.recv(4096)
            if len(data) < 244 or data[0] != 2 or struct.unpack("!I", data[4:8])[0] != xid:
                continue
            found, i = {}, 240
            while i < len(data) and data[i] != 255:
                if data[i] == 0:
                    i += 1
                    continue
                found[data[i]] = data[i + 2:i + 2 + data[i + 1]]
                i += 2 + data[i + 1]
            if found.get(53, b"\0")[0] == 2:
                answer = " ".join([socket.inet_ntoa(data[16:20]), addresses(found.get(3, b"")), addresses(found.get(6, b"")), addresses(found.get(54, b""))])
        if answer != "none":
            break
    print(host, answer, flush=True)
    s.close()
PY
}
# offer HOST: the offer HOST got in the last offers ("ADDRESS ROUTER DNS SERVER").
offer() { awk -v h="$1" '$1 == h { $1 = ""; sub(/^ +/, ""); print }' <<<"$table"; }
# offered HOST PREFIX ROUTER: HOST was offered an address PREFIX.100-199 with ROUTER and the office DNS, by the central server.
offered() {
  local got
  got=$(offer "$1")
  [[ $got == "$2".1[0-9][0-9]" $3 10.0.9.53 10.0.9.53" ]]
}
# leased HOST ADDRESS-PATTERN: HOST's DHCP client has applied a lease of an address matching the pattern.
leased() { ip -n "$1" -4 -o address show dev eth0 2>/dev/null | grep -q "inet $2/24 "; }
# printer_holds_other_lease: the printer holds an address other than 10.0.3.20 that the central server
# leased to it: its client is bound and asks again only when it renews (half-way through the lease, a
# minute at the soonest: dnsmasq leases for 2 minutes at least), so it will not get 10.0.3.20 by waiting.
printer_holds_other_lease() {
  local address
  address=$(ip -n printer3 -4 -o address show dev eth0 2>/dev/null | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
  [ -n "$address" ] && [ "$address" != 10.0.3.20 ] &&
    grep -q " 02:4f:80:2e:31:00 ${address//./\\.} " /var/lib/misc/dnsmasq-dhcp.leases
}
plug_in newlap3 floor3 169.254.77.3/16
plug_in newlap2 floor2 169.254.77.2/16
# NOTE: the DHCP server and the relay first, the laptop and the printer once those listen: the clients'
# first requests are then answered (a client that asks too early tries again 3 s later, then 4 s).
reboot_host dhcp core
note step "waiting for the DHCP server and the relay to listen"
eventually 5 'in_host dhcp ss -Hlun "sport = :67" | grep -q . && in_host core ss -Hlun "sport = :67" | grep -q .'
# NOTE: the offers to new machines first: they come from the DHCP server and the relay alone, which the
# laptop's and the printer's reboots leave as they are; a grade that fails them (no relay, a wrong
# gateway, a server on core) ends before waiting for leases that will not come.
when="after dhcp and core reboot"
table=$(offers newlap3 newlap2)
check "$when: a new laptop on floor 3 is offered an address of floor 3's range, gateway 10.0.3.1 and the office DNS, by the central server" 'offered newlap3 10.0.3 10.0.3.1'
check "$when: a new laptop on floor 2 is still offered floor 2's range and gateway by the central server" 'offered newlap2 10.0.2 10.0.2.1'
reboot_host laptop3 printer3
note step "waiting for the laptop and the printer to get their leases"
eventually 20 'leased laptop3 "10\.0\.3\.1[0-9][0-9]" && leased printer3 "10\.0\.3\.[0-9]*"'
when="after dhcp, core, laptop3 and printer3 reboot"
check "$when: laptop3 gets a lease of floor 3's range and reaches intranet.corp.example by name" 'leased laptop3 "10\.0\.3\.1[0-9][0-9]" && host_pings laptop3 intranet.corp.example'
check "$when: the printer gets its reserved 10.0.3.20, leased by the central server" 'eventually 5 "leased printer3 10\.0\.3\.20" "printer_holds_other_lease" && grep -q " 02:4f:80:2e:31:00 10\.0\.3\.20 " /var/lib/misc/dnsmasq-dhcp.leases'
check "$when: the print server reaches the printer at 10.0.3.20:9100" 'host_connects srv 10.0.3.20 9100'
finish
