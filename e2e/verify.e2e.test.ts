// E2E: an oracle run kept in this browser, verified from History's run detail: "Reproduced", the mark in the table, kept after a reload.
import { readFile } from "node:fs/promises";
import { gunzipSync, strFromU8 } from "fflate";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveStatic, type StaticServer } from "./support/browser";
import type { CorpusEntry } from "../src/analysis/corpus";
import { BOOT_TIMEOUT_MS, goToPage, openPage, seedRuns, waitForLinux } from "./support/page";

/** The labelled corpus's oracle run of nginx-reports-403, made in the real VM by `npm run corpus`. */
const ORACLE_RUN = "reports403-oracle";
/** Setup (restored from the state the run saved), the replay and the grading, on a loaded machine. */
const VERIFY_TIMEOUT_MS = 240_000;

let server: StaticServer;
let browser: Browser;
let record: CorpusEntry["record"];

beforeAll(async () => {
  server = await serveStatic();
  browser = await launchChromium();
  const file = new URL(`../src/analysis/corpus/${ORACLE_RUN}.json.gz`, import.meta.url);
  ({ record } = JSON.parse(strFromU8(gunzipSync(await readFile(file)))) as CorpusEntry);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("verifying a saved run in the page", () => {
  it(
    "verifies an oracle run from History's run detail and marks it reproduced",
    { timeout: BOOT_TIMEOUT_MS + VERIFY_TIMEOUT_MS + 60_000 },
    async () => {
      const { page, errors } = await openPage(browser);
      expect(record.outcome.verdict).toBe("pass");
      await seedRuns(page, server.url, [record], { linux: true });
      await page.goto(server.url);
      await waitForLinux(page);

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
