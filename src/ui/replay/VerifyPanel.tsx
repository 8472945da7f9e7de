// The Verify panel of a run: the button, the progress of the replay in this tab's VM, then whether the verdict reproduces, check by check and where outputs differed.
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { RunRecord } from "../../domain/run";
import type { TaskBundle, Verdict } from "../../domain/task";
import type { VerificationSummary, VerifyReport } from "../../domain/verification";
import { verifyIsBusy, type VerifyProgress, type VerifyState } from "../../state/verify-store";
import { seconds } from "../run/describe";

const WORDS: Record<Verdict, string> = { pass: "PASS", fail: "FAIL", tampered: "TAMPERED" };

/** "Reproduced: PASS → PASS" or "Does not reproduce: recorded PASS, now FAIL". */
export function verificationHeadline(
  v: Pick<VerificationSummary, "reproduced" | "verdict">,
): string {
  const { recorded, now } = v.verdict;
  return v.reproduced
    ? `Reproduced: ${WORDS[recorded]} → ${WORDS[now]}`
    : `Does not reproduce: recorded ${WORDS[recorded]}, now ${WORDS[now]}`;
}

function progressLine(progress: VerifyProgress | undefined, stopping: boolean): string {
  if (stopping) return "Stopping: the step under way ends, then Linux is reset…";
  if (!progress || progress.stage === "readying") return "Readying the task in a fresh Linux…";
  if (progress.stage === "grading") return "Grading, with the integrity checks…";
  const first = progress.command.split("\n")[0] ?? "";
  return `Replaying step ${progress.index} of ${progress.total}: ${first}`;
}

const mark = (passed: boolean | undefined) =>
  passed === undefined ? <span className="muted">—</span> : passed ? "✓" : "✗";

function Report({ report }: { report: VerifyReport }) {
  const differing = report.steps.filter((s) => !s.same);
  const outcome = differing.filter((s) => s.difference === "outcome").length;
  return (
    <div data-testid="verify-report">
      <p
        className={`verdict ${report.reproduced ? "pass" : "fail"}`}
        data-testid="verify-headline"
        data-reproduced={report.reproduced}
      >
        <strong>{verificationHeadline(report)}</strong>
      </p>
      {report.findings.length > 0 && (
        <ul>
          {report.findings.map((f, i) => (
            <li key={i} className="fail">
              ⚠ {f.detail}
            </li>
          ))}
        </ul>
      )}
      <table className="verify-checks">
        <thead>
          <tr>
            <th>recorded</th>
            <th>now</th>
            <th>check</th>
          </tr>
        </thead>
        <tbody>
          {report.checks.map((c, i) => (
            <tr key={i} className={c.recorded === c.now ? undefined : "fail"}>
              <td>{mark(c.recorded)}</td>
              <td>{mark(c.now)}</td>
              <td>{c.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {report.steps.length} step(s) replayed: {report.steps.length - differing.length} gave the
        same result, {differing.length - outcome} other output only (dates, PIDs and timings differ
        from run to run), {outcome} another exit code or outcome. {seconds(report.durationMs)} in
        all (setup {seconds(report.setupMs)}, replay {seconds(report.replayMs)}, grading{" "}
        {seconds(report.gradeMs)}).
      </p>
      {differing.length > 0 && (
        <details open={outcome > 0}>
          <summary>Where the outputs differ from the recording</summary>
          <ul>
            {differing.map((s) => (
              <li
                key={s.step + s.command}
                className={s.difference === "outcome" ? "warning" : "muted"}
              >
                step {s.step}: <code>{s.command.split("\n")[0]}</code>
                <ul>
                  {s.differences.map((d, i) => (
                    <li key={i}>{d}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </details>
      )}
      {report.skipped.length > 0 && (
        <p className="muted">Not replayed: {report.skipped.join("; ")}.</p>
      )}
    </div>
  );
}

export function VerifyPanel({
  record,
  task,
  store,
}: {
  record: RunRecord;
  task: TaskBundle | undefined;
  store: StoreApi<VerifyState>;
}) {
  const phase = useStore(store, (s) => s.phase);
  const runId = useStore(store, (s) => s.runId);
  const progress = useStore(store, (s) => s.progress);
  const report = useStore(store, (s) => s.report);
  const error = useStore(store, (s) => s.error);
  const kept = useStore(store, (s) => s.results[record.id]);
  const busy = verifyIsBusy(phase);
  const mine = runId === record.id;
  return (
    <section className="verify-panel" aria-label="Verify" data-testid="verify-panel">
      <p>
        <button
          type="button"
          disabled={busy}
          onClick={() => void store.getState().verify(record, task)}
          title="Replays the recorded commands and file writes in a fresh Linux in this tab and grades again"
        >
          Verify
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
        {busy && !mine && <span className="muted">Another run is being verified.</span>}
        {!busy && !(mine && report) && kept && (
          <span className={kept.reproduced ? "ok" : "fail"} data-testid="verify-kept">
            {verificationHeadline(kept)} (verified {new Date(kept.verifiedAt).toLocaleString()})
          </span>
        )}
      </p>
      {busy && mine && (
        <p role="status" data-testid="verify-progress">
          {progressLine(progress, phase === "stopping")}
        </p>
      )}
      {mine && error && (
        <p className="warning" role="status" data-testid="verify-error">
          {error}
        </p>
      )}
      {mine && report && !busy && <Report report={report} />}
    </section>
  );
}
