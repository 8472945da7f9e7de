#!/usr/bin/env python3
"""labeld: the packing floor's label printing API (POST /print, GET /health).

Socket-activated: systemd (labeld.socket) listens and hands the socket over when the first request comes;
labeld never binds a port itself. Each print job is spooled to the printer's queue in the working folder.
"""
import os
import sys

fds = int(os.environ.get("LISTEN_FDS", "0") or 0)
owner = os.environ.get("LISTEN_PID", "")
if fds < 1 or owner != str(os.getpid()):
    sys.exit(
        f"labeld: no listening socket from systemd (LISTEN_FDS={fds}, LISTEN_PID={owner or 'unset'}, "
        f"my pid {os.getpid()}): labeld runs only under labeld.socket"
    )

import argparse
import http.server
import json
import socket
import time

parser = argparse.ArgumentParser()
parser.add_argument("--printer", default="zebra-1")
args = parser.parse_args()
listener = socket.socket(fileno=3)
os.environ.pop("LISTEN_FDS", None)
os.environ.pop("LISTEN_PID", None)


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
            self.reply(200, {"status": "ok", "printer": args.printer})
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/print":
            self.reply(404, {"error": "not found"})
            return
        label = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0)).decode(errors="replace").strip()
        job = f"{args.printer}-{time.time_ns() // 1000}"
        with open(f"{job}.zpl", "x") as spool:
            spool.write(f"^XA^FO40,40^A0N,40,40^FD{label}^FS^XZ\n")
        self.reply(201, {"job": job, "printer": args.printer})

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    def __init__(self):
        super().__init__(listener.getsockname()[:2], Handler, bind_and_activate=False)
        self.socket = listener


print(f"labeld: serving print jobs for {args.printer} on the socket from systemd", flush=True)
Server().serve_forever()
