// Vite build and dev-server settings for the OpsLab single-page app.
import react from "@vitejs/plugin-react";
import { createReadStream, statSync } from "node:fs";
import { copyFile, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { HOSTED_PROVIDER_ORIGINS } from "./src/agent/providers/presets.ts";
import { devTaskStates } from "./src/cli/dev-task-states/plugin.ts";

/** Where `npm run vm:snapshot` keeps the saved machine (made on demand, not committed). */
const VM_STATE_DIR = fileURLToPath(new URL("./.cache/vm-state/", import.meta.url));
/** state.json (image.json's), state-debian.json (image-debian.json's) and the states they name. */
const VM_STATE_FILE = /^state(-[a-z]+)?\.json$|^state-[0-9a-f]+\.zst$/;

/** Serves the saved machine as vm/state* in development and copies it into the build's vm/ folder. */
function vmState(): Plugin {
  return {
    name: "opslab-vm-state",
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = /\/vm\/([^/?]+)(\?.*)?$/.exec(req.url ?? "")?.[1];
        if (!name || !VM_STATE_FILE.test(name)) return next();
        const path = join(VM_STATE_DIR, name);
        let size: number;
        try {
          size = statSync(path).size;
        } catch {
          return next();
        }
        res.setHeader(
          "Content-Type",
          name.endsWith(".json") ? "application/json" : "application/octet-stream",
        );
        res.setHeader("Content-Length", size);
        if (req.method === "HEAD") res.end();
        else createReadStream(path).pipe(res);
      });
    },
    async writeBundle(options) {
      if (!options.dir) return;
      const names = (await readdir(VM_STATE_DIR).catch(() => [])).filter((n) =>
        VM_STATE_FILE.test(n),
      );
      await mkdir(join(options.dir, "vm"), { recursive: true });
      for (const name of names)
        await copyFile(join(VM_STATE_DIR, name), join(options.dir, "vm", name));
    },
  };
}

/**
 * Origins the agent may call: the hosted providers of the presets, local model servers, and any
 * origins listed (space-separated) in OPSLAB_EXTRA_CONNECT_SRC at build time for other endpoints.
 */
const CONNECT_SRC = [
  "'self'",
  ...HOSTED_PROVIDER_ORIGINS,
  "http://localhost:*",
  "http://127.0.0.1:*",
  ...(process.env.OPSLAB_EXTRA_CONNECT_SRC ?? "").split(/\s+/).filter(Boolean),
];

/**
 * Content-Security-Policy of the built site. v86 runs wasm and starts blob: workers; xterm injects
 * its theme as a <style>; the VM files come from the site itself; the agent calls CONNECT_SRC.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  `connect-src ${CONNECT_SRC.join(" ")}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join("; ");

/** Adds the policy to the built index.html only: the dev server injects inline scripts of its own. */
function contentSecurityPolicy(): Plugin {
  return {
    name: "opslab-content-security-policy",
    apply: "build",
    transformIndexHtml: () => [
      {
        tag: "meta",
        attrs: { "http-equiv": "Content-Security-Policy", content: CONTENT_SECURITY_POLICY },
        injectTo: "head-prepend",
      },
    ],
  };
}

export default defineConfig({
  // NOTE: relative base so the built site works when served under any sub-path.
  base: "./",
  // NOTE: devTaskStates is npm run dev's only (apply: "serve"): a built site ships its states as files.
  plugins: [react(), contentSecurityPolicy(), vmState(), devTaskStates()],
  assetsInclude: ["**/*.wasm"],
  // NOTE: the zstd decoder finds its wasm beside its own module (new URL(..., import.meta.url)), which
  // pre-bundling would move away from it.
  optimizeDeps: { exclude: ["@bokuweb/zstd-wasm"] },
  build: {
    target: "es2022",
  },
  worker: {
    format: "es",
  },
});
