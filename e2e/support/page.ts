// E2E helpers for the app's page: open it with its errors collected, wait for Linux, use the shell, run an agent.
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import { LINUX_READY } from "./browser";

export const BOOT_TIMEOUT_MS = 120_000;
export const RUN_TIMEOUT_MS = 240_000;
/** How long a command typed at the shell may take to print what it prints. */
export const SHELL_TIMEOUT_MS = 60_000;

/** A fresh browser context and page; uncaught page errors are collected in `errors`. */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return { page, errors };
}

/** Waits until the header says Linux is ready. */
export async function waitForLinux(page: Page): Promise<void> {
  await expect
    .poll(() => page.getByTestId("vm-status").textContent(), {
      timeout: BOOT_TIMEOUT_MS,
      interval: 500,
    })
    .toMatch(LINUX_READY);
}

export const shellText = (page: Page): Promise<string> =>
  page.getByTestId("terminal").locator(".xterm-rows").innerText();

/** Types a command at the person's shell and waits until its output shows `expected`. */
export async function inShell(page: Page, command: string, expected: string | RegExp) {
  await page.getByRole("tab", { name: "Your shell" }).click();
  await page.getByTestId("terminal").click();
  await page.keyboard.type(`${command}\n`);
  await expect
    .poll(() => shellText(page), { timeout: SHELL_TIMEOUT_MS, interval: 250 })
    .toMatch(expected);
}

/** Opens one of the header's pages (Lab, Suites, History). */
export async function goToPage(page: Page, name: "Lab" | "Suites" | "History"): Promise<void> {
  await page.getByRole("navigation", { name: "Pages" }).getByRole("button", { name }).click();
}

export const runPhase = (page: Page) => page.getByTestId("run-phase").textContent();

/** Picks the task and presses Run agent with the given agent. */
export async function startRun(page: Page, taskId: string, agent: "model" | "oracle") {
  await page.locator(`[data-task-id="${taskId}"]`).click();
  await page.getByLabel("Agent", { exact: true }).selectOption(agent);
  await page.getByRole("button", { name: "Run agent" }).click();
}

export async function waitForRunEnd(page: Page): Promise<void> {
  await expect
    .poll(() => runPhase(page), { timeout: RUN_TIMEOUT_MS, interval: 500 })
    .toBe("Run finished");
}

/**
 * Puts runs into the page's IndexedDB as storage version 1 wrote them (the app upgrades them when it
 * opens), then keeps Linux from starting unless `linux` is asked for: a replay needs none, and the test
 * stays light on a shared machine.
 */
export async function seedRuns(
  page: Page,
  baseUrl: string,
  records: unknown[],
  { linux = false }: { linux?: boolean } = {},
): Promise<void> {
  await page.goto(`${baseUrl}vm/image.json`);
  await page.evaluate(
    (records) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open("opslab", 1);
        open.onupgradeneeded = () => {
          const runs = open.result.createObjectStore("runs", { keyPath: "id" });
          runs.createIndex("createdAt", "createdAt");
        };
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction("runs", "readwrite");
          for (const record of records) tx.objectStore("runs").put(record);
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    records,
  );
  if (!linux) await page.context().route("**/vm/**", (route) => route.abort());
}
