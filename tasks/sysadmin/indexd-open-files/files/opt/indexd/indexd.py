#!/usr/bin/env python3
"""indexd: the catalogue's search index, on 127.0.0.1:8095.

At start it opens every segment of the index (/var/lib/indexd/segments/*.seg) and keeps them open (each
query reads them all), then records the index generation it serves in /var/lib/indexd/generation.
GET /health; GET /search?q=WORD answers how many segments hold WORD.
"""
import http.server
import json
import os
import resource
import sys
import time
import urllib.parse

DATA = "/var/lib/indexd"
SEGMENTS = f"{DATA}/segments"


def fail(message):
    print(f"indexd: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


names = sorted(name for name in os.listdir(SEGMENTS) if name.endswith(".seg"))
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
print(f"indexd: opening {len(names)} segments (open files limit {soft}, hard {hard})", flush=True)
segments = []
for name in names:
    try:
        segments.append(open(f"{SEGMENTS}/{name}", "rb"))
    except OSError as error:
        fail(f"cannot open segment {name}: {error}")
try:
    with open(f"{DATA}/generation.new", "w") as state:
        state.write(f"segments={len(segments)} opened={int(time.time())}\n")
    os.replace(f"{DATA}/generation.new", f"{DATA}/generation")
except OSError as error:
    fail(f"cannot record the index generation: {error}")


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body):
        data = (json.dumps(body) + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/health":
            self.reply(200, {"status": "ok", "segments": len(segments)})
        elif url.path == "/search":
            word = urllib.parse.parse_qs(url.query).get("q", [""])[0].encode()
            hits = 0
            for segment in segments:
                segment.seek(0)
                if word and word in segment.read().split():
                    hits += 1
            self.reply(200, {"q": word.decode(), "segments": hits})
        else:
            self.reply(404, {"error": "not found"})

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 8095), Handler)
print(f"indexd: serving {len(segments)} segments on 127.0.0.1:8095", flush=True)
server.serve_forever()
