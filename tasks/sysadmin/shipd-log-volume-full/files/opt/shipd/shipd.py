#!/usr/bin/env python3
"""shipd: the shipping API on 127.0.0.1:8070.

POST /ship books a shipment; every shipment is written to the audit log first, and refused (503) when
it cannot be. The application log takes a heartbeat every 2 s.
Signals: SIGHUP reloads /etc/shipd/shipd.conf; SIGUSR1 reopens the log files (after a rotation).
"""
import http.server
import json
import signal
import sys
import threading
import time

LOG_DIR = "/var/log/shipd"
CONF = "/etc/shipd/shipd.conf"
lock = threading.RLock()
files = {}
config = {}


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%S")


def open_logs():
    with lock:
        for name in ("shipd.log", "audit.log"):
            if name in files:
                files[name].close()
            files[name] = open(f"{LOG_DIR}/{name}", "ab", buffering=0)


def write(name, line):
    with lock:
        try:
            files[name].write(f"{now()} {line}\n".encode())
            return True
        except OSError as error:
            print(f"shipd: cannot write {LOG_DIR}/{name}: {error}", file=sys.stderr, flush=True)
            return False


def load_config():
    global config
    with open(CONF) as conf:
        config = dict(line.strip().split("=", 1) for line in conf if "=" in line and not line.startswith("#"))
    write("shipd.log", f"INFO configuration loaded: carrier={config.get('carrier', '?')}")


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body):
        data = (json.dumps(body) + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self.reply(200, {"status": "ok"})
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/ship":
            self.reply(404, {"error": "not found"})
            return
        order = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0)).decode(errors="replace").strip()
        if not write("audit.log", f"SHIP order={order} carrier={config.get('carrier', '?')} by={self.client_address[0]}"):
            self.reply(503, {"error": "audit log unavailable, shipment refused"})
            return
        write("shipd.log", f"INFO shipped order={order}")
        self.reply(201, {"shipped": order})

    def log_message(self, *args):
        pass


def heartbeat():
    while True:
        write("shipd.log", "DEBUG heartbeat queue=0 workers=4 carrier-api=reachable")
        time.sleep(2)


open_logs()
load_config()
signal.signal(signal.SIGHUP, lambda *_: load_config())
signal.signal(signal.SIGUSR1, lambda *_: open_logs())
threading.Thread(target=heartbeat, daemon=True).start()
server = http.server.ThreadingHTTPServer(("127.0.0.1", 8070), Handler)
print("shipd: serving on 127.0.0.1:8070", flush=True)
server.serve_forever()
