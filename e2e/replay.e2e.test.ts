// E2E: a saved run replayed at #/runs/<id>?step=N: the step the address names, arrows and the address, space playing to the verdict, instant, stepping back; History's Replay button; an unknown run; a run under way followed live.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveStatic, type StaticServer } from "./support/browser";
import {
  openPage,
  RUN_TIMEOUT_MS,
  runPhase,
  seedRuns,
  startRun,
  waitForLinux,
  waitForRunEnd,
} from "./support/page";

/** The seeded run's model turns, each a command; events 300 ms apart, so 1× plays it in seconds. */
const STEPS = 5;
const EVENT_GAP_MS = 300;
const RUN_ID = "replayed-run";
/** How long the page may take to show what a key or a click asked for. */
const UI_TIMEOUT_MS = 10_000;

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

/** A finished, graded run of STEPS turns as OpsLab writes it (schema 2): turn n runs `echo step-n`. */
function savedRun() {
  const limits = { maxSteps: 9, maxSeconds: 60, maxTokens: 0, maxCostUsd: 0, commandSeconds: 10 };
  const events: Record<string, unknown>[] = [
    { type: "started", provider: "openai", model: "gpt-x", limits, toolMode: "native" },
    { type: "setup", durationMs: 1200, fromSavedState: true },
  ];
  for (let step = 1; step <= STEPS; step++) {
    const usage = { inputTokens: 100 * step, outputTokens: 10, totalTokens: 100 * step + 10 };
    events.push(
      { type: "usage", step, ...usage, costUsd: 0.001 * step },
      { type: "reasoning", step, text: `thinking about step ${step}` },
      {
        type: "tool-call",
        step,
        callId: `c${step}`,
        input: { tool: "run_command", command: `echo step-${step}` },
      },
      {
        type: "tool-result",
        step,
        callId: `c${step}`,
        outcome: {
          kind: "command",
          exitCode: step === 2 ? 1 : 0,
          stdout: `output-of-${step}\n`,
          stderr: "",
          durationMs: 120,
          timedOut: false,
          truncated: false,
        },
      },
    );
  }
  events.push(
    { type: "finished", reason: "finished", summary: "fixed" },
    {
      type: "graded",
      grade: {
        passed: true,
        checks: [
          { passed: true, text: "reports answer 200" },
          { passed: true, text: "the config survives a reload" },
        ],
        exitCode: 0,
        notes: [],
        durationMs: 900,
      },
    },
  );
  return {
    schemaVersion: 2,
    id: RUN_ID,
    createdAt: "2026-12-01T10:00:00.000Z",
    task: {
      id: "nginx-reports-403",
      title: "Reports return 403",
      domain: "sysadmin",
      difficulty: "easy",
    },
    agent: { provider: "openai", model: "gpt-x", toolMode: "native" },
    limits,
    events: events.map((event, i) => ({ ...event, atMs: i * EVENT_GAP_MS })),
    outcome: {},
  };
}

/** The replay's verdict (the run panel, hidden beside it, has its own). */
const verdict = (page: Page) => page.getByTestId("replay").getByTestId("verdict");
const shownStep = (page: Page) => page.getByTestId("replay-step").getAttribute("data-step");
const terminalText = (page: Page) =>
  page.getByTestId("replay-terminal").locator(".xterm-rows").innerText();
const addressStep = (page: Page) => page.evaluate(() => location.hash);

async function expectStep(page: Page, step: number) {
  await expect.poll(() => shownStep(page), { timeout: UI_TIMEOUT_MS }).toBe(String(step));
}

describe("replay of a saved run", () => {
  it("opens at the address's step, steps with the arrows into the address, plays to the verdict, instant, back", async () => {
    const { page, errors } = await openPage(browser);
    try {
      await seedRuns(page, server.url, [savedRun()]);
      await page.goto(`${server.url}#/runs/${RUN_ID}?step=3`);
      await page.getByTestId("replay").waitFor();
      await expectStep(page, 3);
      await expect.poll(() => terminalText(page)).toContain("output-of-3");
      expect(await terminalText(page)).not.toContain("step-4");
      expect(await page.getByTestId("replay-reasoning").innerText()).toBe("thinking about step 3");
      expect(await page.getByTestId("replay-tokens").innerText()).toBe("310");
      expect(await page.getByTestId("replay-exit-code").allInnerTexts()).toEqual([
        expect.stringMatching(/^exit 0/),
        expect.stringMatching(/^exit 1/),
        expect.stringMatching(/^exit 0/),
      ]);
      expect(await verdict(page).count()).toBe(0);

      await page.keyboard.press("ArrowRight");
      await expectStep(page, 4);
      await expect.poll(() => addressStep(page)).toBe(`#/runs/${RUN_ID}?step=4`);
      await expect.poll(() => terminalText(page)).toContain("output-of-4");
      expect(await terminalText(page)).not.toContain("step-5");
      expect(await page.locator('[aria-current="step"]').getAttribute("data-step")).toBe("4");

      // Space plays with the run's timing to the end: the rest of step 5 and the end, a few seconds.
      const played = Date.now();
      await page.keyboard.press(" ");
      await verdict(page).waitFor({ timeout: UI_TIMEOUT_MS });
      const playedMs = Date.now() - played;
      expect(playedMs).toBeGreaterThan(5 * EVENT_GAP_MS);
      expect(await verdict(page).getAttribute("data-verdict")).toBe("pass");
      const checks = await verdict(page).innerText();
      expect(checks).toContain("reports answer 200");
      expect(checks).toContain("the config survives a reload");
      await expect.poll(() => terminalText(page)).toContain("output-of-5");
      await expect.poll(() => addressStep(page)).toBe(`#/runs/${RUN_ID}?step=${STEPS + 1}`);

      // Instant: from the start straight to the end.
      await page.getByRole("button", { name: "Speed Instant" }).click();
      await page.keyboard.press("Home");
      await expectStep(page, 0);
      expect(await verdict(page).count()).toBe(0);
      await page.keyboard.press(" ");
      await expectStep(page, STEPS + 1);
      await verdict(page).waitFor({ timeout: UI_TIMEOUT_MS });

      // A step back hides the end and its verdict; the terminal is drawn again up to step 5.
      await page.keyboard.press("ArrowLeft");
      await expectStep(page, STEPS);
      expect(await verdict(page).count()).toBe(0);
      await expect.poll(() => addressStep(page)).toBe(`#/runs/${RUN_ID}?step=${STEPS}`);
      await page.keyboard.press("ArrowLeft");
      await expectStep(page, STEPS - 1);
      // NOTE: one poll for both: the terminal is cleared before it is drawn again, and empty it has neither.
      await expect
        .poll(async () => {
          const text = await terminalText(page);
          return text.includes("output-of-4") && !text.includes("output-of-5");
        })
        .toBe(true);

      // Clicking a step in the list jumps there.
      await page.locator('.replay-step[data-step="1"] .replay-step-jump').click();
      await expectStep(page, 1);
      await expect.poll(() => terminalText(page)).not.toContain("step-2");

      // An address typed or linked while the replay is open shows its step.
      await page.evaluate((id) => (location.hash = `#/runs/${id}?step=2`), RUN_ID);
      await expectStep(page, 2);
      await expect.poll(() => terminalText(page)).toContain("output-of-2");

      // Two steps back faster than the terminal draws (a held key on a long run): the second redraw
      // must not land after the first's text, which would show step 5's output at step 4.
      await page.keyboard.press("End");
      await expectStep(page, STEPS + 1);
      await page.evaluate(async () => {
        const back = () => dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft" }));
        back();
        // React renders the first move in a microtask; the terminal draws in a later task.
        for (let i = 0; i < 5; i++) await Promise.resolve();
        back();
      });
      await expectStep(page, STEPS - 1);
      await expect
        .poll(async () => {
          const text = await terminalText(page);
          return text.includes("output-of-4") && !text.includes("output-of-5");
        })
        .toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it("opens from History's Replay button, and says when a run is not in this browser", async () => {
    const { page, errors } = await openPage(browser);
    try {
      await seedRuns(page, server.url, [savedRun()]);
      await page.goto(`${server.url}#/history`);
      await page
        .getByTestId("history-table")
        .getByRole("button", { name: "Reports return 403" })
        .click();
      await page.getByTestId("replay-button").click();
      await page.getByTestId("replay").waitFor();
      expect(await addressStep(page)).toBe(`#/runs/${RUN_ID}`);
      // Without a step, the run opens at its end.
      await expectStep(page, STEPS + 1);
      await verdict(page).waitFor();

      await page.goto(`${server.url}#/runs/no-such-run?step=2`);
      await page.getByTestId("replay-not-here").waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await page.getByTestId("replay-not-here").innerText()).toContain(
        "This run is not in this browser",
      );
      await page.getByRole("button", { name: "Go to History" }).click();
      await page.getByTestId("history-view").waitFor();
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it("follows the run under way live from the run panel's Replay, and stays where the person moved back to", async () => {
    const { page, errors } = await openPage(browser);
    try {
      await page.goto(server.url);
      await waitForLinux(page);
      await startRun(page, "nginx-reports-403", "oracle");
      await page.getByTestId("replay-current").click();
      await page.getByTestId("replay").waitFor();
      expect(await addressStep(page)).toMatch(/^#\/runs\/[^?]+$/);
      expect(await page.getByTestId("replay-live").innerText()).toBe("● live");
      // Opened at its end, the replay follows each new step as the agent takes it.
      await expect
        .poll(async () => Number(await shownStep(page)), { timeout: RUN_TIMEOUT_MS, interval: 250 })
        .toBeGreaterThanOrEqual(1);
      await expect.poll(() => terminalText(page)).toContain("root@opslab");
      // Moved back, it stays there while the run goes on and ends.
      await page.keyboard.press("Home");
      await expectStep(page, 0);
      await waitForRunEnd(page);
      expect(await runPhase(page)).toBe("Run finished");
      expect(await shownStep(page)).toBe("0");
      expect(await verdict(page).count()).toBe(0);
      await page.keyboard.press("End");
      await verdict(page).waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await verdict(page).getAttribute("data-verdict")).toBe("pass");
      expect(await page.getByTestId("replay-live").count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
