// E2E: share links: an oracle run's link opens in a fresh browser with the same steps and verdict, a changed link gets the error page, a too-big run goes by file, the cast is asciicast v2.
import { mkdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Download, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveStatic, type StaticServer } from "./support/browser";
import { openPage, startRun, waitForLinux, waitForRunEnd, goToPage } from "./support/page";

const SCREENSHOT_DIR = fileURLToPath(new URL("./screenshots/", import.meta.url));
const TASK_ID = "nginx-reports-403";
/** A shared run shows from the link itself, long before Linux is up. */
const SHOW_TIMEOUT_MS = 15_000;

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

async function downloaded(
  page: Page,
  click: () => Promise<void>,
): Promise<{ name: string; text: string }> {
  const [file] = (await Promise.all([page.waitForEvent("download"), click()])) as [Download, void];
  return { name: file.suggestedFilename(), text: await readFile((await file.path())!, "utf8") };
}

async function openShareMenu(page: Page, within = page.locator("body")) {
  await within.getByTestId("share-menu").locator("summary").click();
  await within.getByTestId("share-offer").waitFor();
  return within.getByTestId("share-offer");
}

const commands = (page: Page) =>
  page.getByTestId("timeline").getByTestId("command").allInnerTexts();
/** The commands the replay viewer's step list shows, as the run panel does ("$ ..."; file writes left out). */
const replayedCommands = async (page: Page) =>
  (await page.getByTestId("replay-steps").locator(".replay-command code").allInnerTexts()).filter(
    (text) => !text.startsWith("$ write /"),
  );
const VERIFY_TIMEOUT_MS = 300_000;

describe("share links", () => {
  it(
    "shares an oracle run: the link opens in a fresh browser with the same steps and verdict; a changed link is refused",
    { timeout: 400_000 + VERIFY_TIMEOUT_MS },
    async () => {
      const { page, errors } = await openPage(browser);
      await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
      await page.goto(server.url);
      await waitForLinux(page);
      await startRun(page, TASK_ID, "oracle");
      await waitForRunEnd(page);
      const ran = await commands(page);
      expect(await page.getByTestId("verdict").getAttribute("data-verdict")).toBe("pass");

      const offer = await openShareMenu(page);
      const link = await offer.getByTestId("share-link").inputValue();
      expect(link.startsWith(`${server.url}#/share/v1.`)).toBe(true);
      expect(link.length).toBeLessThan(8 * 1024);
      await offer.getByRole("button", { name: "Copy link" }).click();
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(link);

      const cast = await downloaded(page, () => offer.getByTestId("share-cast").click());
      expect(cast.name).toMatch(/^nginx-reports-403-\d{4}-\d\d-\d\d\.cast$/);
      const [header, ...frames] = cast.text
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown);
      expect(header).toMatchObject({ version: 2, width: 120, height: 32 });
      expect(frames.length).toBeGreaterThan(1);
      for (const frame of frames)
        expect(frame).toEqual([expect.any(Number), "o", expect.any(String)]);
      expect(errors).toEqual([]);
      await page.context().close();

      // A fresh browser (empty storage): the run shows at once, read-only, while Linux boots behind it.
      const fresh = await openPage(browser);
      await fresh.page.goto(link);
      const shared = fresh.page.getByTestId("shared-run");
      await shared.waitFor({ timeout: SHOW_TIMEOUT_MS });
      expect(await replayedCommands(fresh.page)).toEqual(ran);
      await fresh.page.screenshot({ path: `${SCREENSHOT_DIR}share-run.png` });
      expect(await shared.getByTestId("verdict").getAttribute("data-verdict")).toBe("pass");
      expect(await shared.getByTestId("instruction").count()).toBe(1);
      expect(await shared.getByTestId("task-version-note").count()).toBe(0);
      expect(await fresh.page.getByRole("button", { name: "Run agent" }).isVisible()).toBe(false);

      // Replayed from the start to the end (instant), the address naming the step shown.
      await shared.getByRole("button", { name: "To the start (Home)" }).click();
      await expect.poll(() => fresh.page.url()).toMatch(/\?step=0$/);
      await shared.getByRole("button", { name: "Speed Instant" }).click();
      await shared.getByTestId("replay-play").click();
      await expect
        .poll(() => shared.getByTestId("verdict").count(), { timeout: SHOW_TIMEOUT_MS })
        .toBe(1);
      expect(await shared.getByTestId("verdict").getAttribute("data-verdict")).toBe("pass");

      // Verify in this browser: a fresh Linux readies the task, replays the commands, grades again.
      await waitForLinux(fresh.page);
      const panel = shared.getByTestId("verify-panel");
      await panel.getByRole("button", { name: "Verify" }).click();
      await expect
        .poll(async () => (await panel.getByTestId("verify-headline").count()) > 0, {
          timeout: VERIFY_TIMEOUT_MS,
          interval: 1000,
        })
        .toBe(true);
      expect(await panel.getByTestId("verify-headline").innerText()).toBe(
        "Reproduced: PASS → PASS",
      );
      await fresh.page.screenshot({ path: `${SCREENSHOT_DIR}share-verified.png` });

      // One character changed in the middle: the error page names it, and no part of the run shows.
      const at = link.length - 40;
      const changed = link.slice(0, at) + (link[at] === "A" ? "B" : "A") + link.slice(at + 1);
      await fresh.page.goto(changed);
      const error = fresh.page.getByTestId("share-error");
      await error.waitFor({ timeout: SHOW_TIMEOUT_MS });
      expect(await error.getAttribute("data-kind")).toBe("tampered");
      expect(await error.innerText()).toContain("This link was changed");
      await fresh.page.screenshot({ path: `${SCREENSHOT_DIR}share-tampered.png` });
      expect(await fresh.page.getByTestId("shared-run").count()).toBe(0);
      await fresh.page.goto(link.slice(0, link.length - 100));
      await expect
        .poll(() => fresh.page.getByTestId("share-error").getAttribute("data-kind"))
        .toBe("truncated");
      expect(fresh.errors).toEqual([]);
      await fresh.page.context().close();
    },
  );

  it(
    "offers a run too big for a link as a file and a summary link; the file opens there",
    { timeout: 120_000 },
    async () => {
      const archive = JSON.parse(
        await readFile(
          new URL("../src/state/fixtures/node-suite-results.json", import.meta.url),
          "utf8",
        ),
      ) as { runs: { id: string; events: unknown[] }[] };
      const run = archive.runs[0]!;
      // Text that does not compress: a model thinking aloud at length.
      const noise = Array.from({ length: 2500 }, (_, i) =>
        ((i * 2654435761) >>> 0).toString(36),
      ).join(" ");
      run.events.splice(3, 0, { type: "reasoning", atMs: 1, step: 1, text: noise });
      const { page, errors } = await openPage(browser);
      await page.goto(server.url);
      await goToPage(page, "History");
      await page.getByTestId("import-file").setInputFiles({
        name: "big.json",
        mimeType: "application/json",
        buffer: Buffer.from(JSON.stringify(archive)),
      });
      await page
        .getByTestId("history-table")
        .locator(`tr[data-run-id="${run.id}"] button.link`)
        .click();
      const offer = await openShareMenu(page, page.getByTestId("history-detail"));
      expect(await offer.getByTestId("share-too-big").innerText()).toContain("too big for a link");
      const summaryLink = await offer.getByTestId("share-link").inputValue();
      await page.screenshot({ path: `${SCREENSHOT_DIR}share-too-big.png` });
      expect(summaryLink.length).toBeLessThan(1024);
      const file = await downloaded(page, () => offer.getByTestId("share-file").click());
      expect(file.name).toMatch(/^login-path-broken-\d{4}-\d\d-\d\d\.opslab\.json$/);
      expect(errors).toEqual([]);
      await page.context().close();

      const fresh = await openPage(browser);
      await fresh.page.goto(summaryLink);
      const summary = fresh.page.getByTestId("shared-summary");
      await summary.waitFor({ timeout: SHOW_TIMEOUT_MS });
      expect(await summary.getByTestId("summary-verdict").innerText()).toBe("pass");
      await fresh.page.screenshot({ path: `${SCREENSHOT_DIR}share-summary.png` });
      await summary.getByTestId("shared-file").setInputFiles({
        name: file.name,
        mimeType: "application/json",
        buffer: Buffer.from(file.text),
      });
      const shared = fresh.page.getByTestId("shared-run");
      await shared.waitFor({ timeout: SHOW_TIMEOUT_MS });
      // Step 1 shows the model's long reasoning.
      await shared.locator('.replay-step[data-step="1"] .replay-step-jump').click();
      await expect
        .poll(() => shared.getByTestId("replay-reasoning").first().innerText())
        .toContain(noise.slice(0, 50));
      expect(fresh.errors).toEqual([]);
      await fresh.page.context().close();
    },
  );
});
