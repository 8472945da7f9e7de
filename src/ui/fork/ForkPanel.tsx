// The Lab's fork panel: the progress of putting Linux right after a step of a run, then carrying on in the shell or letting an agent take over.
import { useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { TaskBundle } from "../../domain/task";
import type { ForkParent, ForkProgress, ForkState } from "../../state/fork-store";
import { runIsBusy, type AgentChoice, type RunState } from "../../state/run-store";
import { seconds } from "../run/describe";
import { formatRoute } from "../routes";
import "./fork.css";

function progressLine(progress: ForkProgress | undefined, stopping: boolean): string {
  if (stopping) return "Stopping: the step in flight ends, then Linux is reset…";
  if (!progress || progress.stage === "readying") return "Readying the task in a fresh Linux…";
  const first = progress.command.split("\n")[0] ?? "";
  return `Replaying step ${progress.index} of ${progress.total}: ${first}`;
}

/** "step 3 of “Reports return 403”", linking to the parent's replay at that step. */
function ParentLink({ parent }: { parent: ForkParent }) {
  const href = formatRoute({ page: "run", runId: parent.runId, step: parent.step });
  return (
    <a href={href} data-testid="fork-parent-link">
      step {parent.step} of the run of “{parent.title}”
    </a>
  );
}

function TakeOver({
  task,
  run,
  start,
  modelLabel,
}: {
  task: TaskBundle | undefined;
  run: StoreApi<RunState>;
  start: (agent: AgentChoice) => void;
  modelLabel: string;
}) {
  const runPhase = useStore(run, (s) => s.phase);
  const [agent, setAgent] = useState<AgentChoice>("oracle");
  const busy = runIsBusy(runPhase);
  return (
    <div className="run-controls">
      <label>
        Agent{" "}
        <select
          aria-label="Agent to take over"
          value={agent}
          onChange={(e) => setAgent(e.target.value as AgentChoice)}
          disabled={busy}
        >
          <option value="oracle">Oracle (plays the reference solution, no key)</option>
          <option value="model">{modelLabel}</option>
        </select>
      </label>
      <button
        type="button"
        className="primary"
        data-testid="fork-take-over"
        disabled={busy || !task}
        title={task ? undefined : "This OpsLab does not have the run's task"}
        onClick={() => start(agent)}
      >
        Let the agent take over
      </button>
    </div>
  );
}

export function ForkPanel({
  fork,
  run,
  tasks,
  modelLabel,
}: {
  fork: StoreApi<ForkState>;
  run: StoreApi<RunState>;
  tasks: TaskBundle[];
  modelLabel: string;
}) {
  const phase = useStore(fork, (s) => s.phase);
  const parent = useStore(fork, (s) => s.parent);
  const progress = useStore(fork, (s) => s.progress);
  const point = useStore(fork, (s) => s.point);
  const error = useStore(fork, (s) => s.error);
  if (phase === "idle" || !parent) return null;
  const task = tasks.find((t) => t.meta.id === parent.taskId);
  const close = (
    <button type="button" onClick={() => fork.getState().dismiss()}>
      Close
    </button>
  );
  return (
    <section className="fork-panel" aria-label="Fork" data-testid="fork-panel" data-phase={phase}>
      {(phase === "forking" || phase === "stopping") && (
        <>
          <p>
            Forking from <ParentLink parent={parent} />.
          </p>
          <p role="status" data-testid="fork-progress">
            {progressLine(progress, phase === "stopping")}
          </p>
          {progress?.stage === "replaying" && (
            <progress max={progress.total} value={progress.index - 1} />
          )}
          <button
            type="button"
            className="danger"
            disabled={phase === "stopping"}
            onClick={() => fork.getState().stop()}
          >
            Stop
          </button>
        </>
      )}
      {phase === "ready" && point && (
        <>
          <p role="status" data-testid="fork-ready">
            Linux is now right after <ParentLink parent={parent} /> (readied and replayed in{" "}
            {seconds(point.durationMs)}).
          </p>
          {point.differences.length > 0 && (
            <p className="warning" data-testid="fork-differences">
              {point.differences.length} replayed step(s) ended otherwise than recorded (steps{" "}
              {point.differences.map((d) => d.step).join(", ")}): this machine may differ from the
              recorded one there.
            </p>
          )}
          <p className="muted">
            Carry on in <strong>Your shell</strong>: what you type there is not recorded (a shell
            session is not a run). Or let an agent take over from here: it is told the ticket and
            the earlier steps with their outputs, and its run is recorded as a fork of this one.
          </p>
          <TakeOver
            task={task}
            run={run}
            modelLabel={modelLabel}
            start={(agent) => {
              if (task) void run.getState().start(task, agent, undefined, point);
            }}
          />
          {close}
        </>
      )}
      {phase === "taken" && (
        <p role="status" data-testid="fork-taken">
          An agent took over from <ParentLink parent={parent} />: its run is recorded as a fork of
          it. {close}
        </p>
      )}
      {phase === "done" && (
        <p className="error" role="alert" data-testid="fork-error">
          {error ?? "The fork ended."} {close}
        </p>
      )}
    </section>
  );
}
