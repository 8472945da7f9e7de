#!/usr/bin/env python3
"""scan-inbox: takes the office scanners' uploads (PUT /scans/SCAN_YYYYMMDD_HHMMSS.pdf) and files each scan
under $SCAN_ROOT/YYYY-MM/ for the accounting team."""
import http.server
import os
import re
import shutil
import sys

ROOT = os.environ.get("SCAN_ROOT", "/srv/share/scans")
LISTEN = ("127.0.0.1", int(os.environ.get("SCAN_PORT", "8071")))
NAME = re.compile(r"^SCAN_(\d{4})(\d{2})(\d{2})_\d{6}\.pdf$")


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, code, text):
        data = (text + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self.reply(200, "scan-inbox ok")
        else:
            self.reply(404, "not found")

    def do_PUT(self):
        name = self.path.rsplit("/", 1)[-1]
        match = NAME.match(name) if self.path.startswith("/scans/") else None
        if not match:
            self.reply(400, "expected PUT /scans/SCAN_YYYYMMDD_HHMMSS.pdf")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        folder = os.path.join(ROOT, f"{match.group(1)}-{match.group(2)}")
        try:
            os.makedirs(folder, exist_ok=True)
            partial = os.path.join(folder, f".{name}.part")
            with open(partial, "wb") as out:
                out.write(body)
            os.replace(partial, os.path.join(folder, name))
        except OSError as error:
            print(f"scan-inbox: cannot store {name}: {error}", flush=True)
            self.reply(500, f"cannot store {name}")
            return
        print(f"scan-inbox: stored {name} ({len(body)} bytes) in {folder}", flush=True)
        self.reply(201, f"stored {name}")

    def log_message(self, *args):
        pass


if not shutil.which("ocrmypdf"):
    print("scan-inbox: WARNING ocrmypdf not found: scans are filed without a text layer", flush=True)
server = http.server.ThreadingHTTPServer(LISTEN, Handler)
print(f"scan-inbox: filing scans under {ROOT}, listening on {LISTEN[0]}:{LISTEN[1]}", flush=True)
sys.stdout.flush()
server.serve_forever()
