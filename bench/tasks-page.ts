// The page half of npm run bench:tasks -- --page: a task's first visit in Debian's Chromium, readied from its shipped state and afresh.
// Times come from the page's own performance marks (src/state/run-marks.ts): Run pressed, agent
// started, agent finished, verdict. Bytes are what the page fetched for the task (task-states/ and the
// base state), counted from the transfers' own sizes.
import type { Browser } from "playwright-core";
import { LINUX_READY, type StaticServer } from "../e2e/support/browser";
import { RUN_MARKS } from "../src/state/run-marks";

const BOOT_TIMEOUT_MS = 240_000;
const RUN_TIMEOUT_MS = 600_000;
const POLL_MS = 250;
/** A main-thread task longer than this makes the page feel stuck (the Long Tasks API's threshold). */
const LONG_TASK_MS = 50;

/** Keeps every long task of every page of the context, with when it started. */
const LONG_TASK_RECORDER = `
  window.__opslabLongTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if (entry.duration > ${LONG_TASK_MS})
        window.__opslabLongTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: "longtask", buffered: true });
`;

export interface PageTaskFigures {
  /** Run pressed to the agent's start. */
  readyMs: number;
  /** Of it, Run pressed until the state starts to restore (looked up, downloaded, checked, rebuilt). */
  untilRestoreMs: number;
  /** The agent's end (the oracle's finish) to the verdict. */
  gradeMs: number;
  /** Bytes fetched for the task after Run was pressed: task-states/ files and the base state. */
  bytes: number;
  /** Main-thread time in long tasks (> 50 ms) while the task was readied. */
  longTaskMs: number;
  /** The run's setup line, as the page shows it. */
  setupLine: string;
  passed: boolean;
}

export interface PageRunOptions {
  /** false: task-states/ is blocked in this context (the task sets up afresh, as with no shipped state). */
  shipped: boolean;
  /** Milliseconds to leave between Linux ready and selecting the task (0: at once). */
  readBeforeSelectMs?: number;
  /** Milliseconds between selecting the task and pressing Run (a person reading the ticket). */
  readTicketMs?: number;
  /** Added to the page's URL (for example "prefetch=off", to measure without a speed-up). */
  query?: string;
}

async function poll<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what} (last: ${String(value)})`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * One first visit in a fresh browser context (nothing cached): the page loads, Linux boots, the task
 * is picked and run with the Oracle agent until the run has finished.
 */
export async function measureTaskInPage(
  browser: Browser,
  server: StaticServer,
  taskId: string,
  options: PageRunOptions,
): Promise<PageTaskFigures> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    if (!options.shipped) await context.route("**/task-states/**", (route) => route.abort());
    await context.addInitScript(LONG_TASK_RECORDER);
    const page = await context.newPage();
    let counting = false;
    let bytes = 0;
    page.on("requestfinished", (request) => {
      if (!counting || !/\/(task-states\/|vm\/state)/.test(request.url())) return;
      void request.sizes().then(
        (sizes) => (bytes += sizes.responseHeadersSize + sizes.responseBodySize),
        () => undefined,
      );
    });
    await page.goto(options.query ? `${server.url}?${options.query}` : server.url);
    await poll(
      () => page.getByTestId("vm-status").textContent(),
      (text) => LINUX_READY.test(text ?? ""),
      BOOT_TIMEOUT_MS,
      "Linux to be ready",
    );
    if (options.readBeforeSelectMs) await page.waitForTimeout(options.readBeforeSelectMs);
    counting = true;
    await page.locator(`[data-task-id="${taskId}"]`).click();
    await page.getByLabel("Agent", { exact: true }).selectOption("oracle");
    if (options.readTicketMs) await page.waitForTimeout(options.readTicketMs);
    await page.getByRole("button", { name: "Run agent" }).click();
    await poll(
      () => page.getByTestId("run-phase").textContent(),
      (text) => text === "Run finished",
      RUN_TIMEOUT_MS,
      `the run of ${taskId} to finish`,
    );
    const marks = await page.evaluate(
      (names) =>
        names.map((name) => performance.getEntriesByName(name, "mark").at(-1)?.startTime ?? NaN),
      [
        RUN_MARKS.start,
        RUN_MARKS.restoring,
        RUN_MARKS.agentStart,
        RUN_MARKS.agentEnd,
        RUN_MARKS.verdict,
      ],
    );
    const [start = NaN, restoring = NaN, agentStart = NaN, agentEnd = NaN, verdict = NaN] = marks;
    const longTaskMs = await page.evaluate(
      ([from, to]) =>
        (window as unknown as { __opslabLongTasks: [number, number][] }).__opslabLongTasks
          .filter(([at]) => at >= from! && at <= to!)
          .reduce((sum, [, duration]) => sum + duration, 0),
      [start, agentStart],
    );
    const setupLine = (await page.getByTestId("setup").first().textContent()) ?? "";
    const shownVerdict = await page.getByTestId("verdict").first().getAttribute("data-verdict");
    return {
      readyMs: Math.round(agentStart - start),
      untilRestoreMs: Math.round(restoring - start),
      gradeMs: Math.round(verdict - agentEnd),
      bytes,
      longTaskMs: Math.round(longTaskMs),
      setupLine: setupLine.trim(),
      passed: shownVerdict === "pass",
    };
  } finally {
    await context.close();
  }
}
