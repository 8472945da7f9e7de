// Tasks and grades as plain data: what a task is, what its grader found.
import type { TaskNetwork } from "./network";

export const TASK_DOMAINS = ["sysadmin", "networking", "cloud"] as const;
export const TASK_DIFFICULTIES = ["easy", "medium", "hard"] as const;
export type TaskDomain = (typeof TASK_DOMAINS)[number];
export type TaskDifficulty = (typeof TASK_DIFFICULTIES)[number];

export interface TaskLimits {
  agentSteps: number;
  agentSeconds: number;
  commandSeconds: number;
  checkSeconds: number;
}

/**
 * What the reference solution takes, the measure a task's difficulty is set by (task.toml's
 * `[solution]`): roughly, easy is one fault in the obvious place and a handful of commands; medium a
 * diagnosis across two places or a constraint the obvious fix breaks; hard several faults, red
 * herrings or more than about 15 commands.
 */
export interface TaskSolutionSize {
  /** Commands of the reference solution, as an administrator would type them. */
  commands: number;
  /** Distinct things that are broken. */
  faults: number;
}

export interface TaskMeta {
  id: string;
  title: string;
  domain: TaskDomain;
  difficulty: TaskDifficulty;
  tags: string[];
  /** Which failure the task tends to provoke. */
  teaches: string;
  limits: TaskLimits;
  /** Networking tasks: the hosts of the in-VM network, built before setup.sh runs. */
  network?: TaskNetwork;
  /** What solving it takes (task.toml's `[solution]`), when the task states it. */
  solution?: TaskSolutionSize;
}

/**
 * A wrong or lazy fix an agent tends to try (`tests/wrong/<name>.sh`), run as root after setup; the
 * grader must reject it. A grader is only as good as the wrong fixes it has been shown.
 */
export interface WrongFix {
  /** The script's name without `.sh`. */
  name: string;
  /** What it does and why it is wrong: the script's first comment line. */
  description: string;
  script: string;
}

/** A task folder's content, as read from disk or bundled into the page. */
export interface TaskBundle {
  meta: TaskMeta;
  instruction: string;
  setupScript: string;
  solutionScript: string;
  checkScript: string;
  /** The wrong fixes the grader must reject (verify runs each from a fresh VM after setup). */
  wrongFixes: WrongFix[];
  /** Fixtures: path inside the VM -> content. */
  files: Record<string, Uint8Array>;
  /** Cloud tasks only: the text of cloud.json, the control plane's initial state (validated at load). */
  cloudJson?: string;
}

export interface CheckLine {
  passed: boolean;
  text: string;
}

export interface Grade {
  passed: boolean;
  checks: CheckLine[];
  /** The grader's exit code (0 is a pass) and anything it printed that is not a check line. */
  exitCode: number;
  notes: string[];
  durationMs: number;
}

/** Reads the grader's output: "PASS: what" and "FAIL: what" lines are checks, the rest notes. */
export function parseCheckOutput(output: string, exitCode: number, durationMs: number): Grade {
  const checks: CheckLine[] = [];
  const notes: string[] = [];
  for (const line of output.split("\n")) {
    const match = /^(PASS|FAIL):\s*(.*)$/.exec(line.trim());
    if (match) checks.push({ passed: match[1] === "PASS", text: match[2] ?? "" });
    else if (line.trim()) notes.push(line.trim());
  }
  // NOTE: a pass needs exit 0 and no failed check; a grader that printed no check did not decide.
  const passed = exitCode === 0 && checks.length > 0 && checks.every((c) => c.passed);
  return { passed, checks, exitCode, notes, durationMs };
}
