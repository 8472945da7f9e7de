#!/usr/bin/env python3
"""invoiced: issues the shop's invoices on 127.0.0.1:8095 (POST /invoice, GET /health).

Logs every invoice to /var/log/invoiced/invoiced.log; the handler notices when logrotate has moved the
file away and opens the new one (no signal needed).
"""
import http.server
import json
import logging
import logging.handlers
import time

handler = logging.handlers.WatchedFileHandler("/var/log/invoiced/invoiced.log")
handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S"))
log = logging.getLogger("invoiced")
log.addHandler(handler)
log.setLevel(logging.INFO)
counter = int(time.time()) % 100000


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
        global counter
        if self.path != "/invoice":
            self.reply(404, {"error": "not found"})
            return
        order = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0)).decode(errors="replace").strip()
        counter += 1
        number = f"INV-{time.strftime('%Y%m')}-{counter:05d}"
        log.info("invoice %s issued for order %s", number, order)
        self.reply(201, {"invoice": number, "order": order})

    def log_message(self, *args):
        pass


log.info("invoiced started")
http.server.ThreadingHTTPServer(("127.0.0.1", 8095), Handler).serve_forever()
