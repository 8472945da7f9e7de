#!/usr/bin/env python3
"""courierd: the outgoing-mail queue of the shop. Local clients (group courier) submit over the unix socket
/run/courier/courierd.sock (HTTP/1.0): POST /v1/messages (JSON: to, subject, body) queues a message into
/var/spool/courier/queue; GET /v1/health; GET /v1/stats (queue length, last message queued).
"""
import json
import os
import socketserver
import sys
import time

RUN_DIR = "/run/courier"
SOCKET = os.path.join(RUN_DIR, "courierd.sock")
QUEUE = "/var/spool/courier/queue"
REASONS = {200: "OK", 202: "Accepted", 400: "Bad Request", 404: "Not Found"}
last_id = None


def queue(raw):
    global last_id
    try:
        message = json.loads(raw or b"{}")
        to = message["to"]
    except (ValueError, KeyError, TypeError):
        return 400, {"error": "expected JSON with to, subject, body"}
    message_id = f"{time.strftime('%Y%m%d%H%M%S')}-{os.urandom(4).hex()}"
    path = os.path.join(QUEUE, message_id + ".json")
    with open(path + ".tmp", "w") as spool:
        json.dump({"id": message_id, "to": to, "subject": message.get("subject", ""), "body": message.get("body", "")}, spool)
    os.rename(path + ".tmp", path)
    last_id = message_id
    return 202, {"id": message_id, "status": "queued"}


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        try:
            method, path, _ = self.rfile.readline(8192).decode("latin-1").split(" ", 2)
        except ValueError:
            return
        length = 0
        while True:
            line = self.rfile.readline(8192)
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip() or 0)
        if method == "GET" and path == "/v1/health":
            code, body = 200, {"status": "ok"}
        elif method == "GET" and path == "/v1/stats":
            queued = len([name for name in os.listdir(QUEUE) if name.endswith(".json")])
            code, body = 200, {"queued": queued, "last_id": last_id}
        elif method == "POST" and path == "/v1/messages":
            code, body = queue(self.rfile.read(length))
        else:
            code, body = 404, {"error": "not found"}
        data = (json.dumps(body) + "\n").encode()
        self.wfile.write(
            f"HTTP/1.0 {code} {REASONS[code]}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode() + data
        )


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


try:
    if os.path.exists(SOCKET):
        os.unlink(SOCKET)
    server = Server(SOCKET, Handler)
    os.chmod(SOCKET, 0o660)
    with open(os.path.join(RUN_DIR, "courierd.pid"), "w") as pid_file:
        pid_file.write(f"{os.getpid()}\n")
except OSError as error:
    sys.exit(f"courierd: cannot listen on {SOCKET}: {error}")
print(f"courierd: queue {QUEUE}, listening on {SOCKET}", flush=True)
server.serve_forever()
