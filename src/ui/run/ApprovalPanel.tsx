// The call that waits for the person under approval mode: what it is (as text), why it is asked, Approve, Edit then Run, Reject with a message, and the time-out counting down.
import { useEffect, useRef, useState } from "react";
import { inputText, type ApprovalAnswer } from "../../domain/approval";
import type { PendingApproval } from "../../state/run-store";

/** How often the countdown is redrawn, in milliseconds. */
const COUNTDOWN_TICK_MS = 1_000;

/** Seconds left before the call is rejected; undefined when it waits forever. */
function useSecondsLeft({ request, askedAt }: PendingApproval): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (request.timeoutSeconds <= 0) return;
    const timer = setInterval(() => setNow(Date.now()), COUNTDOWN_TICK_MS);
    return () => clearInterval(timer);
  }, [request.timeoutSeconds]);
  if (request.timeoutSeconds <= 0) return undefined;
  return Math.max(0, Math.ceil(request.timeoutSeconds - (now - askedAt) / 1000));
}

/**
 * NOTE: the agent wrote the command (it may hold anything): it is shown as text in a <pre> and
 * edited in a <textarea>, never as HTML.
 */
export function ApprovalPanel({
  pending,
  onAnswer,
}: {
  pending: PendingApproval;
  onAnswer: (answer: ApprovalAnswer) => void;
}) {
  const { request } = pending;
  const original = inputText(request.input);
  const [action, setAction] = useState<"ask" | "edit" | "reject">("ask");
  const [text, setText] = useState(original);
  const [message, setMessage] = useState("");
  const left = useSecondsLeft(pending);
  const approveButton = useRef<HTMLButtonElement>(null);
  useEffect(() => approveButton.current?.focus(), [request.callId]);
  const what = request.input.tool === "run_command" ? "command" : `write to ${request.input.path}`;
  return (
    <section
      className="approval-panel"
      role="alertdialog"
      aria-label="Approve the agent's call"
      data-testid="approval-panel"
    >
      <h3>
        The agent waits for you · step {request.step}
        {left !== undefined && (
          <span className="muted" data-testid="approval-countdown">
            {" "}
            · rejected in {left} s
          </span>
        )}
      </h3>
      <p className="muted" data-testid="approval-why">
        {request.asked.because === "every"
          ? "Approval mode asks about every command."
          : `The policy cannot judge this: ${request.asked.part} — ${request.asked.reason}.`}
      </p>
      <p>Its {what}:</p>
      <pre className="command" data-testid="approval-command">
        {original}
      </pre>
      {action === "edit" && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim() !== "") onAnswer({ decision: "edit", text });
          }}
        >
          <label>
            What to run instead
            <textarea
              aria-label="Edited call"
              data-testid="approval-edit"
              value={text}
              rows={Math.min(12, text.split("\n").length + 1)}
              autoFocus
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          <button type="submit" data-testid="approval-run" disabled={text.trim() === ""}>
            Run
          </button>{" "}
          <button type="button" onClick={() => setAction("ask")}>
            Cancel
          </button>
        </form>
      )}
      {action === "reject" && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onAnswer({ decision: "reject", message });
          }}
        >
          <label>
            Message to the agent (optional)
            <input
              type="text"
              aria-label="Message to the agent"
              data-testid="approval-message"
              value={message}
              autoFocus
              onChange={(e) => setMessage(e.target.value)}
            />
          </label>
          <button type="submit" className="danger" data-testid="approval-reject-send">
            Reject
          </button>{" "}
          <button type="button" onClick={() => setAction("ask")}>
            Cancel
          </button>
        </form>
      )}
      {action === "ask" && (
        <p className="approval-actions">
          <button
            type="button"
            ref={approveButton}
            data-testid="approval-approve"
            onClick={() => onAnswer({ decision: "approve" })}
          >
            Approve
          </button>{" "}
          <button type="button" data-testid="approval-edit-open" onClick={() => setAction("edit")}>
            Edit
          </button>{" "}
          <button
            type="button"
            className="danger"
            data-testid="approval-reject"
            onClick={() => setAction("reject")}
          >
            Reject
          </button>
        </p>
      )}
    </section>
  );
}
