// E2E: agent runs in the page: the oracle end to end, a model (reasoning at an effort) through a local OpenAI-compatible server, CORS.
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  startFakeLlmServer,
  type FakeLlmServer,
  type ServerReply,
} from "../src/agent/providers/testing/fake-llm-server";
import { LINUX_READY, launchChromium, serveStatic, type StaticServer } from "./support/browser";

const SCREENSHOT_DIR = fileURLToPath(new URL("./screenshots/", import.meta.url));
const BOOT_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 240_000;
const KEY = "sk-e2e-secret-4b1d7c9e0f";
const TASK_ID = "nginx-reports-403";

let server: StaticServer;
let browser: Browser;
let llm: FakeLlmServer | undefined;

beforeAll(async () => {
  server = await serveStatic();
  browser = await launchChromium();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(async () => {
  await llm?.close();
  llm = undefined;
});

async function openReadyApp(taskId = TASK_ID): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(server.url);
  await expect
    .poll(() => page.getByTestId("vm-status").textContent(), {
      timeout: BOOT_TIMEOUT_MS,
      interval: 500,
    })
    .toMatch(LINUX_READY);
  await page.locator(`[data-task-id="${taskId}"]`).click();
  return { page, errors };
}

const phase = (page: Page) => page.getByTestId("run-phase").textContent();

async function runAndWait(page: Page, agent: "model" | "oracle") {
  await page.getByLabel("Agent", { exact: true }).selectOption(agent);
  await page.getByRole("button", { name: "Run agent" }).click();
  await expect
    .poll(() => phase(page), { timeout: RUN_TIMEOUT_MS, interval: 500 })
    .toBe("Run finished");
}

async function configureModel(page: Page, baseUrl: string, remember: boolean, effort?: string) {
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Provider").selectOption("custom");
  await dialog.getByLabel("Base URL").fill(baseUrl);
  await dialog.getByLabel("Model", { exact: true }).fill("fake-model");
  await dialog.getByLabel("API key").fill(KEY);
  if (remember) await dialog.getByLabel(/Remember my keys/).check();
  if (effort) await dialog.getByLabel("Reasoning effort").selectOption(effort);
  await page.screenshot({ path: `${SCREENSHOT_DIR}settings.png` });
  await dialog.getByRole("button", { name: "Done" }).click();
}

const call = (name: string, args: unknown) => ({ name, arguments: JSON.stringify(args) });
const command = (text: string, cmd: string): ServerReply => ({
  kind: "turn",
  text,
  toolCalls: [call("run_command", { command: cmd })],
});
const finish: ServerReply = { kind: "turn", toolCalls: [call("finish", { summary: "done" })] };

describe("agent runs in the page", () => {
  it(
    "runs the oracle on a task end to end and shows the verdict",
    { timeout: 400_000 },
    async () => {
      const { page, errors } = await openReadyApp();
      // The task clicked is far down the list: only the list scrolled, the search stays in view.
      expect((await page.getByLabel("Search tasks").boundingBox())?.y).toBeGreaterThanOrEqual(0);
      await page.screenshot({ path: `${SCREENSHOT_DIR}home.png` });
      await runAndWait(page, "oracle");
      const verdict = page.getByTestId("verdict");
      expect(await verdict.innerText()).toMatch(/^PASS/);
      expect(await page.getByTestId("command").first().innerText()).toContain(
        "bash /root/.oracle-solve.sh",
      );
      expect(await page.getByTestId("agent-terminal").locator(".xterm-rows").innerText()).toContain(
        "root@opslab",
      );
      await page.screenshot({ path: `${SCREENSHOT_DIR}run-oracle.png` });

      // A second run cut off by a reload: both runs are kept, the cut one marked interrupted.
      await page.getByLabel("Agent", { exact: true }).selectOption("oracle");
      await page.getByRole("button", { name: "Run agent" }).click();
      await page.getByTestId("command").first().waitFor({ timeout: RUN_TIMEOUT_MS });
      // NOTE: at once: the oracle ends in about 2 s and grading in a few more; cut off at any point
      // before its end (the grading too), the run reads as interrupted.
      await page.reload();
      const history = page.getByTestId("history");
      await history.locator("summary").click({ timeout: BOOT_TIMEOUT_MS });
      const entries = history.getByRole("button");
      await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(2);
      expect(await entries.nth(0).innerText()).toMatch(/^interrupted/);
      expect(await entries.nth(1).innerText()).toMatch(/^PASS/);
      await entries.nth(1).click();
      expect(await page.getByTestId("saved-run").getByTestId("verdict").innerText()).toMatch(
        /^PASS/,
      );
      await page.screenshot({ path: `${SCREENSHOT_DIR}saved-runs.png` });
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it(
    "runs a model through the real SDK against a local server; each run starts from a clean VM; a read-only run refuses a chmod; in approval mode the person's edit runs instead; the key stays out of storage unless asked; a server without CORS is explained",
    { timeout: 600_000 },
    async () => {
      let run = 0;
      llm = await startFakeLlmServer(
        (request) => {
          const messages = request.body.messages as { role: string }[];
          const turn = messages.filter((m) => m.role === "assistant").length;
          if (turn === 0) run++;
          if (run === 1)
            return turn === 0
              ? {
                  ...command("Leaving a mark.", "touch /root/marker && echo marked"),
                  reasoning: "A mark shows whether the next run starts clean.",
                  reasoningTokens: 12,
                }
              : finish;
          // The second run is read-only: its chmod is refused, the model reads why and goes on.
          if (turn === 0) return command("Opening the folder up.", "chmod 755 /srv/reports");
          return turn === 1 ? command("Is the mark still there?", "ls /root/marker") : finish;
        },
        ["fake-model"],
        true,
      );
      const { page, errors } = await openReadyApp();
      await configureModel(page, llm.openAiBaseUrl, false, "low");
      await runAndWait(page, "model");
      expect(await page.getByTestId("exit-code").first().innerText()).toBe("exit 0");
      // A reasoning model: the effort asked, its thinking apart from its text, its reasoning tokens.
      expect(llm.requests[0]?.body).toMatchObject({ reasoning_effort: "low", max_tokens: 16_384 });
      expect(await page.getByTestId("thinking").first().innerText()).toBe(
        "A mark shows whether the next run starts clean.",
      );
      expect(await page.getByTestId("step-tokens").first().innerText()).toContain("(12 reasoning)");
      expect(await page.getByTestId("verdict").innerText()).toMatch(/^FAIL/);
      expect(await page.getByTestId("setup").innerText()).toMatch(/^Task set up in/);
      await page.getByLabel("Command policy").selectOption("read-only");
      await runAndWait(page, "model");
      expect(await page.getByTestId("refused").innerText()).toMatch(
        /^refused by the policy: chmod 755 \/srv\/reports — chmod may change the machine/,
      );
      const figures = page.getByTestId("run-figures");
      expect(await figures.getByTestId("run-policy").innerText()).toBe("read-only");
      const told = JSON.stringify(llm.requests.at(-2)?.body.messages);
      expect(told).toContain("refused by the run's command policy: `chmod 755 /srv/reports`");
      // The retry starts from the state saved right after setup, before the first agent touched it.
      expect(await page.getByTestId("setup").innerText()).toMatch(
        /^Task restored from its saved state in/,
      );
      expect(await page.getByTestId("exit-code").first().innerText()).toBe("exit 2");
      expect(await page.getByTestId("timeline").innerText()).toContain("No such file or directory");
      await page.screenshot({ path: `${SCREENSHOT_DIR}run-model.png` });

      expect(llm.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
      expect(stored).toContain("fake-model");
      const saved = await page.evaluate(() => localStorage.getItem("opslab.settings"));
      expect(JSON.parse(saved ?? "{}")).toMatchObject({ policy: "read-only" });
      expect(stored).not.toContain(KEY);
      expect(page.url()).not.toContain(KEY);

      // A local server that does not allow browser calls: the run says so, and how to allow them.
      await llm.close();
      llm = await startFakeLlmServer(() => finish, ["fake-model"], false);
      await configureModel(page, llm.openAiBaseUrl, true);
      await runAndWait(page, "model");
      const error = await page.getByRole("alert").filter({ hasText: "CORS" }).first().innerText();
      expect(error).toContain("does not allow calls from web pages (CORS)");
      expect(error).toContain("OLLAMA_ORIGINS");
      // Remembered on request, and only under its own key.
      const remembered = await page.evaluate(() => ({ ...localStorage }));
      expect(
        Object.entries(remembered)
          .filter(([, v]) => v.includes(KEY))
          .map(([k]) => k),
      ).toEqual(["opslab.apiKey.custom"]);
      await page.screenshot({ path: `${SCREENSHOT_DIR}run-cors-error.png` });
      // Approval mode: the person edits the model's command in the page; what they wrote runs.
      await llm.close();
      llm = await startFakeLlmServer(
        (request) =>
          (request.body.messages as { role: string }[]).some((m) => m.role === "assistant")
            ? finish
            : command("Clearing up.", "rm -rf /srv/reports"),
        ["fake-model"],
        true,
      );
      await configureModel(page, llm.openAiBaseUrl, true);
      await page.getByLabel("Command policy").selectOption("none");
      await page.getByLabel("Approval mode").selectOption("every");
      await page.getByRole("button", { name: "Run agent" }).click();
      const panel = page.getByTestId("approval-panel");
      await panel.waitFor({ timeout: RUN_TIMEOUT_MS });
      expect(await panel.getByTestId("approval-command").innerText()).toBe("rm -rf /srv/reports");
      expect(await panel.getByTestId("approval-countdown").innerText()).toMatch(
        /rejected in \d+ s/,
      );
      await panel.getByTestId("approval-edit-open").click();
      await panel.getByTestId("approval-edit").fill("echo edited-$((6*7)); ls -d /srv/reports");
      await page.screenshot({ path: `${SCREENSHOT_DIR}run-approval.png` });
      await panel.getByTestId("approval-run").click();
      // The VM ran the person's command (its real output), and the folder is still there.
      await expect
        .poll(() => page.getByTestId("timeline").innerText(), { timeout: RUN_TIMEOUT_MS })
        .toContain("edited-42\n/srv/reports");
      expect(await page.getByTestId("approval").innerText()).toContain(
        "edited: rm -rf /srv/reports → echo edited-$((6*7)); ls -d /srv/reports",
      );
      expect(await page.getByTestId("run-approval").innerText()).toBe(
        "every command, 120 s time-out",
      );
      await expect.poll(() => llm?.requests.length, { timeout: RUN_TIMEOUT_MS }).toBe(2);
      const noted = JSON.stringify(llm.requests[1]?.body.messages);
      expect(noted).toContain(
        "The person supervising you changed your command before it ran. You asked for: `rm -rf /srv/reports`.",
      );
      expect(noted).toContain("edited-42");
      // The run's replay (saved as it goes; no need to wait for its grade) shows the decision.
      await page.getByTestId("replay-current").click();
      await page.getByTestId("replay").waitFor();
      await page.evaluate(() => (location.hash = `${location.hash.split("?")[0]}?step=1`));
      await expect
        .poll(() => page.getByTestId("replay-approval").first().textContent(), { timeout: 10_000 })
        .toContain("edited: rm -rf /srv/reports → echo edited-$((6*7))");
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it(
    "runs a cloud task: the VM's cloud CLI reaches the control plane in the page",
    { timeout: 400_000 },
    async () => {
      const { page, errors } = await openReadyApp("shop-lb-503");
      await runAndWait(page, "oracle");
      expect(await page.getByTestId("verdict").innerText()).toMatch(/^PASS/);
      // The person's own shell reaches the same control plane.
      await page.getByRole("tab", { name: "Your shell" }).click();
      await page.getByTestId("terminal").click();
      await page.keyboard.type("cloud --help | head -1; echo cli-$((40+2))\n");
      const shell = () => page.getByTestId("terminal").locator(".xterm-rows").innerText();
      await expect.poll(shell, { timeout: 60_000 }).toContain("cli-42");
      expect(await shell()).toContain("usage: cloud [options]");
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
