// E2E: the history page: deleting frees storage, export then import into a fresh profile gives the same table, a corrupt record is set aside, a run cut off by a reload is interrupted with its steps.
import { mkdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveStatic, type StaticServer } from "./support/browser";
import {
  BOOT_TIMEOUT_MS,
  openPage,
  RUN_TIMEOUT_MS,
  startRun,
  waitForLinux,
  goToPage,
} from "./support/page";

const SCREENSHOT_DIR = fileURLToPath(new URL("./screenshots/", import.meta.url));
/** Random hex per run, so the browser cannot compress the seeded records away. */
const OUTPUT_CHARS = 100_000;
const SEEDED_RUNS = 30;

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  server = await serveStatic();
  browser = await launchChromium();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A finished, graded run as OpsLab writes it (schema 2), with `outputChars` of command output. */
function savedRun(i: number, outputChars = 0, patch: Record<string, unknown> = {}) {
  const limits = { maxSteps: 5, maxSeconds: 60, maxTokens: 0, maxCostUsd: 0, commandSeconds: 10 };
  return {
    schemaVersion: 2,
    id: `seeded-${i}`,
    createdAt: new Date(Date.UTC(2026, 10, 1 + (i % 28), 10, i)).toISOString(),
    task: {
      id: i % 2 ? "nginx-reports-403" : "dns-stale-resolver",
      title: i % 2 ? "Reports return 403" : "Stale resolver",
      domain: i % 2 ? "sysadmin" : "networking",
      difficulty: "easy",
    },
    agent: { provider: "openai", model: i % 3 ? "gpt-x" : "gpt-y", toolMode: "native" },
    limits,
    events: [
      { type: "started", atMs: 0, provider: "openai", model: "gpt-x", limits, toolMode: "native" },
      {
        type: "usage",
        atMs: 5,
        step: 1,
        inputTokens: 100 + i,
        outputTokens: 10,
        totalTokens: 110 + i,
        costUsd: 0.001 * i,
      },
      {
        type: "tool-call",
        atMs: 6,
        step: 1,
        callId: "c",
        input: { tool: "run_command", command: `echo seeded-${i}` },
      },
      {
        type: "tool-result",
        atMs: 9,
        step: 1,
        callId: "c",
        outcome: {
          kind: "command",
          exitCode: 0,
          stdout: "RANDOM",
          stderr: "",
          durationMs: 3,
          timedOut: false,
          truncated: false,
        },
        outputChars,
      },
      { type: "finished", atMs: 20, reason: "finished", summary: "done" },
      {
        type: "graded",
        atMs: 30,
        grade: {
          passed: i % 4 !== 0,
          checks: [{ passed: true, text: "ok" }],
          exitCode: 0,
          notes: [],
        },
      },
    ],
    outcome: {},
    ...patch,
  };
}

/** Puts records into the page's IndexedDB as version 1 wrote it, before the app opens it (so the app upgrades it). */
async function seedRuns(page: Page, records: unknown[]): Promise<void> {
  await page.goto(`${server.url}vm/image.json`);
  await page.evaluate(
    (records) =>
      new Promise<void>((resolve, reject) => {
        const random = (n: number) => {
          const bytes = crypto.getRandomValues(new Uint8Array(n / 2));
          return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
        };
        const open = indexedDB.open("opslab", 1);
        open.onupgradeneeded = () => {
          const runs = open.result.createObjectStore("runs", { keyPath: "id" });
          runs.createIndex("createdAt", "createdAt");
        };
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction("runs", "readwrite");
          for (const record of records as { events: Record<string, unknown>[] }[]) {
            for (const event of record.events) {
              if (typeof event.outputChars !== "number") continue;
              (event.outcome as { stdout: string }).stdout = random(event.outputChars);
              delete event.outputChars;
            }
            tx.objectStore("runs").put(record);
          }
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    records,
  );
}

async function openHistory(page: Page): Promise<void> {
  await goToPage(page, "History");
  await page.getByTestId("history-view").waitFor();
}

const rows = (page: Page) => page.getByTestId("history-table").locator("tbody tr");

/** The table as text, row by row (what a person reads). */
const tableText = (page: Page) => rows(page).allInnerTexts();

/** Storage used as the page shows it, measured again (the page measures when History opens). */
async function storageUsed(page: Page): Promise<number> {
  await goToPage(page, "Lab");
  await openHistory(page);
  await page.getByTestId("storage-used").waitFor();
  return Number(await page.getByTestId("storage-used").getAttribute("data-bytes"));
}

describe("history", () => {
  it(
    "deletes chosen runs after a confirm, and the storage estimate drops; they stay gone after a reload",
    { timeout: 300_000 },
    async () => {
      const { page, errors } = await openPage(browser);
      await seedRuns(
        page,
        Array.from({ length: SEEDED_RUNS }, (_, i) => savedRun(i, OUTPUT_CHARS)),
      );
      await page.goto(server.url);
      await waitForLinux(page);
      await openHistory(page);
      await expect.poll(() => rows(page).count()).toBe(SEEDED_RUNS);
      const seededBytes = SEEDED_RUNS * OUTPUT_CHARS;
      const before = await storageUsed(page);
      expect(before).toBeGreaterThan(seededBytes / 2);
      await page.screenshot({ path: `${SCREENSHOT_DIR}history.png` });

      // Filters, sorting and search narrow the table.
      await page.getByTestId("history-view").getByLabel("Domain").selectOption("networking");
      expect(await rows(page).count()).toBe(SEEDED_RUNS / 2);
      await page.getByLabel("Search runs").fill("seeded-7");
      expect(await tableText(page)).toEqual([]);
      await page.getByTestId("history-view").getByLabel("Domain").selectOption("");
      expect(await rows(page).count()).toBe(1);
      await page.getByRole("button", { name: "Clear", exact: true }).click();

      await page.getByLabel("Choose every run shown").check();
      page.once("dialog", (dialog) => void dialog.accept());
      await page.getByRole("button", { name: `Delete ${SEEDED_RUNS} chosen` }).click();
      await expect.poll(() => rows(page).count()).toBe(0);
      let after = before;
      await expect
        .poll(async () => (after = await storageUsed(page)), { timeout: 60_000, interval: 2_000 })
        .toBeLessThan(before - seededBytes / 2);
      console.log(
        `storage used: ${before} bytes before, ${after} after deleting ${SEEDED_RUNS} runs`,
      );
      await page.reload();
      await openHistory(page);
      await page.waitForTimeout(1_000);
      expect(await rows(page).count()).toBe(0);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it(
    "exports every run and imports the file into a fresh profile: the same table",
    { timeout: 300_000 },
    async () => {
      const { page, errors } = await openPage(browser);
      await seedRuns(
        page,
        Array.from({ length: 8 }, (_, i) => savedRun(i, 200)),
      );
      await page.goto(server.url);
      await openHistory(page);
      await expect.poll(() => rows(page).count()).toBe(8);
      const table = await tableText(page);
      const downloading = page.waitForEvent("download");
      await page.getByRole("button", { name: "Export all (.json)" }).click();
      const file = await (await downloading).path();
      const archive = JSON.parse(await readFile(file, "utf8"));
      expect(archive).toMatchObject({ format: "opslab-archive", version: 1 });
      expect(archive.runs).toHaveLength(8);

      const fresh = await openPage(browser);
      await fresh.page.goto(server.url);
      await openHistory(fresh.page);
      // A foreign file first: a clear error, and nothing changes.
      await fresh.page.getByTestId("import-file").setInputFiles({
        name: "other.json",
        mimeType: "application/json",
        buffer: Buffer.from(JSON.stringify({ hello: "world" })),
      });
      await expect
        .poll(() => fresh.page.getByTestId("history-notice").innerText())
        .toMatch(/not an OpsLab archive.*Nothing was imported/);
      expect(await rows(fresh.page).count()).toBe(0);
      await fresh.page.getByTestId("import-file").setInputFiles(file);
      await expect
        .poll(() => fresh.page.getByTestId("history-notice").innerText())
        .toMatch(/Imported 8 run/);
      expect(await tableText(fresh.page)).toEqual(table);
      // The same file again: nothing doubled.
      await fresh.page.getByTestId("import-file").setInputFiles(file);
      await expect
        .poll(() => fresh.page.getByTestId("history-notice").innerText())
        .toMatch(/8 run\(s\) were here already/);
      await fresh.page.reload();
      await openHistory(fresh.page);
      await expect.poll(() => tableText(fresh.page)).toEqual(table);
      expect([...errors, ...fresh.errors]).toEqual([]);
      await fresh.page.context().close();
      await page.context().close();
    },
  );

  it(
    "sets a corrupt record aside with a notice naming the damage; the rest works",
    { timeout: 300_000 },
    async () => {
      const { page, errors } = await openPage(browser);
      const corrupt = savedRun(1);
      (corrupt.events[2] as { input: unknown }).input = { tool: "run_command", command: 42 };
      await seedRuns(page, [savedRun(2), { ...corrupt, id: "corrupt" }]);
      await page.goto(server.url);
      await openHistory(page);
      const card = page.getByTestId("history-view").getByTestId("error-card");
      await expect
        .poll(() => card.innerText())
        .toMatch(/events\[2\] \(tool-call\)\.input\.command/);
      expect(await rows(page).count()).toBe(1);
      await rows(page).getByRole("button", { name: "Stale resolver" }).click();
      expect(await page.getByTestId("history-detail").getByTestId("command").innerText()).toBe(
        "$ echo seeded-2",
      );
      page.once("dialog", (dialog) => void dialog.accept());
      await card.getByRole("button", { name: "Delete this saved run" }).click();
      await expect.poll(() => card.count()).toBe(0);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it(
    "keeps a run in the tab when the quota is full, says how to free space, and saves it once space is freed",
    { timeout: 400_000 },
    async () => {
      const { page, errors } = await openPage(browser);
      await page.goto(server.url);
      await waitForLinux(page);
      // The browser's own quota for this site, set to what is used now: the next write is refused.
      const cdp = await page.context().newCDPSession(page);
      const origin = new URL(server.url).origin;
      const usage = await page.evaluate(
        async () => (await navigator.storage.estimate()).usage ?? 0,
      );
      await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: usage });
      await startRun(page, "nginx-reports-403", "oracle");
      await expect
        .poll(() => page.locator(".run-panel .warning").allInnerTexts(), {
          timeout: RUN_TIMEOUT_MS,
        })
        .toContainEqual(
          expect.stringMatching(/could not be saved: Storage is full.*Delete old runs/),
        );
      await expect
        .poll(() => page.getByTestId("run-phase").textContent(), { timeout: RUN_TIMEOUT_MS })
        .toBe("Run finished");
      await openHistory(page);
      expect(await page.getByTestId("unsaved-runs").innerText()).toMatch(
        /1 run\(s\) are kept in this tab only/,
      );
      expect(await rows(page).count()).toBe(1);
      const row = await tableText(page);

      // Space is freed: the run is saved, and it is there after a reload.
      await cdp.send("Storage.overrideQuotaForOrigin", { origin });
      page.once("dialog", (dialog) => void dialog.accept());
      await page.getByRole("button", { name: "Clear saved task states" }).click();
      await expect.poll(() => page.getByTestId("unsaved-runs").count()).toBe(0);
      await page.reload();
      await openHistory(page);
      await expect.poll(() => tableText(page)).toEqual(row);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it(
    "is not wedged by an older tab holding the database open: it says so, then opens once that tab lets go",
    { timeout: 300_000 },
    async () => {
      const { page: older, errors } = await openPage(browser);
      await seedRuns(older, [savedRun(1), savedRun(2)]);
      // An older OpsLab's connection: version 1, never closed on a version change.
      await older.evaluate(
        () =>
          new Promise<void>((resolve) => {
            const open = indexedDB.open("opslab", 1);
            open.onsuccess = () => {
              (globalThis as { heldDb?: IDBDatabase }).heldDb = open.result;
              resolve();
            };
          }),
      );
      const page = await older.context().newPage();
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(server.url);
      const note = page.locator(".run-panel .warning");
      await expect
        .poll(() => note.allInnerTexts())
        .toContainEqual(expect.stringMatching(/older version of storage open: close or reload it/));
      // The page works meanwhile.
      await openHistory(page);
      expect(await rows(page).count()).toBe(0);
      await older.evaluate(() => (globalThis as { heldDb?: IDBDatabase }).heldDb?.close());
      await expect.poll(() => rows(page).count()).toBe(2);
      await goToPage(page, "Lab");
      expect(await note.count()).toBe(0);
      expect(errors).toEqual([]);
      await older.context().close();
    },
  );

  it(
    "shows a run cut off by a reload as interrupted, with every step it took",
    { timeout: 400_000 },
    async () => {
      const { page, errors } = await openPage(browser);
      await page.goto(server.url);
      await waitForLinux(page);
      await startRun(page, "nginx-reports-403", "oracle");
      const command = page.getByTestId("command").first();
      await command.waitFor({ timeout: RUN_TIMEOUT_MS });
      const ran = await command.innerText();
      // Reloaded at once: no throttle, no grace period.
      await page.reload();
      await openHistory(page);
      await expect.poll(() => rows(page).count(), { timeout: BOOT_TIMEOUT_MS }).toBe(1);
      expect(await rows(page).first().innerText()).toMatch(/^\s*interrupted/);
      await rows(page).getByRole("button", { name: /./ }).first().click();
      const detail = page.getByTestId("history-detail");
      expect(await detail.getByTestId("setup").count()).toBe(1);
      expect(await detail.getByTestId("command").first().innerText()).toBe(ran);
      await page.screenshot({ path: `${SCREENSHOT_DIR}history-interrupted.png` });
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
