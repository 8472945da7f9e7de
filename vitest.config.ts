// Vitest projects: fast unit tests, real-VM integration tests, and browser e2e tests.
import { defineConfig, mergeConfig } from "vitest/config";
import viteConfig from "./vite.config.ts";

const UNIT_TEST_TIMEOUT_MS = 20_000;
const SLOW_TEST_TIMEOUT_MS = 180_000;
const SLOW_HOOK_TIMEOUT_MS = 300_000;
/** Integration test files run side by side (each boots its own VM). */
const INTEGRATION_FILES_AT_ONCE = 2;
/** How long an e2e expect.poll waits for the page by default (vitest's 1 s is short on a busy CI). */
const E2E_POLL_TIMEOUT_MS = 5_000;

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: "unit",
            environment: "node",
            include: ["src/**/*.test.{ts,tsx}", "images/**/*.test.ts"],
            exclude: ["**/node_modules/**", "**/*.integration.test.{ts,tsx}"],
            // NOTE: files run in parallel on 2 cores, and a few tests spawn shells or push megabytes:
            // the default 5 s failed them on a loaded machine.
            testTimeout: UNIT_TEST_TIMEOUT_MS,
            // NOTE: GitHub's workflow parser imports its schema JSON without an import attribute,
            // which Node refuses; bundled by Vite it loads (src/cli/suite/deploy.test.ts).
            server: { deps: { inline: ["@actions/workflow-parser"] } },
          },
        },
        {
          extends: true,
          test: {
            name: "integration",
            environment: "node",
            include: ["src/**/*.integration.test.ts"],
            testTimeout: SLOW_TEST_TIMEOUT_MS,
            hookTimeout: SLOW_HOOK_TIMEOUT_MS,
            // NOTE: each file boots a real VM, one emulated CPU on one host thread that sleeps while the
            // guest waits: two files at once on the 2-core CI machine took 230 s where one at a time took
            // 364 s (four of these files, on a loaded machine). Tests allow for the slower VM.
            pool: "forks",
            maxWorkers: INTEGRATION_FILES_AT_ONCE,
          },
        },
        {
          extends: true,
          test: {
            name: "e2e",
            environment: "node",
            include: ["e2e/**/*.e2e.test.ts"],
            testTimeout: SLOW_TEST_TIMEOUT_MS,
            hookTimeout: SLOW_HOOK_TIMEOUT_MS,
            pool: "forks",
            fileParallelism: false,
            expect: { poll: { timeout: E2E_POLL_TIMEOUT_MS } },
          },
        },
      ],
    },
  }),
);
