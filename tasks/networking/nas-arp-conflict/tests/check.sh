#!/usr/bin/env bash
# Grader: the office reaches nas through gw and prints on 10.0.2.40; backup reaches nas; only nas's
# card answers ARP for 10.0.2.30 on the segment; gw keeps nas pinned while a machine on the segment
# claims its address; again after gw and prn reboot.
source /run/opslab-grader/lib.sh
NAS_MAC=02:4f:09:9c:fa:f3
# segment_probe DIR: from rogue, a machine plugged into the server segment: asks who has 10.0.2.30 (and
# who has gw's 10.0.2.1) and writes the MAC addresses that answer for 10.0.2.30 within 1 s to DIR/answers,
# one a line; then tells gw, and gw alone, that it has 10.0.2.30 itself (an ARP reply every 0.2 s to gw's
# card, as a spoofer would: the other machines' caches stay right), and creates DIR/claiming once it has
# for 1.5 s (gw takes a reply 1 s after its entry last changed: its locktime). It claims until it is
# stopped (at most 10 s; run in the background, the job is python itself). One python for both: its
# start-up is the slow part.
segment_probe() {
  exec ip netns exec rogue python3 -I -S - "$1" <<'PY'
import os, socket, sys, time
out = sys.argv[1]
nas, me, gw = (socket.inet_aton(a) for a in ("10.0.2.30", "10.0.2.98", "10.0.2.1"))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
s.bind(("eth0", 0))
mac = s.getsockname()[4]
for target in (nas, gw):
    s.send(b"\xff" * 6 + mac + b"\x08\x06" + b"\x00\x01\x08\x00\x06\x04\x00\x01" + mac + me + b"\x00" * 6 + target)
seen, gw_mac, deadline = set(), b"\xff" * 6, time.time() + 1
while time.time() < deadline:
    s.settimeout(max(0.01, deadline - time.time()))
    try:
        frame = s.recv(128)
    except socket.timeout:
        break
    if frame[20:22] == b"\x00\x02" and frame[28:32] == nas:
        seen.add(frame[22:28].hex(":"))
    if frame[20:22] == b"\x00\x02" and frame[28:32] == gw:
        gw_mac = frame[22:28]
with open(out + "/answers.new", "w") as f:
    f.write("".join(m + "\n" for m in sorted(seen)))
os.rename(out + "/answers.new", out + "/answers")
start = time.time()
while time.time() < start + 10:
    s.send(gw_mac + mac + b"\x08\x06" + b"\x00\x01\x08\x00\x06\x04\x00\x02" + mac + nas + gw_mac + gw)
    if time.time() >= start + 1.5 and not os.path.exists(out + "/claiming"):
        open(out + "/claiming", "w").close()
    time.sleep(0.2)
PY
}
checks() {
  local when=$1 dir pid
  check "$when: the office connects to nas on 10.0.2.30:445" 'host_connects office 10.0.2.30 445'
  check "$when: backup connects to nas on 10.0.2.30:445" 'eventually 15 "host_connects backup 10.0.2.30 445"'
  check "$when: the office prints on the label printer (10.0.2.40:9100)" 'host_connects office 10.0.2.40 9100'
  dir=$(mktemp -d)
  segment_probe "$dir" >/dev/null 2>&1 &
  pid=$!
  check "$when: on the server segment only nas's card answers for 10.0.2.30" \
    'eventually 20 "[ -e $dir/answers ]" && [ "$(cat "$dir/answers")" = "$NAS_MAC" ]'
  check "$when: gw keeps nas pinned: the office still reaches it while another machine claims 10.0.2.30" \
    'eventually 20 "[ -e $dir/claiming ]" && host_connects office 10.0.2.30 445'
  kill "$pid" 2>/dev/null
  wait "$pid"
  rm -rf "$dir"
}
plug_in rogue srv 10.0.2.98/24
checks_across_reboot 'systemctl is-active --quiet prn-jetdirect' gw prn
finish
