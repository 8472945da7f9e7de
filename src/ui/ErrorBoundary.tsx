// Error boundaries: a part of the page that fails shows a card saying what failed and what to do; the rest goes on.
import { Component, type ErrorInfo, type ReactNode } from "react";

/** A way out the card offers besides trying again and reloading (delete the record, go back). */
export interface CardAction {
  label: string;
  run: () => void;
}

export interface ErrorBoundaryProps {
  /** The part of the page, as the card names it: "The task list", "This saved run". */
  part: string;
  children: ReactNode;
  actions?: CardAction[];
  /** One line instead of a card, for an entry of a list. */
  compact?: boolean;
  /** The part is tried again when this changes (another task or record is shown). */
  resetKey?: unknown;
}

interface ErrorBoundaryState {
  error: Error | undefined;
  resetKey: unknown;
}

/** The message of anything thrown; NOTE: a render may throw any value, not only an Error. */
function messageOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message || thrown.name;
  try {
    return String(thrown);
  } catch {
    return "an unprintable value was thrown";
  }
}

/** A compact card shows this much of the message; the whole of it is in its tooltip. */
const COMPACT_MESSAGE_CHARS = 120;

export function ErrorCard({
  part,
  message,
  actions,
  onRetry,
  compact = false,
}: {
  part: string;
  message: string;
  /** Ways out besides trying again and reloading. */
  actions: CardAction[];
  onRetry?: () => void;
  compact?: boolean;
}) {
  const shown =
    compact && message.length > COMPACT_MESSAGE_CHARS
      ? `${message.slice(0, COMPACT_MESSAGE_CHARS)}…`
      : message;
  const ways = actions.map((a) => `"${a.label}"`).join(" or ");
  return (
    <div role="alert" className={`error-card${compact ? " compact" : ""}`} data-testid="error-card">
      <p>
        <strong>{part} could not be shown.</strong>{" "}
        <code className="error-detail" title={message}>
          {shown}
        </code>
      </p>
      {!compact && (
        <p className="muted">
          The rest of OpsLab still works.{" "}
          {onRetry ? "Try again; if it fails again, reload" : "Reload"} the page
          {ways ? ` or use ${ways}` : ""}; if it still fails, report it to OpsLab&apos;s maintainers
          with the message above.
        </p>
      )}
      <p className="error-actions">
        {actions.map((action) => (
          <button key={action.label} type="button" onClick={action.run}>
            {action.label}
          </button>
        ))}
        {onRetry && (
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        )}
        {!compact && (
          <button type="button" onClick={() => location.reload()}>
            Reload the page
          </button>
        )}
      </p>
    </div>
  );
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: undefined, resetKey: this.props.resetKey };

  static getDerivedStateFromError(thrown: unknown): Partial<ErrorBoundaryState> {
    return { error: thrown instanceof Error ? thrown : new Error(messageOf(thrown)) };
  }

  static getDerivedStateFromProps(
    props: ErrorBoundaryProps,
    state: ErrorBoundaryState,
  ): Partial<ErrorBoundaryState> | null {
    return Object.is(props.resetKey, state.resetKey)
      ? null
      : { error: undefined, resetKey: props.resetKey };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.warn(`OpsLab: ${this.props.part} failed:`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const compact = this.props.compact ?? false;
    return (
      <ErrorCard
        part={this.props.part}
        message={messageOf(error)}
        actions={this.props.actions ?? []}
        compact={compact}
        {...(!compact && { onRetry: () => this.setState({ error: undefined }) })}
      />
    );
  }
}
