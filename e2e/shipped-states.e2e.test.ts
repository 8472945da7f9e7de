// E2E: a first visit readies a task from the state the site ships; a corrupt shipped file sets it up afresh, says why, and the run still works.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIST_DIR, launchChromium, serveStatic, type StaticServer } from "./support/browser";
import { BOOT_TIMEOUT_MS, openPage, runPhase, startRun, waitForLinux } from "./support/page";
import { TASK_STATE_DB_NAME } from "../src/storage/task-state-db";

const REPO_DIR = fileURLToPath(new URL("..", import.meta.url));
/** A task whose setup is short: its fresh setup after the corrupt file stays quick. */
const TASK_ID = "login-path-broken";
const TASK_FOLDER = join(REPO_DIR, "tasks/sysadmin", TASK_ID);
/** Readying the task in Node (set up once, then from .cache/task-states) and packing its delta. */
const BUILD_TIMEOUT_MS = 240_000;
const RUN_TIMEOUT_MS = 180_000;

let site: string;
let server: StaticServer;
let browser: Browser;

/**
 * The test's own site: the built dist/ (linked, file by file at its top) with task-states/ holding
 * this one task's shipped state, made by npm run build:task-states.
 */
beforeAll(async () => {
  site = await mkdtemp(join(tmpdir(), "opslab-shipped-"));
  for (const entry of await readdir(DIST_DIR))
    if (entry !== "task-states") await symlink(join(DIST_DIR, entry), join(site, entry));
  await promisify(execFile)(
    join(REPO_DIR, "node_modules/.bin/tsx"),
    [
      "--import",
      "./src/cli/node-hooks/register.mjs",
      "src/cli/build-task-states.ts",
      "--jobs",
      "1",
      "--out",
      join(site, "task-states"),
      TASK_FOLDER,
    ],
    { cwd: REPO_DIR, timeout: BUILD_TIMEOUT_MS },
  );
  server = await serveStatic(site);
  browser = await launchChromium();
}, BUILD_TIMEOUT_MS + 30_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

const setupLine = (page: Page) => page.getByTestId("setup").first().textContent();

async function runOracleToVerdict(page: Page): Promise<string | null> {
  await startRun(page, TASK_ID, "oracle");
  await expect
    .poll(() => runPhase(page), { timeout: RUN_TIMEOUT_MS, interval: 250 })
    .toBe("Run finished");
  return page.getByTestId("verdict").first().getAttribute("data-verdict");
}

describe("shipped task states in the page", () => {
  it(
    "restores a first visit from the shipped state; a corrupt file sets the task up afresh and says so",
    { timeout: BOOT_TIMEOUT_MS + 2 * RUN_TIMEOUT_MS },
    async () => {
      const { page, errors } = await openPage(browser);
      await page.goto(server.url);
      await waitForLinux(page);

      // A first visit: nothing kept in this browser, so the task comes from task-states/.
      expect(await runOracleToVerdict(page)).toBe("pass");
      expect(await setupLine(page)).toMatch(
        /^Task restored from the state the site ships \(\d+\.\d MB downloaded\) in [\d.]+ s; the agent starts\.$/,
      );

      // Again as a first visit, with the shipped file corrupt in transit: the state the page kept
      // (IndexedDB) goes first, then one byte of the file is flipped on its way to the page.
      await page.evaluate(
        (name) =>
          new Promise<void>((resolve, reject) => {
            const request = indexedDB.deleteDatabase(name);
            request.onsuccess = () => resolve();
            request.onerror = () => reject(request.error);
          }),
        TASK_STATE_DB_NAME,
      );
      await page.context().route("**/task-states/*.zst", async (route) => {
        const response = await route.fetch();
        const body = Buffer.from(await response.body());
        body[body.length >> 1]! ^= 0xff;
        await route.fulfill({ response, body, headers: { "cache-control": "no-store" } });
      });
      expect(await runOracleToVerdict(page)).toBe("pass");
      expect(await setupLine(page)).toMatch(
        /^Task set up in [\d.]+ s; the agent starts\. \(the shipped task state [0-9a-f]{16}\.zst is corrupt or truncated \(its hash differs\); the task sets up afresh instead\)$/,
      );
      expect(errors).toEqual([]);
    },
  );
});
