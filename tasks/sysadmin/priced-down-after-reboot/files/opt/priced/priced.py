#!/usr/bin/env python3
"""priced: the pricing API on 127.0.0.1:8086 (GET /v1/price?sku=..., GET /health).

Signs its calls to the currency feed with the API key that secretsync fetches from the vault at boot
(key_file); keeps its pid file and rate-limit state in state_dir.
"""
import configparser
import http.server
import json
import os
import sys
import urllib.parse

config = configparser.ConfigParser()
config.read("/etc/priced/priced.conf")
KEY_FILE = config.get("feed", "key_file")
STATE_DIR = config.get("server", "state_dir")
PORT = config.getint("server", "port", fallback=8086)
PRICES = {"SKU-1001": 19.90, "SKU-1002": 4.25, "SKU-2040": 149.00, "SKU-3300": 0.79}

try:
    with open(KEY_FILE) as key_file:
        key = dict(line.strip().split(": ", 1) for line in key_file if ": " in line)
except OSError as error:
    sys.exit(f"priced: cannot read the currency feed's API key {KEY_FILE}: {error.strerror}")
KEY_ID = key.get("id", "?")
print(f"priced: currency feed key {KEY_ID} loaded", flush=True)

pid_path = os.path.join(STATE_DIR, "priced.pid")
try:
    with open(pid_path, "w") as pid_file:
        pid_file.write(f"{os.getpid()}\n")
    with open(os.path.join(STATE_DIR, "ratelimit.json"), "w") as state:
        json.dump({"window": 60, "limit": 600}, state)
except OSError as error:
    sys.exit(f"priced: cannot write {error.filename}: {error.strerror}")


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body):
        data = (json.dumps(body) + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == "/health":
            self.reply(200, {"status": "ok", "feed_key": KEY_ID})
        elif url.path == "/v1/price":
            sku = urllib.parse.parse_qs(url.query).get("sku", [""])[0]
            if sku in PRICES:
                self.reply(200, {"sku": sku, "price_eur": PRICES[sku], "feed_key": KEY_ID})
            else:
                self.reply(404, {"error": f"unknown sku {sku}"})
        else:
            self.reply(404, {"error": "not found"})

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
print(f"priced: serving on 127.0.0.1:{PORT}", flush=True)
server.serve_forever()
