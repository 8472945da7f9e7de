#!/usr/bin/env bash
# Wrong: starts a relay on app's LAN address to 127.0.0.1:8080 by hand; the office gets the API through it, every request reaches nginx from 127.0.0.1 (so /admin/ opens to the office), and it is gone at the next reboot.
set -euo pipefail
cat > /root/relay8080.py <<'PY'
import socket, threading
def pipe(a, b):
    try:
        while (data := a.recv(65536)):
            b.sendall(data)
    finally:
        a.close(); b.close()
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("10.0.1.20", 8080))
server.listen(16)
while True:
    client, _ = server.accept()
    upstream = socket.create_connection(("127.0.0.1", 8080))
    threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
    threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
PY
on app sh -c 'nohup python3 /root/relay8080.py >/dev/null 2>&1 &'
for _ in $(seq 1 30); do on client curl -s --max-time 2 -o /dev/null http://10.0.1.20:8080/ && break; sleep 0.5; done
