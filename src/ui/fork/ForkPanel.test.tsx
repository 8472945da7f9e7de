// Unit tests of the Lab's fork panel as rendered: nothing without a fork, the progress with Stop, the ready machine with its parent link, the shell's note and the take-over, a refusal.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { createStore } from "zustand/vanilla";
import { makeTask } from "../../domain/task-builders";
import { createForkStore, type ForkPoint, type ForkState } from "../../state/fork-store";
import { createRunStore, type RunServices } from "../../state/run-store";
import { ForkPanel } from "./ForkPanel";

const task = makeTask();
const parent = {
  runId: "parent run",
  taskId: task.meta.id,
  title: task.meta.title,
  step: 3,
  lastStep: 4,
};
const point: ForkPoint = {
  origin: { runId: "parent run", step: 3 },
  taskId: task.meta.id,
  baseline: { files: [], mounts: [], transientUnits: [] },
  history: "",
  differences: [],
  readyMs: 1000,
  replayMs: 2000,
  durationMs: 3000,
};

function render(state: Partial<ForkState>): string {
  const base = createForkStore({
    vm: () => undefined,
    vmBusy: () => undefined,
    forkRun: async function* () {},
  }).getState();
  // NOTE: a server render reads a store's initial state, so the state is made the initial one.
  const fork = createStore<ForkState>()(() => ({ ...base, ...state }));
  const run = createRunStore({} as RunServices);
  return renderToStaticMarkup(
    <ForkPanel fork={fork} run={run} tasks={[task]} modelLabel="Your model" />,
  );
}

describe("fork panel", () => {
  it("renders nothing without a fork", () => {
    expect(render({})).toBe("");
  });

  it("shows the replay's progress with Stop", () => {
    const html = render({
      phase: "forking",
      parent,
      progress: { stage: "replaying", index: 2, total: 3, command: "touch /root/step2\nmore" },
    });
    expect(html).toContain("Replaying step 2 of 3: touch /root/step2");
    expect(html).not.toContain("more");
    expect(html).toContain(">Stop</button>");
  });

  it("shows the ready machine: the parent's replay at the step, the shell not recorded, the take-over", () => {
    const html = render({ phase: "ready", parent, point });
    expect(html).toContain('href="#/runs/parent%20run?step=3"');
    expect(html).toContain("not recorded");
    expect(html).toContain('data-testid="fork-take-over"');
    expect(html).not.toContain('data-testid="fork-differences"');
    const differing = render({
      phase: "ready",
      parent,
      point: {
        ...point,
        differences: [
          { step: 2, command: "x", same: false, difference: "outcome", differences: [] },
        ],
      },
    });
    expect(differing).toContain("(steps 2)");
  });

  it("says why a fork did not happen", () => {
    expect(render({ phase: "done", parent, error: "A run is using Linux." })).toContain(
      "A run is using Linux.",
    );
  });
});
