// The share-link codec: round trips on every kept run, every truncation and bit flip refused with its kind, old links open.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeRun } from "../domain/run-builders";
import { restoreRun, RUN_SCHEMA_VERSION, type RunRecord } from "../domain/run";
import { toBase64Url, fromBase64Url } from "./base64url";
import { ShareLinkError, type ShareLinkErrorKind } from "./errors";
import { encodeFrame } from "./frame";
import {
  decodeRunFile,
  decodeRunLink,
  encodeRunFile,
  encodeRunLink,
  encodeSummaryLink,
  MAX_LINK_CHARS,
  openLink,
  summarize,
} from "./link-codec";

const ROOT = join(import.meta.dirname, "../..");
const REF = { id: "t", folderHash: "f".repeat(64) };

/** Every run record kept as a fixture in the repository: this folder's runs, the history's and storage's. */
function fixtureRuns(): { name: string; record: RunRecord }[] {
  const runs: { name: string; raw: unknown }[] = [];
  const dir = join(import.meta.dirname, "../domain/fixtures/runs");
  for (const file of readdirSync(dir)) {
    runs.push({ name: file, raw: JSON.parse(readFileSync(join(dir, file), "utf8")) });
  }
  const archive = JSON.parse(
    readFileSync(join(ROOT, "src/state/fixtures/node-suite-results.json"), "utf8"),
  ) as { runs: unknown[] };
  archive.runs.forEach((raw, i) => runs.push({ name: `node-suite-results #${i}`, raw }));
  const db = JSON.parse(
    readFileSync(join(ROOT, "src/storage/fixtures/opslab-v1.json"), "utf8"),
  ) as {
    records: { runs: unknown[] };
  };
  db.records.runs.forEach((raw, i) => runs.push({ name: `opslab-v1 #${i}`, raw }));
  runs.push({ name: "makeRun", raw: makeRun() });
  return runs.map(({ name, raw }) => ({ name, record: restoreRun(raw) }));
}

async function failure(payload: string): Promise<ShareLinkErrorKind | "opened"> {
  try {
    await openLink(payload);
    return "opened";
  } catch (error) {
    if (error instanceof ShareLinkError) return error.kind;
    throw error;
  }
}

describe("share links", () => {
  const runs = fixtureRuns();

  it("round-trips every kept run, whole, with its task and a stable hash", async () => {
    expect(runs.length).toBeGreaterThanOrEqual(8);
    for (const { name, record } of runs) {
      const { payload, hash } = await encodeRunLink(record, {
        id: record.task.id,
        folderHash: "ab",
      });
      const shared = await decodeRunLink(payload);
      expect(shared.record, name).toEqual(record);
      expect(shared.task).toEqual({ id: record.task.id, folderHash: "ab" });
      expect(shared.hash).toBe(hash);
      expect(payload).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
      expect(payload.length, name).toBeLessThan(MAX_LINK_CHARS);
    }
  });

  it("keeps fields a newer run has that this schema does not name", async () => {
    const record = { ...makeRun(), extra: { a: 1 } } as RunRecord;
    record.events[0] = { ...record.events[0]!, future: "x", "~odd": 2, t: 3 } as never;
    const { payload } = await encodeRunLink(record, REF);
    const shared = await decodeRunLink(payload);
    expect(shared.record.events[0]).toEqual(record.events[0]);
  });

  it("keeps a fork's origin, in short keys", async () => {
    const record = makeRun({ forkedFrom: { runId: "parent-run", step: 3, taskHash: "ab" } });
    const { payload } = await encodeRunLink(record, REF);
    expect((await decodeRunLink(payload)).record).toEqual(record);
  });

  it("keeps a reasoning model's effort, thinking, reasoning tokens and cut-off turns", async () => {
    const base = makeRun({
      agent: {
        provider: "anthropic",
        model: "claude-opus-4-1",
        toolMode: "native",
        reasoning: { effort: "high", thinkingBudgetTokens: 24_000 },
        maxOutputTokensPerTurn: 28_096,
      },
    });
    const record = restoreRun({
      ...base,
      events: [
        { ...base.events[0]!, reasoningTokens: 3 },
        { type: "reasoning", atMs: 10, step: 1, kind: "thinking", text: "hmm" },
        { type: "reasoning", atMs: 10, step: 1, kind: "redacted-thinking", text: "" },
        { type: "limit", atMs: 10, step: 1, limit: "output", message: "cut off" },
        ...base.events.slice(1),
      ],
    });
    expect(record.outcome.reasoningTokens).toBe(3);
    const { payload } = await encodeRunLink(record, REF);
    expect((await decodeRunLink(payload)).record).toEqual(record);
  });

  it("keeps a run's command policy and its refused calls", async () => {
    const base = makeRun();
    const record = makeRun({
      limits: { ...base.limits, policy: { preset: "read-only", deny: ["rm *"] } },
      events: [
        {
          type: "tool-call",
          atMs: 1,
          step: 1,
          callId: "a",
          input: { tool: "run_command", command: "rm x" },
        },
        {
          type: "tool-result",
          atMs: 2,
          step: 1,
          callId: "a",
          outcome: { kind: "refused", part: "rm x", reason: "no", unjudged: false },
        },
      ],
    });
    const { payload } = await encodeRunLink(record, REF);
    const back = (await decodeRunLink(payload)).record;
    expect(back.limits).toEqual(record.limits);
    expect(back.events).toEqual(record.events);
  });

  it("refuses every truncation of a link as truncated", async () => {
    const { record } = runs[0]!;
    const { payload } = await encodeRunLink(record, REF);
    for (let length = 1; length < payload.length; length++) {
      const kind = await failure(payload.slice(0, length));
      expect(kind, `cut at ${length} of ${payload.length}`).toBe("truncated");
    }
  });

  it("refuses a bit flip at every position, never opening a changed run", async () => {
    const { payload } = await encodeRunLink(makeRun(), REF);
    const headerChars = "v1.".length + Math.ceil((1 + 2 + 32) * (8 / 6));
    for (let at = 0; at < payload.length; at++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = String.fromCharCode(payload.charCodeAt(at) ^ (1 << bit));
        const changed = payload.slice(0, at) + flipped + payload.slice(at + 1);
        const kind = await failure(changed);
        const where = `char ${at} bit ${bit}`;
        expect(kind, where).not.toBe("opened");
        if (at >= headerChars) expect(["tampered", "broken"], where).toContain(kind);
      }
    }
  });

  it("refuses a link whose body holds a character links never have", async () => {
    expect(await failure("v1.abc$def")).toBe("broken");
    expect(await failure("hello")).toBe("broken");
    expect(await failure("v")).toBe("truncated");
  });

  it("names a link of a newer format or run schema as newer", async () => {
    const { payload } = await encodeRunLink(makeRun(), REF);
    expect(await failure(`v2.${payload.slice(3)}`)).toBe("newer");
    const future = makeRun({ schemaVersion: RUN_SCHEMA_VERSION + 1 });
    expect(await failure((await encodeRunLink(future, REF)).payload)).toBe("newer");
  });

  it("refuses an intact link whose run fails validation, never showing part of it", async () => {
    const bad = makeRun();
    (bad.events[1] as { input: unknown }).input = { tool: "run_command" };
    const { payload } = await encodeRunLink(bad, REF);
    await expect(decodeRunLink(payload)).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/events\[1\] \(tool-call\)\.input\.command/),
    });
    const foreign = await encodeFrame("run", JSON.stringify({ r: { zz: 1 }, f: ["a", "b"] }));
    expect(await failure(foreign.payload)).toBe("invalid");
    const notJson = await encodeFrame("run", "{not json");
    expect(await failure(notJson.payload)).toBe("invalid");
  });

  it("opens the stored v1 link (links made today keep opening in later versions)", async () => {
    const fixture = JSON.parse(
      readFileSync(join(import.meta.dirname, "fixtures/link-v1.json"), "utf8"),
    ) as { payload: string; record: unknown; task: unknown };
    const shared = await decodeRunLink(fixture.payload);
    expect(shared.record).toEqual(restoreRun(fixture.record));
    expect(shared.task).toEqual(fixture.task);
  });

  it("a file is the same run as its link; a summary link names the file by hash", async () => {
    const record = runs[0]!.record;
    const file = await encodeRunFile(record, REF);
    const summaryPayload = await encodeSummaryLink(
      summarize({ record, task: REF, hash: file.hash }),
    );
    const opened = await openLink(summaryPayload);
    expect(opened.kind).toBe("summary");
    if (opened.kind !== "summary") return;
    expect(opened.summary).toMatchObject({ hash: file.hash, steps: record.outcome.steps });
    expect((await decodeRunFile(file.text, opened.summary.hash)).record).toEqual(record);
    const other = await encodeRunFile(makeRun(), REF);
    await expect(decodeRunFile(other.text, opened.summary.hash)).rejects.toMatchObject({
      kind: "tampered",
    });
    await expect(decodeRunFile("not json")).rejects.toMatchObject({ kind: "broken" });
  });

  it("base64url round-trips every length", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    }
  });
});
