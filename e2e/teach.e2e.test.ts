// E2E: "Compare with the reference" on a saved oracle run (recorded through the real runner): the teaches line, the reference with its comment, every check passed with what it looked at, a step link that moves the replay.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import oracleRun from "../src/domain/fixtures/runs/oracle-nginx-reports-403.json";
import { launchChromium, serveStatic, type StaticServer } from "./support/browser";
import { openPage, seedRuns } from "./support/page";

/** How long the page may take to show what a click asked for. */
const UI_TIMEOUT_MS = 10_000;
/** Checks of nginx-reports-403's grader (tests/check.sh). */
const CHECKS = 11;

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

describe("the teaching view", () => {
  it(
    "shows an oracle run beside the reference, with the grader's checks",
    { timeout: 60_000 },
    async () => {
      const { page, errors } = await openPage(browser);
      await seedRuns(page, server.url, [oracleRun]);
      await page.goto(`${server.url}#/runs/${oracleRun.id}`);
      await page.getByTestId("replay").waitFor({ timeout: UI_TIMEOUT_MS });
      await page.getByTestId("teach-toggle").click();
      const view = page.getByTestId("teach-view");
      await view.waitFor({ timeout: UI_TIMEOUT_MS });

      expect(await view.getByTestId("teach-teaches").innerText()).toContain("chmod -R 777");
      const reference = await view.getByTestId("teach-reference").innerText();
      expect(reference).toContain("Let nginx's worker (www-data) traverse the folders");
      expect(reference).toContain("chmod 600 /srv/reports/.signing.key");
      // The oracle wrote the reference and ran it: nothing unneeded, nothing unseen.
      expect(await view.getByTestId("teach-not-needed").innerText()).toContain("Nothing");
      expect(await view.getByTestId("teach-never-looked").innerText()).toContain("Nothing");
      const checks = view.getByTestId("teach-check");
      expect(await checks.count()).toBe(CHECKS);
      for (const result of await checks.evaluateAll((els) => els.map((e) => e.dataset.result)))
        expect(result).toBe("passed");
      expect(await checks.first().innerText()).toContain("http_status URL");

      // A step of the agent's column shows that step in the replay.
      await view.getByTestId("teach-agent").getByRole("button", { name: "Step 1" }).click();
      await expect
        .poll(() => page.getByTestId("replay-step").getAttribute("data-step"), {
          timeout: UI_TIMEOUT_MS,
        })
        .toBe("1");
      expect(errors).toEqual([]);
    },
  );
});
