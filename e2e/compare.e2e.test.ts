// E2E: two scripted models race on one task in two VMs of one tab; their calls side by side, the first divergence marked at its row, the pause answered, the comparison saved and reopened.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startFakeLlmServer,
  type FakeLlmServer,
  type ServerReply,
} from "../src/agent/providers/testing/fake-llm-server";
import { LINUX_READY, launchChromium, serveStatic, type StaticServer } from "./support/browser";

const BOOT_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 180_000;
const KEY = "sk-e2e-compare-5c2e";
const TASK_ID = "nginx-reports-403";

let server: StaticServer;
let browser: Browser;
let llm: FakeLlmServer;

const command = (cmd: string): ServerReply => ({
  kind: "turn",
  text: `I will run ${cmd}.`,
  toolCalls: [{ name: "run_command", arguments: JSON.stringify({ command: cmd }) }],
});
const finish: ServerReply = {
  kind: "turn",
  toolCalls: [{ name: "finish", arguments: JSON.stringify({ summary: "done" }) }],
};
/** The two models' scripts: the same first look, then different second calls. */
const SCRIPTS: Record<string, ServerReply[]> = {
  "model-a": [command("ls -l /srv"), command("chmod o+rx /srv/reports"), finish],
  "model-b": [command("ls /srv"), command("cat /etc/nginx/nginx.conf"), finish],
};

beforeAll(async () => {
  server = await serveStatic();
  browser = await launchChromium();
  llm = await startFakeLlmServer(
    (request) => {
      const model = String(request.body.model);
      const messages = request.body.messages as { role: string }[];
      const turn = messages.filter((m) => m.role === "assistant").length;
      return SCRIPTS[model]?.[turn] ?? finish;
    },
    ["model-a", "model-b"],
    true,
  );
});
afterAll(async () => {
  await llm?.close();
  await browser?.close();
  await server?.close();
});

describe("two models on one task", () => {
  it(
    "races two scripted models, marks where they part, pauses there, saves the comparison and reopens it",
    { timeout: 300_000 },
    async () => {
      const page = await (await browser.newContext()).newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(server.url);
      await expect
        .poll(() => page.getByTestId("vm-status").textContent(), {
          timeout: BOOT_TIMEOUT_MS,
          interval: 500,
        })
        .toMatch(LINUX_READY);
      await page.locator(`[data-task-id="${TASK_ID}"]`).click();
      await page.getByRole("button", { name: "Settings", exact: true }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("Provider").selectOption("custom");
      await dialog.getByLabel("Base URL").fill(llm.openAiBaseUrl);
      await dialog.getByLabel("Model", { exact: true }).fill("model-a");
      await dialog.getByLabel("API key").fill(KEY);
      await dialog.getByRole("button", { name: "Done" }).click();

      // NOTE: the header's tab, not page.goto: the key is kept for the tab only, and must outlive the move.
      await page
        .getByRole("navigation", { name: "Pages" })
        .getByRole("button", { name: "Compare" })
        .click();
      await page.getByLabel("Right model").fill("model-b");
      await page.getByRole("button", { name: "Run both on the chosen task" }).click();
      const question = page.getByRole("alertdialog", { name: "They disagree" });
      await question.waitFor({ timeout: RUN_TIMEOUT_MS }).catch(async (error: unknown) => {
        // What the page showed instead (a failure message, rows so far), for whoever reads the failure.
        throw new Error(`${String(error)}\n${await page.locator("main.compare-page").innerText()}`);
      });
      expect(await question.innerText()).toContain("At step 2 they disagree");
      await question.getByRole("button", { name: "Continue both" }).click();
      const saved = page.getByRole("link", { name: "Saved: open this comparison" });
      await saved.waitFor({ timeout: RUN_TIMEOUT_MS });

      const rows = page.getByTestId("compare-rows").locator("tbody tr");
      const firstPart = page.locator('[data-testid="compare-rows"] tr[data-divergence="first"]');
      expect(await firstPart.locator("td").first().innerText()).toBe("2");
      expect(await firstPart.innerText()).toContain("chmod o+rx /srv/reports");
      expect(await firstPart.innerText()).toContain("cat /etc/nginx/nginx.conf");
      expect(await rows.nth(0).getAttribute("data-match")).toBe("same");

      await saved.click();
      await page.reload();
      await page.getByTestId("compare-rows").waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("compare-divergence").innerText()).toContain(
        "They first part at row 2",
      );
      expect(await page.getByTestId("compare-divergence").innerText()).toContain("continue");
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
