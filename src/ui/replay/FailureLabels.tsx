// The replay's "Why it failed" panel: each failure label of the run, its sentence, and its steps as buttons that jump the replay there.
import type { FailureLabel, FailureLabelKind } from "../../domain/failure";

/** A label's name as a learner reads it. */
export const LABEL_TITLES: Record<FailureLabelKind, string> = {
  "repeated-command": "Repeated command",
  "ping-pong": "Ping-pong",
  "hallucinated-command": "Made-up command",
  "hallucinated-flag": "Made-up option",
  "ignored-error": "Ignored error",
  "premature-finish": "Claimed success too early",
  "no-verification": "Did not verify",
  "step-limit": "Ran out of steps",
  "time-limit": "Ran out of time",
  "hung-command": "Hung command",
  "destructive-action": "Destructive action",
  "environment-broken": "Broke what worked",
  refusal: "Refused or gave up",
  "off-task": "Off task",
  tampering: "Tampered with grading",
};

export function FailureLabels({
  labels,
  passed,
  onJump,
}: {
  labels: FailureLabel[];
  /** The grader passed the run: the labels are then things to notice, not why it failed. */
  passed: boolean;
  onJump: (step: number) => void;
}) {
  if (labels.length === 0) return null;
  return (
    <section className="failure-labels" aria-label="Why it failed" data-testid="failure-labels">
      <h3>{passed ? "Passed, but notice" : "Why it failed"}</h3>
      <ul>
        {labels.map((label) => (
          <li key={label.label} data-label={label.label}>
            <strong className={`failure-label ${label.label}`}>{LABEL_TITLES[label.label]}</strong>{" "}
            <span>{label.explanation}</span>
            {label.steps.length > 0 && (
              <span className="failure-label-steps">
                {label.steps.map((step) => (
                  <button
                    key={step}
                    type="button"
                    title={`Show step ${step} in the replay`}
                    data-testid="failure-label-step"
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => onJump(step)}
                  >
                    Step {step}
                  </button>
                ))}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The small marks on a step of the step list: the labels that point at it. */
export function StepLabelMarks({ labels }: { labels: FailureLabelKind[] | undefined }) {
  if (!labels?.length) return null;
  return (
    <span className="step-label-marks" data-testid="step-label-marks">
      {labels.map((label) => (
        <span key={label} className={`step-label-mark ${label}`} title={LABEL_TITLES[label]}>
          {LABEL_TITLES[label]}
        </span>
      ))}
    </span>
  );
}
