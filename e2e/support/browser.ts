// E2E helpers: a tiny static server for the built dist/ folder and Debian's Chromium via playwright-core.
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium, type Browser } from "playwright-core";

export const DIST_DIR = fileURLToPath(new URL("../../dist/", import.meta.url));
export const CHROMIUM_PATH = "/usr/bin/chromium";
/** The header's VM status once Linux is ready, while the background warm-up runs and after it. */
export const LINUX_READY = /^Linux ready( · warming up \d+%)?$/;

const MIME_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".zst": "application/octet-stream",
  ".bin": "application/octet-stream",
  ".img": "application/octet-stream",
};

/**
 * Served gzip-encoded when the client accepts it, as static hosts (GitHub Pages, Netlify, nginx with gzip
 * on) serve text and wasm. The VM's blobs and saved state are zstd files already: sent as they are.
 */
const COMPRESSED_EXTENSIONS: ReadonlySet<string> = new Set([
  ".html",
  ".js",
  ".mjs",
  ".css",
  ".json",
  ".wasm",
  ".svg",
  ".txt",
]);

/** Compressed once per file version, as a host's cache or precompressed files would be. */
const gzipped = new Map<string, Buffer>();

export interface StaticServer {
  /** Base URL ending in "/", e.g. "http://127.0.0.1:41234/". */
  readonly url: string;
  /** Bytes written to clients so far (headers and bodies), from the page and its workers alike. */
  bytesServed(): number;
  close(): Promise<void>;
}

/**
 * Serves `rootDir` on 127.0.0.1 on a free port, under `basePath` (a sub-path such as "/labs/opslab/",
 * as a static host would). Supports GET, HEAD, single byte ranges, ETags and gzip (see COMPRESSED_EXTENSIONS).
 */
export async function serveStatic(
  rootDir: string = DIST_DIR,
  basePath = "/",
): Promise<StaticServer> {
  const root = resolve(rootDir);
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    if (!path.startsWith(basePath)) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("outside the site's sub-path");
      return;
    }
    req.url = `/${path.slice(basePath.length)}`;
    handle(root, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(`static server error: ${String(error)}`);
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => sockets.add(socket));
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once("error", rejectListen);
    server.listen(0, "127.0.0.1", () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    bytesServed: () => [...sockets].reduce((sum, socket) => sum + socket.bytesWritten, 0),
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        server.closeAllConnections();
        server.close((error) => (error ? rejectClose(error) : resolveClose()));
      }),
  };
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD" }).end();
    return;
  }
  const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
  let filePath = normalize(join(root, pathname));
  // NOTE: never serve anything outside the root folder.
  if (filePath !== root && !filePath.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  let info = await stat(filePath).catch(() => null);
  if (info?.isDirectory()) {
    filePath = join(filePath, "index.html");
    info = await stat(filePath).catch(() => null);
  }
  if (!info?.isFile()) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    return;
  }

  // Revalidated at every use, answered 304 when unchanged: what static hosts do.
  const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const extension = extname(filePath).toLowerCase();
  const headers: Record<string, string | number> = {
    "Content-Type": MIME_TYPES[extension] ?? "application/octet-stream",
    "Cache-Control": "no-cache",
    "Accept-Ranges": "bytes",
    ETag: etag,
  };
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, headers).end();
    return;
  }
  if (
    !req.headers.range &&
    COMPRESSED_EXTENSIONS.has(extension) &&
    /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))
  ) {
    const key = `${filePath}@${info.mtimeMs}`;
    let body = gzipped.get(key);
    if (!body) {
      body = gzipSync(await readFile(filePath));
      gzipped.set(key, body);
    }
    res.writeHead(200, {
      ...headers,
      "Content-Encoding": "gzip",
      "Content-Length": body.length,
      Vary: "Accept-Encoding",
    });
    res.end(req.method === "HEAD" ? undefined : body);
    return;
  }
  const range = parseRange(req.headers.range, info.size);
  if (range === "invalid") {
    res.writeHead(416, { "Content-Range": `bytes */${info.size}` }).end();
    return;
  }
  const [start, end] = range ?? [0, info.size - 1];
  headers["Content-Length"] = info.size === 0 ? 0 : end - start + 1;
  if (range) headers["Content-Range"] = `bytes ${start}-${end}/${info.size}`;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === "HEAD" || info.size === 0) {
    res.end();
    return;
  }
  createReadStream(filePath, { start, end }).pipe(res);
}

/** Parses a single "bytes=a-b" range; null when there is none, "invalid" when unsatisfiable. */
function parseRange(
  header: string | undefined,
  size: number,
): readonly [number, number] | null | "invalid" {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return "invalid";
  const [, first = "", last = ""] = match;
  let start: number;
  let end: number;
  if (first === "") {
    start = Math.max(0, size - Number(last));
    end = size - 1;
  } else {
    start = Number(first);
    end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  }
  return start <= end && start < size ? [start, end] : "invalid";
}

/** Launches Debian's Chromium headless (install it with `apt-get install -y chromium`). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
