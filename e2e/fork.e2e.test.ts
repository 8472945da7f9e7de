// E2E: a saved run whose steps 1..4 write /root/step1..4, forked at step 3 from its replay: the Lab's fork panel shows the progress, then the person's shell sees step3 and not step4.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveStatic, type StaticServer } from "./support/browser";
import { BOOT_TIMEOUT_MS, inShell, openPage, seedRuns, waitForLinux } from "./support/page";

const RUN_ID = "marked-run";
const FORK_STEP = 3;
/** Readying the task (set up afresh the first time in a browser) and replaying three calls. */
const FORK_TIMEOUT_MS = 180_000;

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

/** A finished run as OpsLab records it (schema 3): step n runs `touch /root/stepn`, then it finishes. */
function markedRun() {
  const limits = { maxSteps: 9, maxSeconds: 600, maxTokens: 0, maxCostUsd: 0, commandSeconds: 30 };
  const events: Record<string, unknown>[] = [
    { type: "started", provider: "scripted", model: "scripted", limits, toolMode: "native" },
    { type: "setup", durationMs: 1200, fromSavedState: true },
  ];
  for (let step = 1; step <= 4; step++) {
    const usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: null };
    events.push(
      { type: "usage", step, ...usage },
      {
        type: "tool-call",
        step,
        callId: `c${step}`,
        input: { tool: "run_command", command: `touch /root/step${step}` },
      },
      {
        type: "tool-result",
        step,
        callId: `c${step}`,
        outcome: {
          kind: "command",
          exitCode: 0,
          stdout: "",
          stderr: "",
          durationMs: 50,
          timedOut: false,
          truncated: false,
        },
      },
    );
  }
  events.push({ type: "finished", reason: "finished", summary: "marked" });
  return {
    schemaVersion: 3,
    id: RUN_ID,
    createdAt: "2026-12-03T08:00:00.000Z",
    task: {
      id: "nginx-reports-403",
      // NOTE: the task's own title: a fork refuses a run whose task changed.
      title: "Reports site answers 403 Forbidden",
      domain: "sysadmin",
      difficulty: "easy",
    },
    agent: { provider: "scripted", model: "scripted", toolMode: "native" },
    limits,
    events: events.map((event, i) => ({ ...event, atMs: i * 100 })),
    outcome: {},
  };
}

describe("fork at a step", () => {
  it(
    "forks a saved run at step 3 from its replay: step3's marker is there, step4's is not",
    { timeout: BOOT_TIMEOUT_MS + FORK_TIMEOUT_MS },
    async () => {
      const { page, errors } = await openPage(browser);
      try {
        await seedRuns(page, server.url, [markedRun()], { linux: true });
        await page.goto(`${server.url}#/runs/${RUN_ID}?step=${FORK_STEP}`);
        await page.getByTestId("replay").waitFor();
        await waitForLinux(page);
        await page
          .locator(`[data-step="${FORK_STEP}"]`)
          .getByRole("button", { name: `Fork from step ${FORK_STEP}` })
          .click();
        const panel = page.getByTestId("fork-panel");
        await panel.waitFor();
        const started = Date.now();
        await page
          .locator('[data-testid="fork-ready"], [data-testid="fork-error"]')
          .waitFor({ timeout: FORK_TIMEOUT_MS });
        expect(await panel.getAttribute("data-phase"), await panel.innerText()).toBe("ready");
        console.log(`forked at step ${FORK_STEP} in ${Date.now() - started} ms`);
        expect(await page.getByTestId("fork-parent-link").getAttribute("href")).toBe(
          `#/runs/${RUN_ID}?step=${FORK_STEP}`,
        );
        expect(await page.getByTestId("fork-differences").count()).toBe(0);
        // NOTE: the marks print as one word only in the output, never in the typed command line.
        await inShell(
          page,
          "echo FORK-$(ls /root | grep -c '^step')-$(test -e /root/step4 && echo has4 || echo no4)",
          /FORK-3-no4/,
        );
        await inShell(page, "ls /root/step3 && echo SEEN-STEP$((1+2))", /SEEN-STEP3/);
        expect(errors).toEqual([]);
      } finally {
        await page.context().close();
      }
    },
  );
});
