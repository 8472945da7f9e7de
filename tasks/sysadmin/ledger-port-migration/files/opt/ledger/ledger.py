#!/usr/bin/env python3
"""ledger: the books' journal. POST /entries and POST /rollup append to the journal; GET /health, GET /balance."""
import http.server
import os
import sys
import time

PORT = int(os.environ.get("LEDGER_PORT", "8000"))
JOURNAL = "/var/lib/ledger/journal.log"


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self.reply(200, "ledger ok\n")
        elif self.path == "/balance":
            with open(JOURNAL) as journal:
                self.reply(200, f"entries {sum(1 for _ in journal)}\n")
        else:
            self.reply(404, "no such ledger resource\n")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        if self.path not in ("/entries", "/rollup"):
            self.reply(404, "no such ledger resource\n")
            return
        client = self.headers.get("X-Client", "unknown")
        line = body.decode(errors="replace").strip().replace("\n", " ")
        with open(JOURNAL, "a") as journal:
            journal.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {self.path[1:]} {client} {line}\n")
        self.reply(201, "recorded\n")

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
print(f"ledger: listening on 127.0.0.1:{PORT}", flush=True)
server.serve_forever()
