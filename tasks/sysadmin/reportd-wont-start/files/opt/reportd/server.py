#!/usr/bin/env python3
"""reportd: serves the latest report summary on 127.0.0.1:9090."""
import http.server
import os
import time

STATE_DIR = "/var/lib/reportd"

with open(os.path.join(STATE_DIR, "started"), "w") as f:
    f.write(f"{time.time()}\n")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"reportd ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", 9090), Handler).serve_forever()
