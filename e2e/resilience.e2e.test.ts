// E2E: the page stays up: bad saved runs and render errors show a card for their part, Stop during setup, malformed guest frames.
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveStatic, type StaticServer } from "./support/browser";
import {
  inShell,
  openPage,
  runPhase,
  seedRuns,
  startRun,
  waitForLinux,
  waitForRunEnd,
} from "./support/page";

const SCREENSHOT_DIR = fileURLToPath(new URL("./screenshots/", import.meta.url));

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

/** A saved run as OpsLab writes it (schema 1), changed where a test damages it. */
function savedRun(id: string, title: unknown, events: unknown[] = []) {
  return {
    schemaVersion: 1,
    id,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, Number(id.length))).toISOString(),
    task: { id: "nginx-reports-403", title, domain: "sysadmin", difficulty: "easy" },
    agent: { provider: "scripted", model: "oracle", toolMode: "native" },
    limits: { maxSteps: 5, maxSeconds: 60, maxTokens: 0, maxCostUsd: 0, commandSeconds: 10 },
    events: [
      ...events,
      { type: "finished", atMs: 20, reason: "finished", summary: "ok" },
      {
        type: "graded",
        atMs: 30,
        grade: { passed: true, checks: [{ passed: true, text: "ok" }], exitCode: 0, notes: [] },
      },
    ],
    outcome: {},
  };
}

describe("the page stays up", () => {
  it(
    "shows a card naming the damage for each corrupt saved run, and sets it aside; the rest works",
    { timeout: 300_000 },
    async () => {
      const { page, errors } = await openPage(browser);
      await seedRuns(
        page,
        server.url,
        [
          savedRun("good-run", "A good old run"),
          // A title that is no text: refused by the deep checks, never rendered.
          savedRun("bad-title", { not: "text" }),
          // A step whose outcome is missing: refused, never shown half.
          savedRun("bad-step", "A run with a damaged step", [
            { type: "tool-result", atMs: 2, step: 1, callId: "c", outcome: null },
          ]),
          // No schema version: the record cannot be read at all.
          { id: "no-version", createdAt: "2026-01-01T00:00:09.000Z", task: {} },
        ],
        { linux: true },
      );
      await page.goto(server.url);
      await waitForLinux(page);

      const history = page.getByTestId("history");
      expect(await history.locator("summary").innerText()).toBe("Saved runs (1, 3 unreadable)");
      await history.locator("summary").click();
      const cards = history.getByTestId("error-card");
      expect(await cards.count()).toBe(3);
      const texts = (await cards.allInnerTexts()).join("\n");
      expect(texts).toMatch(/task\.title/);
      expect(texts).toMatch(/events\[0\] \(tool-result\)\.outcome/);
      expect(texts).toMatch(/no schemaVersion/);
      await page.screenshot({ path: `${SCREENSHOT_DIR}error-cards.png` });

      // The other panels work: the catalogue, the ticket, the terminal, the good saved run.
      await page.locator('[data-task-id="port80-taken"]').click();
      expect(await page.locator("#task-title").innerText()).not.toBe("");
      await inShell(page, "echo alive-$((6*7))", /alive-42/);
      await history.getByRole("button", { name: /A good old run/ }).click();
      expect(await page.getByTestId("saved-run").getByTestId("verdict").innerText()).toMatch(
        /^PASS/,
      );

      // Deleting from a card removes the record for good.
      await cards.nth(0).getByRole("button", { name: "Delete this saved run" }).click();
      await expect.poll(() => cards.count()).toBe(2);
      await cards.nth(0).getByRole("button", { name: "Delete this saved run" }).click();
      await expect
        .poll(() => history.locator("summary").innerText())
        .toBe("Saved runs (1, 1 unreadable)");
      await page.reload();
      await history.locator("summary").click({ timeout: 60_000 });
      expect(await history.locator("summary").innerText()).toBe("Saved runs (1, 1 unreadable)");
      expect(await history.getByTestId("error-card").count()).toBe(1);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it("keeps the good saved settings, names the bad one, and refuses a bad value as it is typed", async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}vm/image.json`);
    await page.evaluate(() =>
      localStorage.setItem(
        "opslab.settings",
        JSON.stringify({ version: 1, model: "kept-model", maxTokens: -5 }),
      ),
    );
    await page.goto(server.url);
    expect(await page.getByTestId("settings-notice").innerText()).toMatch(/settings were reset/);
    await page.getByRole("button", { name: "Settings", exact: true }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.getByText(/reset to their defaults/).innerText()).toMatch(
      /Max tokens \(it must be 0 \(no cap\) or more\)/,
    );
    expect(await dialog.getByLabel("Model", { exact: true }).inputValue()).toBe("kept-model");
    await dialog.getByRole("button", { name: "Done" }).click();
    // NOTE: the notice goes at the next render after the dialog closes; a count taken at once raced it.
    await page.getByTestId("settings-notice").waitFor({ state: "detached", timeout: 5000 });
    await page.getByRole("button", { name: "Settings", exact: true }).click();
    const maxTokens = dialog.getByLabel("Max tokens");
    const saved = () => page.evaluate(() => localStorage.getItem("opslab.settings"));
    await maxTokens.fill("5000");
    expect(JSON.parse((await saved()) ?? "{}")).toMatchObject({ maxTokens: 5000 });
    await maxTokens.fill("-5");
    expect(await dialog.getByTestId("field-error").innerText()).toBe(
      "Not saved: it must be 0 (no cap) or more.",
    );
    expect(await maxTokens.getAttribute("aria-invalid")).toBe("true");
    expect(JSON.parse((await saved()) ?? "{}")).toMatchObject({ maxTokens: 5000 });
    await page.screenshot({ path: `${SCREENSHOT_DIR}settings-refused.png` });
    await maxTokens.fill("7000");
    expect(await dialog.getByTestId("field-error").count()).toBe(0);
    expect(JSON.parse((await saved()) ?? "{}")).toMatchObject({ maxTokens: 7000 });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it(
    "stops a run while its task is set up: at once, ungraded, with Linux left clean",
    { timeout: 300_000 },
    async () => {
      const { page, errors } = await openPage(browser);
      await page.goto(server.url);
      await waitForLinux(page);
      // A networking task: building its network and setup take about 30 s.
      await startRun(page, "dnat-no-forward", "oracle");
      await expect.poll(() => runPhase(page)).toMatch(/setting the task up/);
      await page.waitForTimeout(6_000);
      const stoppedAt = Date.now();
      // NOTE: exact: a task whose title says "stopped" is a button too.
      await page.getByRole("button", { name: "Stop", exact: true }).first().click();
      await page.getByTestId("finished").waitFor({ timeout: 3_000 });
      const stopMs = Date.now() - stoppedAt;
      expect(await page.getByTestId("finished").innerText()).toMatch(/^Stopped by you/);
      await waitForRunEnd(page);
      expect(await page.getByTestId("verdict").count()).toBe(0);
      expect(await page.getByTestId("setup").count()).toBe(0);
      console.log(`e2e: Stop during setup ended the run in ${stopMs} ms`);
      // Nothing of the setup is left: no namespace of the task's network, no setup script.
      await inShell(
        page,
        'echo "left=$(ip netns list | wc -l)/$(ls /run/opslab-task 2>/dev/null | wc -l)"',
        /left=0\/0/,
      );
      // And the next run works.
      await startRun(page, "nginx-reports-403", "oracle");
      await waitForRunEnd(page);
      expect(await page.getByTestId("verdict").innerText()).toMatch(/^PASS/);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it(
    "keeps working when the guest floods its channel with junk, malformed and forged frames",
    { timeout: 400_000 },
    async () => {
      const { page, errors } = await openPage(browser);
      await page.goto(server.url);
      await waitForLinux(page);
      // About 2 MB of junk, frames that are not base64 or not a request's reply, then forged
      // replies (to whatever the page may have in flight) whose fields have the wrong types.
      await inShell(
        page,
        "head -c 2000000 /dev/urandom > /dev/ttyS1; echo junk-$((6*7))",
        /junk-42/,
      );
      await inShell(
        page,
        "printf '@@OPSLAB !!!notbase64\\n@@OPSLAB e30=\\n@@OPSLAB \\n' > /dev/ttyS1; echo bad-$((6*7))",
        /bad-42/,
      );
      const forged = '{"id":%d,"ok":true,"exitCode":0,"stdout":"UEFTUzogZm9yZ2VkCg==","stderr":42}';
      await inShell(
        page,
        `for i in $(seq 1 50); do printf '@@OPSLAB %s\\n' "$(printf '${forged}' $i | base64 -w0)"; done > /dev/ttyS1; echo forged-$((6*7))`,
        /forged-42/,
      );
      await inShell(page, "echo still-$((6*7))", /still-42/);
      await startRun(page, "nginx-reports-403", "oracle");
      await waitForRunEnd(page);
      expect(await page.getByTestId("verdict").innerText()).toMatch(/^PASS/);
      await page.screenshot({ path: `${SCREENSHOT_DIR}after-malformed-frames.png` });
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
