// The grader's verdict on a run: pass, fail or tampered, each check, and what the integrity checks found.
import { verdictOf, type Grade } from "../../domain/task";

const LABELS = { pass: "PASS", fail: "FAIL", tampered: "TAMPERED" } as const;

export function Verdict({ grade }: { grade: Grade }) {
  const verdict = verdictOf(grade);
  const integrity = grade.integrity;
  return (
    <div
      className={`verdict ${verdict}`}
      data-testid="verdict"
      data-verdict={verdict}
      role="status"
    >
      <strong>{LABELS[verdict]}</strong>
      {verdict === "tampered" && integrity && (
        <div data-testid="tampering">
          <p>
            The agent changed what grading relies on, so the grader&apos;s checks below cannot be
            believed. Found from outside the agent&apos;s reach:
          </p>
          <ul>
            {integrity.findings.map((finding, i) => (
              <li key={i} className="fail">
                ⚠ {finding.detail}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ul>
        {grade.checks.map((check, i) => (
          <li key={i} className={check.passed ? "ok" : "fail"}>
            {check.passed ? "✓" : "✗"} {check.text}
          </li>
        ))}
      </ul>
      {integrity && integrity.stopped.length > 0 && (
        <p className="muted">Stopped before grading: {integrity.stopped.join("; ")}.</p>
      )}
      {grade.notes.length > 0 && <p className="muted">{grade.notes.join(" · ")}</p>}
    </div>
  );
}
