// E2E: an oracle run made in the page, verified from History's run detail: "Reproduced", the mark in the table, kept after a reload.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveStatic, type StaticServer } from "./support/browser";
import {
  openPage,
  RUN_TIMEOUT_MS,
  startRun,
  waitForLinux,
  waitForRunEnd,
  goToPage,
} from "./support/page";

const TASK_ID = "nginx-reports-403";
/** Setup (restored from the state the run saved), the replay and the grading, on a loaded machine. */
const VERIFY_TIMEOUT_MS = 240_000;

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  server = await serveStatic();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("verifying a saved run in the page", () => {
  it(
    "verifies an oracle run from History's run detail and marks it reproduced",
    { timeout: RUN_TIMEOUT_MS + VERIFY_TIMEOUT_MS + 120_000 },
    async () => {
      const { page, errors } = await openPage(browser);
      await page.goto(server.url);
      await waitForLinux(page);
      await startRun(page, TASK_ID, "oracle");
      await waitForRunEnd(page);

      await goToPage(page, "History");
      const row = page.getByTestId("history-table").locator("tbody tr").first();
      await row.getByRole("button", { name: /Reports site answers 403/ }).click();
      const panel = page.getByTestId("verify-panel");
      await panel.getByRole("button", { name: "Verify" }).click();
      await expect
        .poll(() => panel.getByTestId("verify-progress").isVisible(), { timeout: 10_000 })
        .toBe(true);
      await expect
        .poll(async () => (await panel.getByTestId("verify-headline").count()) > 0, {
          timeout: VERIFY_TIMEOUT_MS,
          interval: 1000,
        })
        .toBe(true);
      expect(await panel.getByTestId("verify-headline").innerText()).toBe(
        "Reproduced: PASS → PASS",
      );
      // The figure for the note: Verify's time in the page, and its split.
      console.log(`verify in the page: ${await panel.getByText(/replayed:/).innerText()}`);
      const checks = await panel.locator(".verify-checks tbody tr").allInnerTexts();
      expect(checks.length).toBeGreaterThan(0);
      for (const check of checks) expect(check).toMatch(/^✓\s+✓\s+/);
      expect(await row.getByTestId("verified-mark").innerText()).toContain("reproduced");
      expect(await row.getByTestId("verified-mark").getAttribute("data-reproduced")).toBe("true");

      // The mark is kept with the run in this browser.
      await page.reload();
      await goToPage(page, "History");
      await expect
        .poll(() => page.getByTestId("verified-mark").first().getAttribute("data-reproduced"), {
          timeout: 30_000,
        })
        .toBe("true");
      expect(errors).toEqual([]);
    },
  );
});
