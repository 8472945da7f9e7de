// The table of saved runs: a row per run with its verdict and figures, ticks for choosing, a click for its timeline.
import type { RunRecord } from "../../domain/run";
import type { VerificationSummary } from "../../domain/verification";
import { branchOrder, type BranchRow } from "../../state/fork-tree";
import { runStatus } from "../../state/history-filter";
import { ErrorBoundary } from "../ErrorBoundary";
import { describeReasoning, dollars, seconds, tokensWithReasoning } from "../run/describe";
import { verificationHeadline } from "../replay/VerifyPanel";
import { formatRoute } from "../routes";
import { STATUS_LABELS } from "./status";
import { describePolicy } from "../../domain/policy/choice";
import { describeApprovalSetting } from "../../domain/approval";
import type { CommandPolicy } from "../../domain/policy/judge";

/** A policy's rules in full, for the badge's tooltip. */
const policyTitle = (policy: CommandPolicy) =>
  [
    `command policy: ${policy.preset}`,
    ...(policy.allow ?? []).map((r) => `allow ${r}`),
    ...(policy.deny ?? []).map((r) => `deny ${r}`),
  ].join("\n");

/** The mark of a run verified in this browser: reproduced, or not (then plainly flagged). */
/** How far a fork's row is indented per level under its parent, in em. */
const FORK_INDENT_EM = 1.5;

function VerifiedMark({ verification }: { verification: VerificationSummary | undefined }) {
  if (!verification) return null;
  const title = `${verificationHeadline(verification)} (verified ${new Date(verification.verifiedAt).toLocaleString()})`;
  return verification.reproduced ? (
    <span className="ok" title={title} data-testid="verified-mark" data-reproduced="true">
      {" "}
      ✓ reproduced
    </span>
  ) : (
    <span className="fail" title={title} data-testid="verified-mark" data-reproduced="false">
      {" "}
      ⚠ does not reproduce
    </span>
  );
}

/** Under a fork's task: "forked at step N of <parent>", linking to the parent's replay at that step. */
function ForkedFrom({ row }: { row: BranchRow }) {
  const origin = row.run.forkedFrom;
  if (!origin) return null;
  return (
    <div className="muted" data-testid="history-forked-from">
      ↳ forked at{" "}
      <a href={formatRoute({ page: "run", runId: origin.runId, step: origin.step })}>
        step {origin.step} of{" "}
        {row.parent ? `the ${row.parent.agent.model} run above` : "another run"}
      </a>
    </div>
  );
}

function Row({
  row,
  verification,
  elsewhere,
  cutOff,
  selected,
  open,
  onToggle,
  onOpen,
}: {
  row: BranchRow;
  verification: VerificationSummary | undefined;
  elsewhere: ReadonlySet<string>;
  cutOff: ReadonlySet<string>;
  selected: boolean;
  open: boolean;
  onToggle: () => void;
  onOpen: () => void;
}) {
  const { run, depth } = row;
  const status = STATUS_LABELS[runStatus(run, elsewhere, cutOff)];
  const o = run.outcome;
  return (
    <tr
      data-run-id={run.id}
      data-fork-depth={depth}
      className={depth > 0 ? "fork-row" : undefined}
      aria-selected={open}
    >
      <td>
        <input
          type="checkbox"
          aria-label={`Choose the run of ${run.task.title} at ${run.createdAt}`}
          checked={selected}
          onChange={onToggle}
        />
      </td>
      <td className={status.className} title={status.title}>
        {status.label}
        <VerifiedMark verification={verification} />
      </td>
      <td
        className={depth > 0 ? "fork-cell" : undefined}
        style={depth > 0 ? { paddingLeft: `${depth * FORK_INDENT_EM}em` } : undefined}
      >
        <button type="button" className="link" onClick={onOpen} aria-pressed={open}>
          {run.task.title}
        </button>
        <span className="muted">
          {" "}
          {run.task.domain} · {run.task.difficulty}
        </span>
        <ForkedFrom row={row} />
      </td>
      <td>
        {run.agent.model}
        {run.agent.reasoning && (
          <span className="muted" data-testid="history-effort">
            {" "}
            · {describeReasoning(run.agent)}
          </span>
        )}
        {run.limits.policy && (
          <span
            className="muted policy-badge"
            data-testid="run-policy"
            title={policyTitle(run.limits.policy)}
          >
            {" "}
            · policy {describePolicy(run.limits.policy)}
          </span>
        )}
        {run.limits.approval && (
          <span className="muted" data-testid="run-approval">
            {" "}
            · approval: {describeApprovalSetting(run.limits.approval)}
          </span>
        )}
      </td>
      <td className="num">{o.steps}</td>
      <td className="num">{tokensWithReasoning(o.totalTokens, o.reasoningTokens)}</td>
      <td className="num">{dollars(o.costUsd)}</td>
      <td className="num">{seconds(o.durationMs)}</td>
      <td>{new Date(run.createdAt).toLocaleString()}</td>
    </tr>
  );
}

export function HistoryTable({
  runs,
  elsewhere,
  cutOff,
  selected,
  openId,
  onToggle,
  onSelect,
  onOpen,
  onDelete,
  verifications = {},
}: {
  runs: RunRecord[];
  elsewhere: ReadonlySet<string>;
  cutOff: ReadonlySet<string>;
  selected: ReadonlySet<string>;
  openId: string | undefined;
  onToggle: (id: string) => void;
  onSelect: (ids: string[]) => void;
  onOpen: (id: string | undefined) => void;
  onDelete: (id: string) => void;
  /** The last verification of each run in this browser, by run id. */
  verifications?: Readonly<Record<string, VerificationSummary>>;
}) {
  const allChosen = runs.length > 0 && runs.every((r) => selected.has(r.id));
  return (
    <table className="history-table" data-testid="history-table">
      <thead>
        <tr>
          <th>
            <input
              type="checkbox"
              aria-label="Choose every run shown"
              checked={allChosen}
              onChange={() => onSelect(allChosen ? [] : runs.map((r) => r.id))}
            />
          </th>
          <th>verdict</th>
          <th>task</th>
          <th>model</th>
          <th>steps</th>
          <th>tokens</th>
          <th>cost</th>
          <th>time</th>
          <th>started</th>
        </tr>
      </thead>
      <tbody>
        {branchOrder(runs).map((row) => (
          <ErrorBoundary
            key={row.run.id}
            part="This saved run"
            compact
            actions={[{ label: "Delete this saved run", run: () => onDelete(row.run.id) }]}
          >
            <Row
              row={row}
              verification={verifications[row.run.id]}
              elsewhere={elsewhere}
              cutOff={cutOff}
              selected={selected.has(row.run.id)}
              open={row.run.id === openId}
              onToggle={() => onToggle(row.run.id)}
              onOpen={() => onOpen(row.run.id === openId ? undefined : row.run.id)}
            />
          </ErrorBoundary>
        ))}
      </tbody>
    </table>
  );
}
