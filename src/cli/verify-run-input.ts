// npm run verify-run's and explain-run's input and output: the file read, the runs it holds (a run record or an archive), each run's task, and a report as lines of text.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ARCHIVE_FORMAT, parseArchive } from "../domain/archive";
import { restoreRun, type RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import type { VerifyReport } from "../domain/verification";
import { loadTaskFolder } from "../tasks/node-loader";

/** The file cannot be used: not JSON, not a run or archive, or without the run asked for. Exit code 2. */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VerifyInputError";
  }
}

/** The text of the file named on the command line, or a VerifyInputError that names it. */
export async function readInputFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new VerifyInputError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/**
 * The task of a run: the folder given (an error when it cannot be loaded), or tasks/<domain>/<id>;
 * undefined when there is none.
 */
export async function loadTaskOf(
  record: RunRecord,
  folder: string | undefined,
): Promise<TaskBundle | undefined> {
  const path = resolve(folder ?? join("tasks", record.task.domain, record.task.id));
  try {
    return await loadTaskFolder(path);
  } catch (error) {
    if (folder)
      throw new VerifyInputError(
        `the task folder ${path} cannot be loaded: ${(error as Error).message}`,
      );
    return undefined;
  }
}

/**
 * The runs to verify in a file's text: a run record (as `npm run agent --out` or the page's JSON
 * export writes it) or an archive (History's export, `npm run suite`'s results); `runId` picks one.
 */
export function readRunsFile(text: string, runId?: string): RunRecord[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new VerifyInputError(
      `the file is not JSON (${(error as Error).message}): give a run record or an OpsLab archive (.json)`,
    );
  }
  let runs: RunRecord[];
  try {
    const isArchive =
      typeof raw === "object" &&
      raw !== null &&
      (raw as { format?: unknown }).format === ARCHIVE_FORMAT;
    runs = isArchive ? parseArchive(raw).runs : [restoreRun(raw)];
  } catch (error) {
    throw new VerifyInputError((error as Error).message);
  }
  if (runId === undefined) {
    if (runs.length === 0) throw new VerifyInputError("the archive holds no run");
    return runs;
  }
  const run = runs.find((r) => r.id === runId);
  if (!run)
    throw new VerifyInputError(
      `no run ${runId} in the file; it holds ${runs.map((r) => r.id).join(", ") || "no run"}`,
    );
  return [run];
}

const VERDICT_WORDS = { pass: "PASS", fail: "FAIL", tampered: "TAMPERED" } as const;
const mark = (passed: boolean | undefined) =>
  passed === undefined ? "—" : passed ? "PASS" : "FAIL";

/** The report as the CLI prints it: the verdicts, each check, each step that differed, the times. */
export function describeReport(report: VerifyReport): string[] {
  const { recorded, now } = report.verdict;
  const lines = [
    report.reproduced
      ? `Reproduced: ${VERDICT_WORDS[recorded]} → ${VERDICT_WORDS[now]}`
      : `Does not reproduce: recorded ${VERDICT_WORDS[recorded]}, now ${VERDICT_WORDS[now]}`,
    "  checks (recorded → now):",
    ...report.checks.map((c) => `    ${mark(c.recorded)} → ${mark(c.now)}  ${c.text}`),
    ...report.findings.map((f) => `    TAMPERED: ${f.detail}`),
  ];
  const outcome = report.steps.filter((s) => s.difference === "outcome").length;
  const output = report.steps.filter((s) => s.difference === "output").length;
  lines.push(
    `  steps: ${report.steps.length} replayed, ${report.steps.length - outcome - output} the same, ${output} with other output only, ${outcome} with another outcome`,
  );
  for (const skipped of report.skipped) lines.push(`    skipped ${skipped}`);
  lines.push(
    `  time: ${report.durationMs} ms (setup ${report.setupMs} ms, replay ${report.replayMs} ms, grading ${report.gradeMs} ms)`,
  );
  return lines;
}
