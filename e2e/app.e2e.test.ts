// E2E: the built app boots Linux in real Chromium, the terminal runs commands, and a failed download can be retried.
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LINUX_READY, launchChromium, serveStatic, type StaticServer } from "./support/browser";

const SCREENSHOT_DIR = fileURLToPath(new URL("./screenshots/", import.meta.url));
const BOOT_TIMEOUT_MS = 120_000;
const COLD_BOOT_TIMEOUT_MS = 240_000;

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

async function openApp(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // Content-Security-Policy violations show only as console errors.
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy")) {
      errors.push(message.text());
    }
  });
  return { page, errors };
}

const terminalText = (page: Page): Promise<string> =>
  page.getByTestId("terminal").locator(".xterm-rows").innerText();

describe("the playground", () => {
  it("boots Linux in the page and runs what is typed in the terminal", async () => {
    const { page, errors } = await openApp();
    await page.goto(server.url);
    await expect.poll(() => page.locator("h1").textContent()).toBe("OpsLab");
    await page.screenshot({ path: `${SCREENSHOT_DIR}boot.png` });
    await expect
      .poll(() => page.getByTestId("vm-status").textContent(), {
        timeout: BOOT_TIMEOUT_MS,
        interval: 500,
      })
      .toMatch(LINUX_READY);
    // The warm-up runs for about a minute after the first prompt, and the header says so.
    const status = page.getByTestId("vm-status");
    expect(await status.textContent()).toMatch(/^Linux ready · warming up \d+%$/);
    expect(await status.getAttribute("title")).toMatch(/first run of each can take a few seconds/);
    await page.getByTestId("terminal").click();
    await page.keyboard.type("uname -m\n");
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toContain("i686");
    // Paste with Ctrl+Shift+V, as in desktop terminals.
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.evaluate(() => navigator.clipboard.writeText("echo pasted-$((6*7))"));
    await page.keyboard.press("Control+Shift+V");
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toContain("pasted-$((6*7))");
    await page.keyboard.press("Enter");
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toContain("pasted-42");
    await page.screenshot({ path: `${SCREENSHOT_DIR}terminal.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("shows a failed download and boots when retried", async () => {
    const { page } = await openApp();
    let failures = 0;
    await page.route("**/vm/state-*.zst", async (route) => {
      if (route.request().method() === "GET" && failures === 0) {
        failures++;
        await route.fulfill({ status: 503, body: "unavailable" });
      } else {
        await route.continue();
      }
    });
    await page.goto(server.url);
    const alert = page.getByRole("alert");
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.innerText()).toContain("HTTP 503");
    await page.screenshot({ path: `${SCREENSHOT_DIR}download-error.png` });
    await page.getByRole("button", { name: "Retry" }).click();
    await expect
      .poll(() => page.getByTestId("vm-status").textContent(), {
        timeout: BOOT_TIMEOUT_MS,
        interval: 500,
      })
      .toMatch(LINUX_READY);
    await page.context().close();
  });

  it("works under a sub-path, on a tablet, in the dark theme", async () => {
    const subPath = await serveStatic(undefined, "/labs/opslab/");
    const context = await browser.newContext({
      viewport: { width: 820, height: 1180 },
      colorScheme: "dark",
      hasTouch: true,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      await page.goto(subPath.url);
      await expect
        .poll(() => page.getByTestId("vm-status").textContent(), {
          timeout: BOOT_TIMEOUT_MS,
          interval: 500,
        })
        .toMatch(LINUX_READY);
      await page.getByTestId("terminal").click();
      await page.keyboard.type("echo sub-$((6*7))\n");
      await expect.poll(() => terminalText(page), { timeout: 30_000 }).toContain("sub-42");
      // The columns stack: catalogue above, run panel below, nothing wider than the screen.
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(820);
      await page.screenshot({ path: `${SCREENSHOT_DIR}tablet-dark.png` });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await subPath.close();
    }
  });

  it(
    "boots Linux from scratch when the site serves no saved machine",
    { timeout: COLD_BOOT_TIMEOUT_MS + 60_000 },
    async () => {
      const { page, errors } = await openApp();
      await page.route("**/vm/state.json", (route) => route.fulfill({ status: 404, body: "" }));
      await page.goto(server.url);
      await expect
        .poll(() => page.locator(".boot h2").textContent(), { timeout: 30_000 })
        .toMatch(/from scratch/);
      await page.screenshot({ path: `${SCREENSHOT_DIR}cold-boot.png` });
      await expect
        .poll(() => page.getByTestId("vm-status").textContent(), {
          timeout: COLD_BOOT_TIMEOUT_MS,
          interval: 1000,
        })
        .toMatch(LINUX_READY);
      await page.getByTestId("terminal").click();
      await page.keyboard.type("cat /etc/hostname\n");
      await expect.poll(() => terminalText(page), { timeout: 30_000 }).toContain("opslab");
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
