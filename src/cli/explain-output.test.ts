// Unit tests of npm run explain-run's input (a record, an archive, a .opslab.json shared run) and its report lines.
import { describe, expect, it } from "vitest";
import { makeArchive } from "../domain/archive";
import type { ExplainReport } from "../domain/explanation";
import { makeRun } from "../domain/run-builders";
import { encodeRunFile } from "../share/link-codec";
import { describeExplainReport, describeProbe, readExplainInput } from "./explain-output";
import { VerifyInputError } from "./verify-run-input";

const REF = { id: "t", folderHash: "f".repeat(64) };

describe("readExplainInput", () => {
  const a = makeRun({ id: "a" });

  it("reads a shared run file as well as a record or an archive", async () => {
    const { text } = await encodeRunFile(a, REF);
    expect((await readExplainInput(text)).map((r) => r.id)).toEqual(["a"]);
    expect((await readExplainInput(JSON.stringify(a))).map((r) => r.id)).toEqual(["a"]);
    const archive = JSON.stringify(makeArchive([a, makeRun({ id: "b" })], [], "t"));
    expect((await readExplainInput(archive, "b")).map((r) => r.id)).toEqual(["b"]);
  });

  it("refuses a broken shared run file or another run's id, saying why", async () => {
    const { text } = await encodeRunFile(a, REF);
    await expect(readExplainInput(text, "zz")).rejects.toThrow(/no run zz.*holds a/);
    const broken = JSON.stringify({ format: "opslab-shared-run", version: 1, payload: "!!" });
    await expect(readExplainInput(broken)).rejects.toThrow(VerifyInputError);
  });
});

describe("describeExplainReport", () => {
  it("names the damage step and the best step with their commands, and the probes' count", () => {
    const run = makeRun({
      events: [
        {
          type: "tool-call",
          atMs: 1,
          step: 2,
          callId: "c",
          input: { tool: "run_command", command: "rm -rf /srv/q3\necho more" },
        },
      ],
    });
    const report: ExplainReport = {
      damageStep: 2,
      bestStep: { afterStep: 0, checksPassed: 3, checksTotal: 5 },
      probes: [
        { afterStep: 0, kind: "reference", referenceFixes: true, durationMs: 1500 },
        { afterStep: 2, kind: "checks", checks: [{ text: "x", passed: true }], durationMs: 900 },
      ],
      durationMs: 12_000,
    };
    expect(describeExplainReport(report, run)).toEqual([
      "Damage step: 2: rm -rf /srv/q3 (after it the reference no longer fixes the machine)",
      "Best step: 0 (the readied task), 3/5 checks pass",
      "Time: 12.0 s, 2 probes (1 with the reference)",
    ]);
    expect(describeProbe(report.probes[0]!)).toMatch(
      /after the readied task +reference fixes it +\(1.5 s\)/,
    );
    expect(describeProbe(report.probes[1]!)).toMatch(/after step 2 +grader 1\/1 checks pass/);
  });
});
