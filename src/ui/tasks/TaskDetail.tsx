// The chosen task: its ticket, what it teaches, and the controls to run an agent on it.
import { useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { TaskBundle } from "../../domain/task";
import { runIsBusy, type AgentChoice, type RunState } from "../../state/run-store";
import type { SettingsState } from "../../state/settings-store";
import { ApprovalPicker } from "./ApprovalPicker";
import { PolicyPicker } from "./PolicyPicker";
import { Ticket } from "./Ticket";

export function TaskDetail({
  task,
  runStore,
  vmReady,
  modelLabel,
  settings,
}: {
  task: TaskBundle;
  runStore: StoreApi<RunState>;
  vmReady: boolean;
  modelLabel: string;
  /** Where the run's command policy is chosen and remembered. */
  settings: StoreApi<SettingsState>;
}) {
  const phase = useStore(runStore, (s) => s.phase);
  const [agent, setAgent] = useState<AgentChoice>("model");
  const busy = runIsBusy(phase);
  const { meta } = task;

  return (
    <section className="task-detail" aria-labelledby="task-title">
      <header>
        <h2 id="task-title">{meta.title}</h2>
        <span className={`badge badge-${meta.domain}`}>{meta.domain}</span>
        <span className={`badge badge-${meta.difficulty}`}>{meta.difficulty}</span>
      </header>
      <Ticket text={task.instruction} />
      <p className="muted teaches">
        <strong>Teaches:</strong> {meta.teaches} · up to {meta.limits.agentSteps} steps,{" "}
        {Math.round(meta.limits.agentSeconds / 60)} min
      </p>
      <div className="run-controls">
        <label>
          Agent{" "}
          <select
            aria-label="Agent"
            value={agent}
            onChange={(e) => setAgent(e.target.value as AgentChoice)}
            disabled={busy}
          >
            <option value="model">{modelLabel}</option>
            <option value="oracle">Oracle (plays the reference solution, no key)</option>
          </select>
        </label>
        <PolicyPicker settings={settings} disabled={busy} />
        <ApprovalPicker settings={settings} disabled={busy} />
        {busy ? (
          <button
            type="button"
            className="danger"
            disabled={phase === "stopping"}
            onClick={() => runStore.getState().stop()}
          >
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={!vmReady}
            title={vmReady ? undefined : "Linux is still starting"}
            onClick={() => void runStore.getState().start(task, agent)}
          >
            Run agent
          </button>
        )}
      </div>
    </section>
  );
}
