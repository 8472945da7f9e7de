// Sharing runs from the page: the key never leaves in a link, file or export; links open whole or fail by kind.
import { describe, expect, it } from "vitest";
import { runAgent, type AgentEvent } from "../agent/loop";
import { ScriptedClient } from "../agent/scripted-client";
import { decodeFrame } from "../share/frame";
import { decodeRunLink } from "../share/link-codec";
import { makeRun } from "../domain/run-builders";
import { makeTask } from "../domain/task-builders";
import { limitsForTask, recordRun } from "../tasks/agent-run";
import { FakeVm } from "../vm/fake-vm";
import { createCatalogueStore } from "./catalogue-store";
import { createShareStore } from "./share-store";

/** A fake key of the shape providers use; the agent below echoes it. */
const KEY = "sk-test-FAKEKEY0123456789abcdefXYZ";
const BASE = "https://opslab.example/";

/** A run made through the agent loop as the page makes it, whose VM and model both repeat the key. */
async function runThatSawTheKey(secrets: string[]) {
  const task = makeTask();
  const client = new ScriptedClient([
    {
      text: `I will check the key ${KEY}.`,
      toolCalls: [{ name: "run_command", args: { command: `echo ${KEY}` } }],
    },
    { toolCalls: [{ name: "write_file", args: { path: "/root/key", content: KEY } }] },
    { toolCalls: [{ name: "finish", args: { summary: `done with ${KEY}` } }] },
  ]);
  const vm = new FakeVm((command) => ({ stdout: `${command.replace(/^echo /, "")}\n` }));
  const limits = limitsForTask(task);
  const events: AgentEvent[] = [];
  for await (const event of runAgent({ client, vm, instruction: "x", limits, secrets })) {
    events.push(event);
  }
  return recordRun("run-key", new Date("2026-12-01T00:00:00Z"), task, client, limits, events);
}

/** Every text a share offer hands out, with its link's content inflated, for searching. */
async function everyText(offer: {
  url: string;
  file: { text: string };
  json: { text: string };
  markdown: { text: string };
}) {
  const content = (await decodeFrame(offer.url.split("#/share/")[1]!)).json;
  return [offer.url, offer.file.text, offer.json.text, offer.markdown.text, content].join("\n");
}

function store(secrets: string[] = [KEY]) {
  const catalogue = createCatalogueStore({
    tasks: [makeTask({ folderHash: "h1" })],
    errors: [],
  });
  return createShareStore({ catalogue, secrets: () => secrets });
}

describe("share store", () => {
  it("a run made with the key as a secret never carries it into a link, file or export", async () => {
    const record = await runThatSawTheKey([KEY]);
    expect(JSON.stringify(record)).toContain("[redacted]");
    const offer = await store([]).getState().offer(record, BASE);
    expect(offer.tooBig).toBe(false);
    const text = await everyText(offer);
    expect(text).toContain("echo [redacted]");
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(0, 20));
  });

  it("scrubs the key in Settings from a run that holds it (made before, or elsewhere)", async () => {
    const record = await runThatSawTheKey([]);
    expect(JSON.stringify(record)).toContain(KEY);
    const offer = await store([KEY]).getState().offer(record, BASE);
    expect(await everyText(offer)).not.toContain(KEY);
    const shared = await decodeRunLink(offer.url.split("#/share/")[1]!);
    expect(JSON.stringify(shared.record)).not.toContain(KEY);
    expect(shared.record.events.length).toBe(record.events.length);
  });

  it("opens a link whole, saying whether this OpsLab has the same version of its task", async () => {
    const share = store();
    const offer = await share
      .getState()
      .offer(makeRun({ task: { ...makeRun().task, id: "demo-task" } }), BASE);
    const payload = offer.url.split("#/share/")[1]!;
    await share.getState().open(payload);
    const opened = share.getState().opened;
    expect(opened.status).toBe("run");
    if (opened.status === "run") {
      expect(opened.match).toBe("same");
      expect(opened.run.task).toEqual({ id: "demo-task", folderHash: "h1" });
    }
    const other = createShareStore({
      catalogue: createCatalogueStore({ tasks: [makeTask({ folderHash: "h2" })], errors: [] }),
      secrets: () => [],
    });
    await other.getState().open(payload);
    expect(other.getState().opened).toMatchObject({ status: "run", match: "differs" });
    const none = createShareStore({
      catalogue: createCatalogueStore({ tasks: [], errors: [] }),
      secrets: () => [],
    });
    await none.getState().open(payload);
    expect(none.getState().opened).toMatchObject({ status: "run", match: "missing" });
  });

  it("names a bad link's failure, and never shows part of it", async () => {
    const share = store();
    const offer = await share.getState().offer(makeRun(), BASE);
    const payload = offer.url.split("#/share/")[1]!;
    await share.getState().open(payload.slice(0, 40));
    expect(share.getState().opened).toMatchObject({
      status: "error",
      error: { kind: "truncated", title: "This link is cut short" },
    });
  });

  it("offers a summary link and a file for a run too big for a link; the file must be that run", async () => {
    const big = makeRun();
    const noise = Array.from({ length: 3000 }, (_, i) =>
      ((i * 2654435761) >>> 0).toString(36),
    ).join(" ");
    big.events.push({ type: "reasoning", atMs: 15, step: 1, text: noise });
    const share = store();
    const offer = await share.getState().offer(big, BASE);
    expect(offer.tooBig).toBe(true);
    expect(offer.runLinkChars).toBeGreaterThan(8 * 1024);
    expect(offer.url.length).toBeLessThan(1024);
    expect(offer.file.name).toBe("t-2026-01-01.opslab.json");
    await share.getState().open(offer.url.split("#/share/")[1]!);
    expect(share.getState().opened).toMatchObject({ status: "summary", summary: { steps: 1 } });
    const small = await share.getState().offer(makeRun(), BASE);
    await share.getState().openFile(small.file.text);
    expect(share.getState().opened).toMatchObject({
      status: "summary",
      fileError: { kind: "tampered" },
    });
    await share.getState().openFile(offer.file.text);
    const opened = share.getState().opened;
    expect(opened.status).toBe("run");
    if (opened.status === "run") expect(opened.run.record.events.at(-1)).toEqual(big.events.at(-1));
  });
});
