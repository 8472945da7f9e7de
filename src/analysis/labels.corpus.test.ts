// Measures labelRun on the labelled corpus (npm run corpus writes it): precision and recall per label, printed as a table.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FAILURE_LABELS, type FailureLabelKind } from "../domain/failure";
import { readCorpus, type CorpusEntry } from "./corpus";
import { labelRun, type LabelContext } from "./labels";

const ROOT = resolve(import.meta.dirname, "../..");
const CORPUS_DIR = resolve(import.meta.dirname, "corpus");
/** A label with at least this many expected instances must reach MIN_SCORE in both measures. */
const MIN_INSTANCES = 3;
const MIN_SCORE = 0.9;
/** The corpus the issue asks for, at least. */
const MIN_ENTRIES = 60;

/** The ticket and reference solution of an entry's task, from its folder. */
function taskContext(entry: CorpusEntry): LabelContext["task"] {
  const folder = resolve(ROOT, "tasks", entry.record.task.domain, entry.taskId);
  return {
    ticket: readFileSync(resolve(folder, "instruction.md"), "utf8"),
    solutionScript: readFileSync(resolve(folder, "solution/solve.sh"), "utf8"),
  };
}

interface Score {
  label: FailureLabelKind;
  expected: number;
  truePositives: number;
  falsePositives: string[];
  falseNegatives: string[];
}

const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);
const precision = (s: Score) => ratio(s.truePositives, s.truePositives + s.falsePositives.length);
const recall = (s: Score) => ratio(s.truePositives, s.expected);

function score(entries: CorpusEntry[]): Score[] {
  const scores = FAILURE_LABELS.map((label): Score => ({
    label,
    expected: 0,
    truePositives: 0,
    falsePositives: [],
    falseNegatives: [],
  }));
  for (const entry of entries) {
    const found = new Set(
      labelRun(entry.record, { readyChecks: entry.readyChecks, task: taskContext(entry) }).map(
        (l) => l.label,
      ),
    );
    for (const s of scores) {
      const expected = entry.expected.labels.includes(s.label);
      if (expected) s.expected++;
      if (expected && found.has(s.label)) s.truePositives++;
      if (!expected && found.has(s.label)) s.falsePositives.push(entry.name);
      if (expected && !found.has(s.label)) s.falseNegatives.push(entry.name);
    }
  }
  return scores;
}

function table(scores: Score[]): string {
  const rows = scores.map((s) =>
    [
      s.label.padEnd(22),
      String(s.expected).padStart(8),
      String(s.truePositives + s.falsePositives.length).padStart(6),
      precision(s).toFixed(2).padStart(9),
      recall(s).toFixed(2).padStart(7),
    ].join(" "),
  );
  return [`${"label".padEnd(22)} expected  found precision  recall`, ...rows].join("\n");
}

describe("failure labels on the labelled corpus", () => {
  let entries: CorpusEntry[];
  let scores: Score[];
  beforeAll(async () => {
    entries = await readCorpus(CORPUS_DIR);
    scores = score(entries);
    console.log(`${entries.length} runs of the corpus\n${table(scores)}`);
  });

  it("has the runs the issue asks for, each with its expectations", () => {
    expect(entries.length).toBeGreaterThanOrEqual(MIN_ENTRIES);
    for (const entry of entries) {
      expect(entry.record.events.length, entry.name).toBeGreaterThan(0);
      expect(entry.readyChecks.length, entry.name).toBeGreaterThan(0);
    }
  });

  it(`reaches precision and recall ${MIN_SCORE} for every label seen ${MIN_INSTANCES}+ times`, () => {
    const misses = scores
      .filter((s) => s.expected >= MIN_INSTANCES)
      .filter((s) => precision(s) < MIN_SCORE || recall(s) < MIN_SCORE)
      .map(
        (s) =>
          `${s.label}: precision ${precision(s).toFixed(2)}, recall ${recall(s).toFixed(2)}; found where not expected: ${s.falsePositives.join(", ") || "none"}; missed: ${s.falseNegatives.join(", ") || "none"}`,
      );
    expect(misses).toEqual([]);
  });
});
