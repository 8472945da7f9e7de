// E2E: the built app opens in real Chromium and shows its title and VM status.
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveStatic, type StaticServer } from "./support/browser";

const SCREENSHOT_DIR = fileURLToPath(new URL("./screenshots/", import.meta.url));

describe("home page", () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await serveStatic();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the product name and the VM status", async () => {
    await page.goto(server.url);
    await expect.poll(() => page.locator("h1").textContent()).toBe("OpsLab");
    await page.getByTestId("vm-status").waitFor();
    expect(await page.getByTestId("vm-status").count()).toBe(1);

    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOT_DIR}home.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
