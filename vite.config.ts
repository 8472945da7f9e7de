// Vite build and dev-server settings for the OpsLab single-page app.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  // NOTE: relative base so the built site works when served under any sub-path.
  base: "./",
  plugins: [react()],
  assetsInclude: ["**/*.wasm"],
  build: {
    target: "es2022",
  },
  worker: {
    format: "es",
  },
});
