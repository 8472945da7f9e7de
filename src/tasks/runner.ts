// Runs a task in a VM: fixtures and setup, the reference solution, and the grader (copied in last).
import { AGENT_SESSION } from "../agent/tools";
import {
  parseCheckOutput,
  withChecks,
  type Grade,
  type TaskBundle,
  type WrongFix,
} from "../domain/task";
import type { Vm } from "../vm/vm";
import { changingCalls } from "../cloud/core/audit";
import { cloudCheckLines, startTaskCloud } from "./cloud";
import { TaskRunError } from "./errors";
import {
  findTampering,
  graderExec,
  mergeFindings,
  stopAgentProcesses,
  type IntegrityBaseline,
} from "./grading/integrity";
import {
  readGraderTimeline,
  type GradeProgress,
  type ReadyProgress,
  type TimedGraderNote,
} from "../domain/grade-progress";
import { watchGraderNotes } from "./grading/progress";
import { networkBootScript, networkSetupScript } from "./network-script";
import { TaskStoppedError, stopIfAborted, untilStopped } from "./setup-stop";
import GRADER_LIB from "./grader/lib.sh?raw";

/** Where scripts are put for their one run; removed right after, so the agent never finds them. */
const SCRIPT_DIR = "/run/opslab-task";
/** The grader's folder: it only exists while the grader runs, after the agent has finished. */
export const GRADER_DIR = "/run/opslab-grader";
const SETUP_TIMEOUT_MS = 120_000;

/**
 * The moment every task's world starts at: the tickets, logs and fixtures are written as of this day
 * (their "yesterday", "last night", an expired certificate), so setup sets the guest's clock to it.
 * NOTE: without it the guest's date is the day its snapshot was made, and a task whose solution acts on
 * "yesterday" (orders-export-vanishes) failed on a snapshot made a day later.
 */
export const TASK_CLOCK_START = "2026-12-03T09:00:00Z";
/** Sets the guest's clock to TASK_CLOCK_START (the system clock only: a guest reboot is simulated). */
export const SET_TASK_CLOCK_COMMAND = `date -u -s @${Date.parse(TASK_CLOCK_START) / 1000} >/dev/null`;
const OUTPUT_TAIL_CHARS = 600;

/** Shell sessions apart from the agent's, so that setup and grading leave its shell as it was. */
export const SETUP_SESSION = "task-setup";

function tail(text: string): string {
  return text.length > OUTPUT_TAIL_CHARS ? `…${text.slice(-OUTPUT_TAIL_CHARS)}` : text;
}

/**
 * Runs one script as root. Setup's run in a session of their own; a solution or a wrong fix runs in the
 * agent's, as an agent would run it (so what it leaves running is stopped before grading, too).
 */
async function runScript(
  vm: Vm,
  step: "network" | "setup" | "solution" | "wrong-fix",
  name: string,
  script: string,
  timeoutMs: number,
  signal?: AbortSignal,
) {
  const path = `${SCRIPT_DIR}/${name}`;
  stopIfAborted(signal);
  await untilStopped(vm.writeFile(path, script, { mode: 0o700 }), signal);
  const started = Date.now();
  const result = await untilStopped(
    vm.exec(`bash ${path}; rc=$?; rm -rf ${SCRIPT_DIR}; exit $rc`, {
      session: step === "solution" || step === "wrong-fix" ? AGENT_SESSION : SETUP_SESSION,
      timeoutMs,
      cwd: "/root",
      ...(signal && { signal }),
    }),
    signal,
  );
  if (result.exitCode !== 0) {
    const why = result.timedOut
      ? `did not finish within ${timeoutMs / 1000} s`
      : `exited with ${result.exitCode}`;
    throw new TaskRunError(step, `${name} ${why}:\n${tail(result.stdout + result.stderr)}`);
  }
  return Date.now() - started;
}

export interface SetUpOptions {
  /**
   * Stops the setup: the command in flight is cancelled and no further step starts; it then
   * rejects with TaskStoppedError at once (the caller resets the VM: what was cut may linger).
   */
  signal?: AbortSignal;
  /** Told each step as it starts (fixtures, network, setup.sh), for the person waiting. */
  onProgress?: (progress: ReadyProgress) => void;
  /** A cloud task's control plane clock (StartCloudOptions.nowMs): real time unless verification says. */
  cloudClock?: () => number;
}

/**
 * Starts the task's cloud (cloud tasks), copies the fixtures, builds the task's network (before
 * setup.sh, which may then break it) and runs setup.sh; returns how long it took.
 */
export async function setUpTask(
  vm: Vm,
  task: TaskBundle,
  { signal, onProgress, cloudClock }: SetUpOptions = {},
): Promise<number> {
  const started = Date.now();
  stopIfAborted(signal);
  const cloud = await startTaskCloud(vm, task, { nowMs: cloudClock });
  onProgress?.({ stage: "fixtures" });
  const clock = await untilStopped(
    vm.exec(SET_TASK_CLOCK_COMMAND, {
      session: SETUP_SESSION,
      timeoutMs: 10_000,
      ...(signal && { signal }),
    }),
    signal,
  );
  if (clock.exitCode !== 0) {
    throw new TaskRunError(
      "setup",
      `setting the guest's clock failed: ${tail(clock.stdout + clock.stderr)}`,
    );
  }
  try {
    for (const [path, data] of Object.entries(task.files)) {
      stopIfAborted(signal);
      await untilStopped(vm.writeFile(path, data), signal);
    }
  } catch (error) {
    if (error instanceof TaskStoppedError) throw error;
    throw new TaskRunError("fixtures", `copying the fixtures failed: ${(error as Error).message}`);
  }
  if (task.meta.network) {
    onProgress?.({ stage: "network" });
    const script = networkSetupScript(task.meta.network);
    await runScript(vm, "network", "network.sh", script, SETUP_TIMEOUT_MS, signal);
  }
  onProgress?.({ stage: "setup" });
  await runScript(vm, "setup", "setup.sh", task.setupScript, SETUP_TIMEOUT_MS, signal);
  // NOTE: a task restored from its saved machine state gets its control plane from cloud.json alone, so
  // a change setup.sh made to the cloud would be missing there: the task would differ from run to run.
  const changed = cloud ? changingCalls(cloud.plane.state.audit) : [];
  if (changed.length > 0) {
    throw new TaskRunError(
      "setup",
      `setup.sh changed the cloud (${changed.map((e) => `${e.action} ${e.resource}`).join(", ")}): a task's cloud must start as cloud.json describes it, so put that state in cloud.json; setup.sh may only read it`,
    );
  }
  return Date.now() - started;
}

/** Plays the task's reference solution (the oracle); `signal` stops it as it stops a setup. */
export function runSolution(vm: Vm, task: TaskBundle, signal?: AbortSignal): Promise<number> {
  return runScript(
    vm,
    "solution",
    "solve.sh",
    task.solutionScript,
    task.meta.limits.agentSeconds * 1000,
    signal,
  );
}

/** Plays one of the task's wrong fixes, as an agent that tries it would (verify then grades it). */
export function runWrongFix(vm: Vm, task: TaskBundle, fix: WrongFix): Promise<number> {
  return runScript(
    vm,
    "wrong-fix",
    `wrong-${fix.name}.sh`,
    fix.script,
    task.meta.limits.agentSeconds * 1000,
  );
}

export interface GradeOptions {
  /** The machine as it was when the task was ready (takeIntegrityBaseline): setup's doings are not tampering. */
  baseline?: IntegrityBaseline;
  /** Told what grading does, stage by stage, and which check the grader runs (for the person waiting). */
  onProgress?: (progress: GradeProgress) => void;
  /** Told, once the grader ended, how long each of its checks and steps took (profiling only). */
  onTimeline?: (timeline: TimedGraderNote[]) => void;
  /**
   * The grader ends at its first failed check (lib.sh's GRADER_STOP_AT_FAILURE), and no integrity
   * checks run: for verification, where only the task's own checks failing matters (after setup,
   * after a wrong fix: a wrong fix that only the integrity checks caught would hide a weak grader).
   * Never for a run's grade, which shows every check and is never a pass when tampered with.
   */
  stopAtFailure?: boolean;
}

/** Copies the grader and its helpers in and runs them as GRADER_ENV says; removes them again. */
async function runGrader(
  vm: Vm,
  task: TaskBundle,
  { onProgress, onTimeline, stopAtFailure }: Omit<GradeOptions, "baseline">,
): Promise<Grade> {
  const timeoutMs = task.meta.limits.checkSeconds * 1000;
  // NOTE: a folder the agent made there (a planted .pyc under pycache/, a `progress` symlink to a
  // tool) goes first: the grader starts from an empty folder of its own.
  await graderExec(vm, `rm -rf ${GRADER_DIR} && mkdir -m 700 ${GRADER_DIR}`);
  await vm.writeFile(`${GRADER_DIR}/lib.sh`, GRADER_LIB, { mode: 0o600 });
  await vm.writeFile(`${GRADER_DIR}/check.sh`, task.checkScript, { mode: 0o700 });
  // NOTE: lib.sh's reboot_host runs this copy of the hosts' boot code, never the agent's reboot-host.
  if (task.meta.network)
    await vm.writeFile(`${GRADER_DIR}/network.sh`, networkBootScript(task.meta.network), {
      mode: 0o600,
    });
  const started = Date.now();
  onProgress?.({ stage: "checks", limitMs: timeoutMs });
  const stopWatching = onProgress
    ? watchGraderNotes(vm, `${GRADER_DIR}/progress`, (notes) =>
        onProgress({ stage: "checks", limitMs: timeoutMs, ...notes }),
      )
    : undefined;
  // NOTE: profiling keeps the notes for one more read, with the end's time beside them.
  const cleanUp = onTimeline
    ? `printf 'end\\t\\t%s\\n' "$EPOCHREALTIME" >>${GRADER_DIR}/progress`
    : `rm -rf ${GRADER_DIR}`;
  const result = await graderExec(
    vm,
    `cd ${GRADER_DIR} && ${stopAtFailure ? "GRADER_STOP_AT_FAILURE=1 " : ""}/bin/bash --noprofile --norc ${GRADER_DIR}/check.sh; rc=$?; cd /; ${cleanUp}; exit $rc`,
    { timeoutMs },
  ).finally(() => stopWatching?.());
  if (onTimeline) {
    const notes = await vm.readFile(`${GRADER_DIR}/progress`).catch(() => new Uint8Array());
    await graderExec(vm, `rm -rf ${GRADER_DIR}`);
    onTimeline(readGraderTimeline(new TextDecoder().decode(notes)));
  }
  const hostLines = cloudCheckLines(vm, task);
  const grade = parseCheckOutput(result.stdout, result.exitCode, Date.now() - started);
  if (result.timedOut) {
    grade.timedOut = true;
    grade.notes.push(`the grader did not finish within ${timeoutMs / 1000} s`);
  }
  if (result.stderr.trim()) grade.notes.push(...result.stderr.trim().split("\n"));
  return withChecks(grade, hostLines);
}

/**
 * Grades the machine where the agent cannot touch it: stops everything the agent started, checks
 * from outside its reach that what grading relies on is the image's, runs the grader in a clean
 * environment (and a cloud task's checks of its control plane on the host), and checks again. A grade whose
 * checks found tampering is never a pass (see verdictOf).
 */
export async function gradeTask(
  vm: Vm,
  task: TaskBundle,
  options: GradeOptions = {},
): Promise<Grade> {
  const { onProgress } = options;
  const started = Date.now();
  onProgress?.({ stage: "stopping" });
  const stopped = await stopAgentProcesses(vm, options.baseline);
  if (options.stopAtFailure) return runGrader(vm, task, options);
  onProgress?.({ stage: "integrity" });
  const before = await findTampering(vm, options.baseline);
  const checkedMs = Date.now() - started;
  const grade = await runGrader(vm, task, options);
  const afterStarted = Date.now();
  onProgress?.({ stage: "rechecking" });
  const after = await findTampering(vm, options.baseline);
  const findings = mergeFindings(before, after);
  grade.integrity = {
    ok: findings.length === 0,
    findings,
    stopped,
    durationMs: checkedMs + (Date.now() - afterStarted),
  };
  grade.passed &&= grade.integrity.ok;
  return grade;
}
