// Test builders for task bundles: a small valid task, with any field overridden.
import type { TaskBundle } from "./task";

export function makeTask(overrides: Partial<TaskBundle> = {}): TaskBundle {
  return {
    meta: {
      id: "demo-task",
      title: "Demo",
      domain: "sysadmin",
      difficulty: "easy",
      tags: [],
      teaches: "x",
      limits: { agentSteps: 10, agentSeconds: 60, commandSeconds: 10, checkSeconds: 10 },
    },
    instruction: "Fix it.\n",
    setupScript: "touch /broken\n",
    solutionScript: "rm /broken\n",
    checkScript: "echo PASS: ok\n",
    wrongFixes: [],
    files: {},
    ...overrides,
  };
}
