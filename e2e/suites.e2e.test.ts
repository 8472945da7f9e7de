// E2E: a suite of 3 tasks by the oracle runs in the page, goes on after a reload mid-suite, and its export imports into a fresh profile with the same table.
import { mkdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveStatic, type StaticServer } from "./support/browser";
import { openPage, waitForLinux } from "./support/page";

const SCREENSHOT_DIR = fileURLToPath(new URL("./screenshots/", import.meta.url));
/** Three of the quickest tasks to set up, solve and grade (sysadmin: no extra hosts, no cloud). */
const SUITE_TASKS = ["login-path-broken", "nginx-wont-start", "nginx-reports-403"];
/** A results file written by `npm run suite` (an oracle run of login-path-broken). */
const NODE_RESULTS = fileURLToPath(
  new URL("../src/state/fixtures/node-suite-results.json", import.meta.url),
);
/** The whole suite: three oracle runs, one of them twice (cut off by the reload), and a boot. */
const SUITE_TIMEOUT_MS = 300_000;

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

const doneText = (page: Page) => page.getByTestId("suite-done").textContent();

/** Waits until the suite says `text`; fails at once, with what the page says, if the suite stopped short. */
async function waitForDone(page: Page, text: string) {
  const deadline = Date.now() + SUITE_TIMEOUT_MS;
  for (;;) {
    if ((await doneText(page).catch(() => null)) === text) return;
    const error = page.getByTestId("suite-error");
    if ((await error.count()) > 0 || Date.now() > deadline) {
      await page.screenshot({ path: `${SCREENSHOT_DIR}suite-stuck.png`, fullPage: true });
      const said = await page.getByTestId("suites-panel").innerText();
      const vm = await page.getByTestId("vm-status").textContent();
      const run = await page.getByTestId("run-phase").textContent({ timeout: 1000 }).catch(String);
      throw new Error(
        `The suite did not reach "${text}" (Linux: ${vm}; run: ${run}). The page says:\n${said}`,
      );
    }
    await page.waitForTimeout(1000);
  }
}

/** The leaderboard tables as text, row by row (the same in any browser that has the same runs). */
async function tables(page: Page): Promise<string[]> {
  return page.locator("table.leaderboard tr").evaluateAll((rows) =>
    rows.map((row) =>
      [...row.querySelectorAll("th, td")]
        .filter((cell) => cell.getAttribute("data-col") !== "time")
        .map((cell) => cell.textContent)
        .join(" | "),
    ),
  );
}

async function pickSuite(page: Page) {
  await page.getByRole("button", { name: "Suites", exact: true }).click();
  const form = page.getByRole("form", { name: "New suite" });
  await form.getByLabel("Suite name", { exact: true }).fill("e2e three");
  await form.getByLabel("Domain", { exact: true }).selectOption("sysadmin");
  for (const box of await form.locator("[data-suite-task]").all()) {
    const id = await box.getAttribute("data-suite-task");
    await box.setChecked(SUITE_TASKS.includes(id ?? ""));
  }
  await expect
    .poll(() => page.getByTestId("suite-size").textContent())
    .toMatch(/^3 tasks × 1 agents × 1 trials = 3 runs, (under a minute|about \d+ min)$/);
  await form.getByRole("button", { name: "Create and run" }).click();
}

describe("suites in the page", () => {
  it(
    "runs a suite of 3 tasks with the oracle, resumes it after a reload, exports and imports its table",
    async () => {
      const { page, errors } = await openPage(browser);
      await page.goto(server.url);
      await waitForLinux(page);
      await pickSuite(page);
      await waitForDone(page, "1/3 runs done");
      // NOTE: the second item starts as soon as the first is saved: the reload cuts it off.
      await page.reload();
      await expect
        .poll(() => page.getByTestId("suite-resumed").isVisible(), { timeout: 120_000 })
        .toBe(true);
      await waitForDone(page, "3/3 runs done");
      await expect.poll(() => page.getByTestId("suite-progress").textContent()).toMatch(/finished/);
      const oracle = page.locator('[data-testid="leaderboard"] tr[data-agent="oracle/reference"]');
      await expect.poll(() => oracle.locator('[data-col="passes"]').textContent()).toBe("3/3");
      expect(await oracle.locator('[data-col="pass@1"]').textContent()).toBe("100%");
      const charts = await page.getByTestId("suite-charts").textContent();
      expect(charts).toContain("sysadmin");
      expect(charts).toContain("100% (3/3)");
      await page.screenshot({ path: `${SCREENSHOT_DIR}suite-done.png`, fullPage: true });
      const table = await tables(page);

      const download = page.waitForEvent("download");
      await page.getByTestId("suite-list").getByRole("button", { name: "Export" }).click();
      const file = await (await download).path();
      const archive = JSON.parse(await readFile(file, "utf8")) as {
        runs: unknown[];
        suites: { runs: Record<string, string> }[];
      };
      expect(archive.runs).toHaveLength(3);
      expect(Object.keys(archive.suites[0]?.runs ?? {})).toHaveLength(3);
      expect(errors).toEqual([]);

      // A fresh profile: no runs, no suites; the file brings the same table.
      const fresh = await openPage(browser);
      await fresh.page.goto(server.url);
      await fresh.page.getByRole("button", { name: "Suites", exact: true }).click();
      await fresh.page.getByTestId("suite-import").setInputFiles(file);
      await expect
        .poll(() => fresh.page.getByTestId("suite-import-message").textContent())
        .toMatch(/^Imported 1 suites and 3 runs from /);
      await expect.poll(() => tables(fresh.page)).toEqual(table);
      expect(fresh.errors).toEqual([]);

      // A file that is not an archive changes nothing and says why.
      await fresh.page.getByTestId("suite-import").setInputFiles({
        name: "notes.json",
        mimeType: "application/json",
        buffer: Buffer.from('{"hello": 1}'),
      });
      await expect
        .poll(() => fresh.page.getByTestId("suite-import-message").textContent())
        .toMatch(/not an OpsLab archive.*Nothing was imported/);
      expect(await tables(fresh.page)).toEqual(table);

      // A results file of npm run suite (one oracle run) imports too and shows its table.
      await fresh.page.getByTestId("suite-import").setInputFiles(NODE_RESULTS);
      await expect
        .poll(() => fresh.page.getByTestId("suite-import-message").textContent())
        .toMatch(/^Imported 1 suites and 1 runs from /);
      await fresh.page
        .getByTestId("suite-list")
        .getByRole("button", { name: /login-path-broken/ })
        .click();
      const node = fresh.page.locator(
        '[data-testid="leaderboard"] tr[data-agent="oracle/reference"]',
      );
      await expect.poll(() => node.locator('[data-col="passes"]').textContent()).toBe("1/1");
      expect(fresh.errors).toEqual([]);
    },
    SUITE_TIMEOUT_MS * 2,
  );
});
