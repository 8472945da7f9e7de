#!/usr/bin/env python3
"""quotegen: renders customer quotes (GET /quote/<id>) and keeps the rendered documents in an LRU cache,
sized by [cache] size_mb in /etc/quotegen/quotegen.conf or by $QUOTEGEN_CACHE_MB."""
import collections
import configparser
import http.server
import os
import sys
import time

config = configparser.ConfigParser()
config.read("/etc/quotegen/quotegen.conf")
CACHE_MB = int(os.environ.get("QUOTEGEN_CACHE_MB") or config.get("cache", "size_mb", fallback="32"))
LISTEN = ("127.0.0.1", config.getint("server", "port", fallback=8077))
DOCUMENT_MB = 2
cache = collections.OrderedDict()


def render(quote):
    """A rendered quote document (2 MB), as slow as the real renderer."""
    time.sleep(0.02)
    line = f"QUOTE {quote} ACME Corp - net 30 days - total {(int(quote) * 7919) % 90000 / 100:.2f} EUR\n".encode()
    return (line * (DOCUMENT_MB * 1048576 // len(line) + 1))[: DOCUMENT_MB * 1048576]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            self.answer(200, b"quotegen ok\n", "-")
            return
        quote = self.path.rsplit("/", 1)[-1]
        if not self.path.startswith("/quote/") or not quote.isdigit():
            self.answer(404, b"no such quote\n", "-")
            return
        hit = quote in cache
        if hit:
            cache.move_to_end(quote)
        else:
            cache[quote] = render(quote)
            while len(cache) * DOCUMENT_MB > CACHE_MB:
                cache.popitem(last=False)
        document = cache.get(quote) or render(quote)
        self.answer(200, document[: document.index(b"\n") + 1], "HIT" if hit else "MISS")

    def answer(self, code, body, cached):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Cache", cached)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(LISTEN, Handler)
print(f"quotegen: document cache up to {CACHE_MB} MB, listening on {LISTEN[0]}:{LISTEN[1]}", flush=True)
sys.stdout.flush()
server.serve_forever()
