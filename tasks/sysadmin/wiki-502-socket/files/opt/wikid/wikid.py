#!/usr/bin/env python3
"""wikid: the team wiki. Serves the Markdown pages of data_dir over HTTP on a unix socket (nginx in front)."""
import configparser
import grp
import http.server
import os
import socketserver
import sys

config = configparser.ConfigParser()
config.read("/etc/wikid/wikid.ini")
DATA_DIR = config.get("wiki", "data_dir")
SOCKET = config.get("server", "socket")
SOCKET_GROUP = config.get("server", "socket_group", fallback="")
SOCKET_MODE = int(config.get("server", "socket_mode", fallback="0660"), 8)
INDEX = config.get("wiki", "search_index", fallback="")


def load_pages():
    """The published pages: drafts (draft-*.md) stay out of the wiki until they are renamed."""
    return {
        name[:-3]: os.path.join(DATA_DIR, name)
        for name in os.listdir(DATA_DIR)
        if name.endswith(".md") and not name.startswith("draft-")
    }


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        name = self.path.strip("/") or "index"
        path = load_pages().get(name)
        if path is None:
            code, body = 404, f"no page named {name}\n"
        else:
            with open(path) as page:
                code, body = 200, page.read()
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/markdown; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def address_string(self):
        return "nginx"

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if INDEX and not os.path.exists(INDEX):
    print(f"wikid: WARNING search index {INDEX} not found, search is disabled until the nightly rebuild", flush=True)
pages = load_pages()
print(f"wikid: {len(pages)} pages in {DATA_DIR}", flush=True)
if os.path.exists(SOCKET):
    os.unlink(SOCKET)
server = Server(SOCKET, Handler)
os.chmod(SOCKET, SOCKET_MODE)
if SOCKET_GROUP:
    os.chown(SOCKET, -1, grp.getgrnam(SOCKET_GROUP).gr_gid)
print(f"wikid: serving on unix:{SOCKET}", flush=True)
sys.stdout.flush()
server.serve_forever()
