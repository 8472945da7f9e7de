// Two runs' calls side by side, row by row as aligned, the first divergence marked; every text from the guest or the model shown as text.
import { callText, DIVERGENCE_REASONS, type ComparisonView } from "../../state/compare-view";
import type { CompareStep } from "../../state/compare-view";
import { STOP_REASONS } from "../run/describe";
import type { RunRecord } from "../../domain/run";

/** The longest reasoning text a row shows before cutting, in characters (the replay has the rest). */
const REASONING_SHOWN_CHARS = 280;

function Call({ step }: { step: CompareStep | null }) {
  if (!step) return <td className="compare-call compare-call-none">—</td>;
  const reasoning =
    step.reasoning.length > REASONING_SHOWN_CHARS
      ? `${step.reasoning.slice(0, REASONING_SHOWN_CHARS)}…`
      : step.reasoning;
  return (
    <td className="compare-call" data-kind={step.key.kind}>
      <span className="compare-step">Step {step.step}</span>
      <code>{callText(step)}</code>
      {reasoning && <p className="compare-reasoning">{reasoning}</p>}
    </td>
  );
}

function Outcome({ run }: { run: RunRecord }) {
  const { outcome } = run;
  const verdict = outcome.verdict ?? "not graded";
  return (
    <span data-testid="compare-outcome" data-verdict={verdict}>
      {run.agent.model}: {verdict}
      {outcome.reason && ` · ${STOP_REASONS[outcome.reason] ?? outcome.reason}`} ·{" "}
      {outcome.commands} commands
    </span>
  );
}

export function ComparisonSteps({ view }: { view: ComparisonView }) {
  const { alignment, left, right, comparison } = view;
  const divergence = alignment.divergence;
  return (
    <section className="compare-steps" aria-label="The two runs side by side">
      <p data-testid="compare-divergence">
        {divergence
          ? `They first part at row ${divergence.row + 1}: ${DIVERGENCE_REASONS[divergence.reason]}.`
          : "They made the same calls throughout."}
        {comparison.pause?.decision &&
          ` Paused at step ${comparison.pause.step ?? "?"}; you chose: ${comparison.pause.decision}.`}
      </p>
      <p className="compare-note">
        Calls are compared by what they do and to what; the models’ stated diagnoses are shown, not
        compared.
      </p>
      <table data-testid="compare-rows">
        <thead>
          <tr>
            <th>#</th>
            <th>
              <Outcome run={left} />
            </th>
            <th>
              <Outcome run={right} />
            </th>
          </tr>
        </thead>
        <tbody>
          {alignment.rows.map((row, i) => (
            <tr
              key={i}
              data-match={row.match}
              data-divergence={divergence?.row === i ? "first" : undefined}
              className={divergence?.row === i ? "compare-divergence" : undefined}
            >
              <td>{i + 1}</td>
              <Call step={row.left} />
              <Call step={row.right} />
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
