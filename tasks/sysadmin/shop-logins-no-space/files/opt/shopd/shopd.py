#!/usr/bin/env python3
"""shopd: the shop's login service on 127.0.0.1:8077.

POST /login (body: the customer's id) opens a session: a file sess_<id> in /var/lib/shopd/sessions, and
answers its id; GET /session/<id> answers who it belongs to (and keeps it alive); GET /health.
"""
import http.server
import json
import os
import secrets

SESSIONS = "/var/lib/shopd/sessions"


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
        elif self.path.startswith("/session/"):
            sid = self.path[len("/session/"):]
            path = os.path.join(SESSIONS, "sess_" + sid)
            if not sid.isalnum() or not os.path.exists(path):
                self.reply(401, {"error": "no such session: please log in"})
                return
            with open(path) as session:
                customer = session.read().strip()
            os.utime(path)
            self.reply(200, {"session": sid, "customer": customer})
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/login":
            self.reply(404, {"error": "not found"})
            return
        customer = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0)).decode(errors="replace").strip()
        sid = secrets.token_hex(16)
        try:
            with open(os.path.join(SESSIONS, "sess_" + sid), "x") as session:
                session.write(customer + "\n")
        except OSError as error:
            print(f"shopd: could not save session for {customer}: {error}", flush=True)
            self.reply(503, {"error": f"could not save session: {error.strerror}"})
            return
        self.reply(200, {"session": sid, "customer": customer})

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", 8077), Handler).serve_forever()
