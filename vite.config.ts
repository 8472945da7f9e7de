// Vite build and dev-server settings for the OpsLab single-page app.
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/**
 * Content-Security-Policy of the built site. v86 runs wasm and starts blob: workers; xterm injects
 * its theme as a <style>; the VM files come from the site itself. NOTE: connect-src grows with the
 * model providers the agent calls.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
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
  plugins: [react(), contentSecurityPolicy()],
  assetsInclude: ["**/*.wasm"],
  build: {
    target: "es2022",
  },
  worker: {
    format: "es",
  },
});
