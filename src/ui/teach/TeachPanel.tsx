// "Compare with the reference": a run's steps beside its task's reference solution, the grader's checks and what each looked at, what the run did without need and what it never looked at.
import { useState } from "react";
import type { FailureLabel } from "../../domain/failure";
import type { RunRecord } from "../../domain/run";
import type { TaskBundle } from "../../domain/task";
import {
  selectTeaching,
  type AgentStep,
  type Teaching,
  type TeachingCheck,
} from "../../state/teaching";
import "./teach.css";

export interface TeachPanelProps {
  record: RunRecord;
  task: TaskBundle | undefined;
  /** Failure labels of the run, when they were found (shown above the columns). */
  labels?: FailureLabel[];
  /** The step after which the reference no longer fixes the machine, when it was looked for. */
  damageStep?: number | null;
  /** Shows a step in the replay. */
  onStep?(step: number): void;
  /** Opens the comparison at once (tests, a link to it). */
  open?: boolean;
}

/** A step number that shows the step in the replay when it can. */
function StepLink({ step, onStep }: { step: number; onStep?: (step: number) => void }) {
  if (!onStep) return <span className="teach-step">Step {step}</span>;
  return (
    <button type="button" className="teach-step link" onClick={() => onStep(step)}>
      Step {step}
    </button>
  );
}

function outcomeOf(step: AgentStep): { text: string; bad: boolean } {
  if (step.kind === "finish") return { text: "finish", bad: false };
  if (step.kind === "invalid") return { text: "not run", bad: true };
  if (step.timedOut) return { text: "timed out", bad: true };
  if (step.exitCode === null) return { text: "failed", bad: true };
  if (step.kind === "write") return { text: "written", bad: false };
  return { text: `exit ${step.exitCode}`, bad: step.exitCode !== 0 };
}

function AgentColumn(props: {
  teaching: Teaching;
  marked: ReadonlySet<number>;
  damageStep: number | null | undefined;
  onStep?: (step: number) => void;
}) {
  const { teaching, marked, damageStep, onStep } = props;
  return (
    <section className="teach-column" aria-label="The agent's steps" data-testid="teach-agent">
      <h4>The agent</h4>
      {teaching.agent.length === 0 && <p className="muted">It ran no command.</p>}
      <ol className="teach-steps">
        {teaching.agent.map((step) => {
          const outcome = outcomeOf(step);
          return (
            <li
              key={`${step.step}-${step.kind}-${step.text.slice(0, 40)}`}
              data-step={step.step}
              className={[
                marked.has(step.step) ? "teach-marked" : "",
                step.step === damageStep ? "teach-damage" : "",
              ].join(" ")}
            >
              <StepLink step={step.step} {...(onStep && { onStep })} />{" "}
              <span className={outcome.bad ? "teach-outcome bad" : "teach-outcome"}>
                {outcome.text}
              </span>
              {step.changes && <span className="teach-changes">changes</span>}
              {step.kind === "write" && <span className="muted"> wrote</span>}
              <pre className={step.kind === "finish" ? "teach-summary" : "teach-command"}>
                {step.text}
              </pre>
              {step.content !== undefined && (
                <details className="teach-content">
                  <summary>What it wrote</summary>
                  <pre className="teach-command">{step.content}</pre>
                </details>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function ReferenceColumn({ teaching }: { teaching: Teaching }) {
  const { overview, commands } = teaching.reference;
  return (
    <section
      className="teach-column"
      aria-label="The reference solution"
      data-testid="teach-reference"
    >
      <h4>The reference</h4>
      {overview && <p className="teach-overview">{overview}</p>}
      <ol className="teach-steps">
        {commands.map((command, i) => (
          <li key={i}>
            {command.explanation && <p className="teach-explanation">{command.explanation}</p>}
            {command.changes && <span className="teach-changes">changes</span>}
            <pre className="teach-command">{command.text}</pre>
          </li>
        ))}
      </ol>
    </section>
  );
}

function checkMark(check: TeachingCheck, graded: boolean): { mark: string; label: string } {
  if (!graded) return { mark: "·", label: "not graded" };
  if (check.results.length === 0) return { mark: "–", label: "not reported" };
  const passed = check.results.filter((r) => r.passed).length;
  if (passed === check.results.length) return { mark: "✓", label: "passed" };
  return passed === 0 ? { mark: "✗", label: "failed" } : { mark: "✗", label: "failed in part" };
}

function Checks({ teaching }: { teaching: Teaching }) {
  return (
    <section className="teach-checks" aria-label="The grader's checks" data-testid="teach-checks">
      <h4>What the grader checked</h4>
      {!teaching.graded && <p className="muted">This run was not graded.</p>}
      <ul>
        {teaching.checks.map((check, i) => {
          const { mark, label } = checkMark(check, teaching.graded);
          return (
            <li key={i} data-testid="teach-check" data-result={label}>
              <p>
                <span
                  className={`teach-mark ${label.replace(/ /g, "-")}`}
                  title={label}
                  aria-label={label}
                >
                  {mark}
                </span>{" "}
                <strong>{check.what}</strong>
                {check.results.length > 1 &&
                  ` (${check.results.map((r) => `${r.passed ? "passed" : "failed"}: ${r.text}`).join("; ")})`}
                {check.results.length === 1 && check.results[0]!.text !== check.what && (
                  <span className="muted"> ({check.results[0]!.text})</span>
                )}
              </p>
              <p className="teach-code">
                Looks at <code>{check.code}</code>
                <span className="muted"> ({check.from})</span>
              </p>
              {check.helpers.length > 0 && (
                <ul className="teach-helpers">
                  {check.helpers.map((helper) => (
                    <li key={helper.name}>
                      <code>{helper.usage}</code>
                      {helper.gloss && `: ${helper.gloss}`}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
      {teaching.unmatchedResults.length > 0 && (
        <p className="muted">
          Also reported:{" "}
          {teaching.unmatchedResults
            .map((r) => `${r.passed ? "PASS" : "FAIL"}: ${r.text}`)
            .join("; ")}
        </p>
      )}
    </section>
  );
}

function Differences({
  teaching,
  onStep,
}: {
  teaching: Teaching;
  onStep?: (step: number) => void;
}) {
  return (
    <div className="teach-lists">
      <section aria-label="Did, but the reference did not need" data-testid="teach-not-needed">
        <h4>Did, but the reference did not need</h4>
        {teaching.notNeeded.length === 0 ? (
          <p className="muted">Nothing: every change it made touched what the reference touches.</p>
        ) : (
          <ul>
            {teaching.notNeeded.map((item) => (
              <li key={item.step}>
                <StepLink step={item.step} {...(onStep && { onStep })} /> <code>{item.text}</code>{" "}
                {item.exitCode === 0 ? "changed" : "tried to change"} {item.targets.join(", ")}
                {item.exitCode !== 0 &&
                  (item.exitCode === null
                    ? " (it did not finish)"
                    : ` (it exited ${item.exitCode})`)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-label="Never looked at" data-testid="teach-never-looked">
        <h4>Never looked at</h4>
        {teaching.neverLookedAt.length === 0 ? (
          <p className="muted">Nothing: it named everything the reference names.</p>
        ) : (
          <ul>
            {teaching.neverLookedAt.map((item) => (
              <li key={item.label}>
                <code>{item.label}</code>
                {item.inTicket && <span className="muted"> (the ticket names it)</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function Diagnosis(props: {
  labels: FailureLabel[] | undefined;
  damageStep: number | null | undefined;
  onStep?: (step: number) => void;
}) {
  const { labels, damageStep, onStep } = props;
  if (labels === undefined && damageStep === undefined) return null;
  return (
    <section className="teach-diagnosis" aria-label="Why it failed" data-testid="teach-diagnosis">
      {damageStep !== undefined && (
        <p data-testid="teach-damage-step">
          {damageStep === null ? (
            "Nothing the agent did stopped the reference from fixing the machine."
          ) : (
            <>
              It went wrong at <StepLink step={damageStep} {...(onStep && { onStep })} />: after it,
              the reference no longer fixes the machine.
            </>
          )}
        </p>
      )}
      {labels !== undefined && labels.length > 0 && (
        <ul data-testid="teach-labels">
          {labels.map((label, i) => (
            <li key={i}>
              <strong>{label.label}</strong>: {label.explanation}{" "}
              {label.steps.map((step) => (
                <StepLink key={step} step={step} {...(onStep && { onStep })} />
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The comparison itself, for a computed teaching. */
export function TeachView(props: {
  teaching: Teaching;
  labels?: FailureLabel[];
  damageStep?: number | null;
  onStep?: (step: number) => void;
}) {
  const { teaching, labels, damageStep, onStep } = props;
  const marked = new Set(labels?.flatMap((l) => l.steps) ?? []);
  const stepProps = onStep ? { onStep } : {};
  return (
    <div className="teach-view" data-testid="teach-view">
      <p className="teach-teaches" data-testid="teach-teaches">
        <strong>What this task teaches:</strong> {teaching.teaches}
      </p>
      <Diagnosis labels={labels} damageStep={damageStep} {...stepProps} />
      <div className="teach-columns">
        <AgentColumn teaching={teaching} marked={marked} damageStep={damageStep} {...stepProps} />
        <ReferenceColumn teaching={teaching} />
      </div>
      <Differences teaching={teaching} {...stepProps} />
      <Checks teaching={teaching} />
    </div>
  );
}

export function TeachPanel(props: TeachPanelProps) {
  const { record, task, labels, damageStep, onStep } = props;
  const [open, setOpen] = useState(props.open ?? false);
  const result = open ? selectTeaching(record, task) : undefined;
  return (
    <section className="teach" aria-label="Compare with the reference" data-testid="teach-panel">
      <button
        type="button"
        aria-expanded={open}
        data-testid="teach-toggle"
        onClick={() => setOpen((o) => !o)}
      >
        {open ? "Hide the comparison" : "Compare with the reference"}
      </button>
      {result && !result.ok && (
        <p className="muted" data-testid="teach-unavailable">
          {result.reason}
        </p>
      )}
      {result?.ok && (
        <TeachView
          teaching={result.teaching}
          {...(labels !== undefined && { labels })}
          {...(damageStep !== undefined && { damageStep })}
          {...(onStep && { onStep })}
        />
      )}
    </section>
  );
}
