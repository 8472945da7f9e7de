// npm run explain-run's and npm run agent --explain's input and output: the runs a file holds (a record, an archive, a .opslab.json shared run), the progress and the report as lines of text, and one explanation printed.
import { mayChangeMachine } from "../domain/shell/read-only";
import type { ExplainProbe, ExplainReport } from "../domain/explanation";
import type { RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import { decodeRunFile, SHARE_FILE_FORMAT } from "../share/link-codec";
import { explainToEnd, type ExplainEvent, type ExplainStrategy } from "../tasks/explain-run";
import type { ReadyTaskOptions } from "../tasks/task-state";
import type { Vm } from "../vm/vm";
import { readRunsFile, VerifyInputError } from "./verify-run-input";

/** The runs in a file's text: a .opslab.json shared run, or what readRunsFile reads (a record, an archive). */
export async function readExplainInput(text: string, runId?: string): Promise<RunRecord[]> {
  let format: unknown;
  try {
    format = (JSON.parse(text) as { format?: unknown } | null)?.format;
  } catch {
    format = undefined;
  }
  if (format !== SHARE_FILE_FORMAT) return readRunsFile(text, runId);
  try {
    const { record } = await decodeRunFile(text);
    if (runId !== undefined && record.id !== runId)
      throw new VerifyInputError(`no run ${runId} in the file; it holds ${record.id}`);
    return [record];
  } catch (error) {
    if (error instanceof VerifyInputError) throw error;
    throw new VerifyInputError((error as Error).message);
  }
}

const stepName = (afterStep: number) =>
  afterStep === 0 ? "the readied task" : `step ${afterStep}`;

/** What a probe found, in a few words. */
export function describeProbe(probe: ExplainProbe): string {
  const where = `after ${stepName(probe.afterStep)}`.padEnd(24);
  const seconds = `${(probe.durationMs / 1000).toFixed(1)} s`;
  if (probe.kind === "reference")
    return `${where} reference ${probe.referenceFixes ? "fixes it" : "DOES NOT fix it"}  (${seconds})`;
  const checks = probe.checks ?? [];
  const passed = checks.filter((c) => c.passed).length;
  return `${where} grader ${passed}/${checks.length} checks pass  (${seconds})`;
}

/** A progress line for an event, or undefined for events that print nothing. */
export function describeExplainEvent(event: ExplainEvent): string | undefined {
  switch (event.type) {
    case "ready":
      return `  ${event.fromSavedState ? "restored from its saved state" : "set up"} in ${event.durationMs} ms${event.note ? ` (${event.note})` : ""}`;
    case "probe":
      return `  [${event.index}/~${event.estimatedTotal}] ${describeProbe(event.probe)}`;
    case "unexplainable":
      return `  cannot explain: ${event.reason}`;
    case "stopped":
      return "  stopped";
    default:
      return undefined;
  }
}

/** The report as lines: the damage step, the best step, the note, the time. */
export function describeExplainReport(report: ExplainReport, record: RunRecord): string[] {
  const command = (step: number) => {
    for (const event of record.events)
      if (event.type === "tool-call" && event.step === step && event.input.tool === "run_command")
        return `: ${event.input.command.split("\n")[0]}`;
    return "";
  };
  const best = report.bestStep;
  const references = report.probes.filter((p) => p.kind === "reference").length;
  return [
    report.damageStep === null
      ? "Damage step: none (the reference still fixes the machine after the last step, or it could not be decided)"
      : `Damage step: ${report.damageStep}${command(report.damageStep)} (after it the reference no longer fixes the machine)`,
    best
      ? `Best step: ${best.afterStep === 0 ? "0 (the readied task)" : `${best.afterStep}${command(best.afterStep)}`}, ${best.checksPassed}/${best.checksTotal} checks pass`
      : "Best step: none (no checks seen)",
    ...(report.note ? [`Note: ${report.note}`] : []),
    `Time: ${(report.durationMs / 1000).toFixed(1)} s, ${report.probes.length} probes (${references} with the reference)`,
  ];
}

export interface ExplainPrintOptions {
  vm: Vm;
  task: TaskBundle | undefined;
  record: RunRecord;
  stateCache?: ReadyTaskOptions;
  strategy?: ExplainStrategy;
  /** Print progress and report lines (false: print nothing). */
  print: boolean;
}

/** Explains one run, printing as it goes; returns its last event. */
export async function explainAndPrint(options: ExplainPrintOptions): Promise<ExplainEvent> {
  const { print, record, ...rest } = options;
  return explainToEnd({ ...rest, record, mayChange: mayChangeMachine }, (event) => {
    const line = print ? describeExplainEvent(event) : undefined;
    if (line) console.log(line);
    if (print && event.type === "report")
      for (const l of describeExplainReport(event.report, record)) console.log(`  ${l}`);
  });
}
