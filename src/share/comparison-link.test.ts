// Comparison links: two kept runs and their comparison round-trip in one frame; a wrong, cut, changed or newer link says what is wrong.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMPARISON_SCHEMA_VERSION, type ComparisonRecord } from "../domain/comparison";
import { restoreRun, type RunRecord } from "../domain/run";
import { toBase64Url, fromBase64Url } from "./base64url";
import { decodeComparisonLink, encodeComparisonLink } from "./comparison-link";
import { ShareLinkError, type ShareLinkErrorKind } from "./errors";
import { decodeFrame, encodeFrame } from "./frame";
import { encodeRunLink, MAX_LINK_CHARS, openLink } from "./link-codec";

const REF = { id: "nginx-reports-403", folderHash: "f".repeat(64) };
const fixture = (name: string, id: string): RunRecord => ({
  ...restoreRun(
    JSON.parse(
      readFileSync(join(import.meta.dirname, "../domain/fixtures/runs", name), "utf8"),
    ) as unknown,
  ),
  id,
});
const left = fixture("oracle-nginx-reports-403.json", "left-run");
const right = fixture("explorer-nginx-reports-403.json", "right-run");
const calls = (run: RunRecord) => run.events.filter((e) => e.type === "tool-call").length;
/** A comparison of the two runs (rows made by hand: this layer does not align). */
const comparison: ComparisonRecord = {
  schemaVersion: COMPARISON_SCHEMA_VERSION,
  id: "cmp1",
  createdAt: "2026-12-03T10:00:00.000Z",
  task: left.task,
  runIds: [left.id, right.id],
  agents: [left.agent, right.agent].map(({ provider, model }) => ({
    provider,
    model,
  })) as ComparisonRecord["agents"],
  rows: Array.from({ length: Math.max(calls(left), calls(right)) }, (_, i) => [
    i < calls(left) ? i : null,
    i < calls(right) ? i : null,
  ]),
  divergenceRow: 1,
};

async function failure(payload: string): Promise<ShareLinkErrorKind | "opened"> {
  try {
    await decodeComparisonLink(payload);
    return "opened";
  } catch (error) {
    if (error instanceof ShareLinkError) return error.kind;
    throw error;
  }
}

describe("comparison links", () => {
  it("carries the comparison and both runs whole, within a link's length", async () => {
    const { payload, hash } = await encodeComparisonLink(comparison, left, right, REF);
    const shared = await decodeComparisonLink(payload);
    expect(shared.comparison).toEqual(comparison);
    expect(shared.left).toEqual(left);
    expect(shared.right).toEqual(right);
    expect(shared.task).toEqual(REF);
    expect(shared.hash).toBe(hash);
    expect(`https://example.org/#/compare/share/${payload}`.length).toBeLessThan(
      MAX_LINK_CHARS * 2,
    );
  });

  it("refuses to carry runs that are not the comparison's own", async () => {
    await expect(encodeComparisonLink(comparison, right, left, REF)).rejects.toThrow(
      /own two runs/,
    );
  });

  it("says a cut or changed link is so, and never opens part of it", async () => {
    const { payload } = await encodeComparisonLink(comparison, left, right, REF);
    expect(await failure(payload.slice(0, payload.length - 40))).toBe("truncated");
    const bytes = fromBase64Url(payload.slice(3))!;
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0x10;
    expect(await failure(`v1.${toBase64Url(bytes)}`)).toBe("tampered");
  });

  it("tells a run link from a comparison link, both ways", async () => {
    const run = await encodeRunLink(left, REF);
    await expect(decodeComparisonLink(run.payload)).rejects.toThrow(
      /holds a run, not a comparison/,
    );
    const { payload } = await encodeComparisonLink(comparison, left, right, REF);
    await expect(openLink(payload)).rejects.toThrow(/comparison of two runs/);
  });

  it.each([
    ["a newer comparison version", { v: 2 }, "newer"],
    ["no version", { v: undefined }, "invalid"],
    ["no task", { f: ["t"] }, "invalid"],
    ["a damaged comparison", { c: { id: "x" } }, "invalid"],
    ["a damaged run", { l: { x: 1 } }, "invalid"],
  ] as const)("refuses %s with its kind", async (_name, patch, kind) => {
    const { payload } = await encodeComparisonLink(comparison, left, right, REF);
    const content = { ...JSON.parse((await decodeFrame(payload)).json), ...patch };
    const crafted = await encodeFrame("comparison", JSON.stringify(content));
    expect(await failure(crafted.payload)).toBe(kind);
  });

  it("refuses runs swapped against the comparison's order", async () => {
    const { payload } = await encodeComparisonLink(comparison, left, right, REF);
    const content = JSON.parse((await decodeFrame(payload)).json) as Record<string, unknown>;
    const crafted = await encodeFrame(
      "comparison",
      JSON.stringify({ ...content, l: content.r, r: content.l }),
    );
    await expect(decodeComparisonLink(crafted.payload)).rejects.toThrow(/not the ones/);
  });
});
