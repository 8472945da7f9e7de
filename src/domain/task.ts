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
 * The fewest wrong fixes (tests/wrong/) a task of each difficulty must carry: verify fails a task with
 * fewer. A harder task has more ways to look fixed.
 */
export const MIN_WRONG_FIXES: Record<TaskDifficulty, number> = { easy: 2, medium: 3, hard: 3 };

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

/**
 * The checks of a task's grader that run on the host after check.sh, on state the agent cannot reach:
 * a cloud task's tests/cloud-checks.ts, given the control plane's state. NOTE: the domain only carries
 * them; the module is typed against src/cloud/queries (CloudChecks), which fits this shape, and `kind`
 * tells the runner what to hand it.
 */
export interface HostChecks {
  readonly kind: "cloud";
  run(world: unknown): CheckLine[];
}

/** A task folder's content, as read from disk or bundled into the page. */
export interface TaskBundle {
  meta: TaskMeta;
  instruction: string;
  setupScript: string;
  solutionScript: string;
  checkScript: string;
  /** The wrong fixes the grader must reject (verify runs each on the machine as setup left it). */
  wrongFixes: WrongFix[];
  /** Fixtures: path inside the VM -> content. */
  files: Record<string, Uint8Array>;
  /** Cloud tasks only: the text of cloud.json, the control plane's initial state (validated at load). */
  cloudJson?: string;
  /** Cloud tasks: the grader's checks of the control plane (tests/cloud-checks.ts), run host-side. */
  hostChecks?: HostChecks;
  /** The text of tests/cloud-checks.ts, for showing what each host-side check looks at (the teaching view). */
  hostChecksSource?: string;
  /**
   * SHA-256 of the task folder's files (src/tasks/folder-hash.ts): a shared run names its task by id
   * and this, so a viewer with another version of the task is told. NOTE: both loaders set it; only
   * bundles built by hand (tests) lack it.
   */
  folderHash?: string;
}

export interface CheckLine {
  passed: boolean;
  text: string;
}

/** Something the agent did to what grading relies on, found from outside its reach. */
export interface TamperFinding {
  /** What it touched: a file grading relies on, a mount over one, or the host's command channel. */
  kind: "file" | "mount" | "channel";
  /** The path, or the channel event. */
  where: string;
  /** What was found, in a sentence for the person reading the verdict. */
  detail: string;
}

/** The checks that the machine graded is the machine the grader believes it is. */
export interface IntegrityReport {
  /** True when nothing grading relies on was tampered with, before and after the grader ran. */
  ok: boolean;
  findings: TamperFinding[];
  /** What was stopped before grading: processes the agent's commands left running, and more. */
  stopped: string[];
  /** Time the checks and the stopping took, in all. */
  durationMs: number;
}

export interface Grade {
  /** The grader passed and nothing was tampered with (the verdict is verdictOf(grade)). */
  passed: boolean;
  checks: CheckLine[];
  /** The grader's exit code (0 is a pass) and anything it printed that is not a check line. */
  exitCode: number;
  notes: string[];
  durationMs: number;
  /** The grader was cut off at its time limit (checks it had not reached are missing); absent when it finished. */
  timedOut?: true;
  /** The integrity checks around the grader (absent in runs graded before they existed). */
  integrity?: IntegrityReport;
}

/** What a grade means: solved, not solved, or not to be believed. */
export type Verdict = "pass" | "fail" | "tampered";

/** NOTE: "tampered" wins over whatever the grader printed: its tools may have been the agent's. */
export function verdictOf(grade: Grade): Verdict {
  if (grade.integrity && !grade.integrity.ok) return "tampered";
  return grade.passed ? "pass" : "fail";
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

/** The grade with more check lines (the host-side ones) after its own, its verdict decided again. */
export function withChecks(grade: Grade, more: CheckLine[]): Grade {
  const checks = [...grade.checks, ...more];
  const passed = grade.exitCode === 0 && checks.length > 0 && checks.every((c) => c.passed);
  return { ...grade, checks, passed };
}
