// The "Find where it went wrong" panel of a failed run: the button, a progress bar while the run is replayed a prefix at a time in this tab's VM, then the step where it went wrong and the step where it came closest, with links to them.
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { ExplainProbe, ExplainReport } from "../../domain/explanation";
import type { RunRecord } from "../../domain/run";
import type { TaskBundle } from "../../domain/task";
import { explainIsBusy, type ExplainProgress, type ExplainState } from "../../state/explain-store";
import { seconds } from "../run/describe";

const where = (afterStep: number) =>
  afterStep === 0 ? "on the task as readied" : `after step ${afterStep}`;

function progressLine(progress: ExplainProgress | undefined, stopping: boolean): string {
  if (stopping) return "Stopping: what is under way ends, then Linux is reset…";
  if (!progress || progress.stage === "readying") return "Readying the task in a fresh Linux…";
  const what = progress.kind === "reference" ? "the reference solution" : "the grader";
  return `Probe ${progress.index} of about ${progress.estimatedTotal}: ${what} ${where(progress.afterStep)}`;
}

/** The first line of the step's first command, or its first file write. */
function commandOf(record: RunRecord, step: number): string {
  for (const event of record.events) {
    if (event.type !== "tool-call" || event.step !== step) continue;
    if (event.input.tool === "run_command") return `$ ${event.input.command.split("\n")[0]}`;
    if (event.input.tool === "write_file") return `write ${event.input.path}`;
  }
  return "";
}

function probeLine(probe: ExplainProbe): string {
  if (probe.kind === "reference")
    return `${where(probe.afterStep)}: the reference ${probe.referenceFixes ? "fixes it" : "does not fix it"} (${seconds(probe.durationMs)})`;
  const checks = probe.checks ?? [];
  const passed = checks.filter((c) => c.passed).length;
  return `${where(probe.afterStep)}: ${passed} of ${checks.length} checks pass (${seconds(probe.durationMs)})`;
}

function StepLink({ step, onJump }: { step: number; onJump: (step: number) => void }) {
  return (
    <button type="button" className="link" onClick={() => onJump(step)}>
      step {step}
    </button>
  );
}

function Report({
  report,
  record,
  onJump,
}: {
  report: ExplainReport;
  record: RunRecord;
  onJump: (step: number) => void;
}) {
  const best = report.bestStep;
  return (
    <div data-testid="explain-report">
      {report.damageStep === null ? (
        <p data-testid="explain-damage">
          No step is to blame: the reference solution still fixes the machine after the run
          {report.note ? " (or it could not be decided: see the note)" : ""}.
        </p>
      ) : (
        <p className="fail" data-testid="explain-damage" data-step={report.damageStep}>
          <strong>Went wrong at </strong>
          <StepLink step={report.damageStep} onJump={onJump} />:{" "}
          <code>{commandOf(record, report.damageStep)}</code> — after it, the reference solution no
          longer fixes the machine.
        </p>
      )}
      {best && (
        <p data-testid="explain-best" data-step={best.afterStep}>
          Closest {best.afterStep === 0 ? "before any step" : "after "}
          {best.afterStep > 0 && <StepLink step={best.afterStep} onJump={onJump} />}:{" "}
          {best.checksPassed} of {best.checksTotal} checks pass.
        </p>
      )}
      {report.note && <p className="warning">Note: {report.note}.</p>}
      <details>
        <summary>
          {report.probes.length} probes in {seconds(report.durationMs)}
        </summary>
        <ul>
          {report.probes.map((probe, i) => (
            <li key={i}>{probeLine(probe)}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}

export function ExplainPanel({
  record,
  task,
  store,
  onJump,
}: {
  record: RunRecord;
  task: TaskBundle | undefined;
  store: StoreApi<ExplainState>;
  /** Shows a step of the run in the replay. */
  onJump: (step: number) => void;
}) {
  const phase = useStore(store, (s) => s.phase);
  const runId = useStore(store, (s) => s.runId);
  const progress = useStore(store, (s) => s.progress);
  const error = useStore(store, (s) => s.error);
  const kept = useStore(store, (s) => s.results[record.id]);
  const busy = explainIsBusy(phase);
  const mine = runId === record.id;
  const report = kept?.report;
  return (
    <section className="explain-panel" aria-label="Where it went wrong" data-testid="explain-panel">
      <p>
        <button
          type="button"
          disabled={busy}
          onClick={() => void store.getState().explain(record, task)}
          title="Replays the run's commands in this tab's Linux a part at a time, and runs the reference solution after them: the step after which it no longer fixes the machine is where it went wrong. Takes minutes."
        >
          Find where it went wrong
        </button>{" "}
        {busy && mine && (
          <button
            type="button"
            disabled={phase === "stopping"}
            onClick={() => store.getState().stop()}
          >
            Stop
          </button>
        )}{" "}
        {busy && !mine && <span className="muted">Another run is being explained.</span>}
        {!busy && kept && (
          <span className="muted">(found {new Date(kept.explainedAt).toLocaleString()})</span>
        )}
      </p>
      {busy && mine && (
        <div role="status" data-testid="explain-progress">
          <progress
            max={progress?.stage === "probing" ? progress.estimatedTotal : 1}
            value={progress?.stage === "probing" ? progress.index - 1 : 0}
          />{" "}
          {progressLine(progress, phase === "stopping")}
        </div>
      )}
      {mine && error && (
        <p className="warning" role="status" data-testid="explain-error">
          {error}
        </p>
      )}
      {report && !(busy && mine) && <Report report={report} record={record} onJump={onJump} />}
    </section>
  );
}
