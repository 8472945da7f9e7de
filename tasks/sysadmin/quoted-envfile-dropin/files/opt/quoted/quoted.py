#!/usr/bin/env python3
"""quoted: answers every GET on 127.0.0.1:$QUOTED_PORT with $QUOTED_GREETING."""
import http.server
import os
import sys

try:
    PORT = int(os.environ["QUOTED_PORT"])
    GREETING = os.environ["QUOTED_GREETING"]
except (KeyError, ValueError) as error:
    sys.exit(f"quoted: QUOTED_PORT and QUOTED_GREETING must be set ({error!r})")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"{GREETING}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
