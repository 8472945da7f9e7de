// The teaching view's content: a run's commands beside the task's reference, what it did not need, what it never looked at, the grader's checks.
import type { RunRecord } from "../domain/run";
import type { CheckLine } from "../domain/task";
import {
  cloudChecksOf,
  cloudQueryGlosses,
  libHelpers,
  namePattern,
  shellChecks,
  type GraderCheckSource,
  type GraderHelper,
} from "./grader-checks";
import { readScript, type ScriptCommand } from "./script";
import { splitCommand } from "../domain/shell/reader";
import { targetLabel, targetsOf, type Target } from "./targets";

/** The task's texts the comparison reads. */
export interface TeachingTask {
  /** instruction.md: what the agent was told. */
  ticket: string;
  /** task.toml's `teaches`: the failure the task tends to provoke. */
  teaches: string;
  /** solution/solve.sh. */
  solutionScript: string;
  /** tests/check.sh. */
  checkScript: string;
  /** Cloud tasks: tests/cloud-checks.ts as text. */
  hostChecksSource?: string;
  /** The control plane's queries those checks call (src/cloud/queries/cloud-view.ts), for their glosses. */
  cloudQuerySource?: string;
  /** The graders' shared helpers (src/tasks/grader/lib.sh), for the names and glosses of what checks call. */
  graderLib: string;
}

/** One step of the agent, as the comparison shows it. */
export interface AgentStep {
  step: number;
  kind: "command" | "write" | "finish" | "invalid";
  /** The command line, the path written, the finish summary or the invalid call's problem. */
  text: string;
  /** The command's exit code (0 for a write that landed); null when it did not run or end. */
  exitCode: number | null;
  timedOut: boolean;
  /** True when the step changed something (a write, chmod, restart, firewall rule, cloud mutation...). */
  changes: boolean;
  /** A write's content, cut to WRITE_CONTENT_KEEP_CHARS. */
  content?: string;
}

/** How much of a file the agent wrote the comparison keeps, in characters. */
export const WRITE_CONTENT_KEEP_CHARS = 4000;

export interface ReferenceCommand extends ScriptCommand {
  /** True when the command changes something (rather than looking). */
  changes: boolean;
}

/** A step of the agent that changed things the reference never touches. */
export interface NotNeeded {
  step: number;
  text: string;
  /** What it changed that the reference never names, as labels ("/etc/hosts", "unit foo.service"). */
  targets: string[];
  /** The step's exit code: a command that failed may have changed nothing (null: it did not end). */
  exitCode: number | null;
}

/** Something the reference names that no command of the agent named. */
export interface NeverLookedAt {
  target: Target;
  label: string;
  /** True when the ticket itself names it. */
  inTicket: boolean;
}

/** One check of the grader, with what it looked at and how it came out in this run. */
export interface TeachingCheck {
  what: string;
  from: GraderCheckSource["from"];
  code: string;
  helpers: GraderHelper[];
  /** The lines the grader printed for it in this run (a check run twice, before and after a reboot, prints two). */
  results: CheckLine[];
}

export interface Teaching {
  teaches: string;
  ticket: string;
  agent: AgentStep[];
  reference: { overview: string; commands: ReferenceCommand[] };
  notNeeded: NotNeeded[];
  neverLookedAt: NeverLookedAt[];
  checks: TeachingCheck[];
  /** Lines the grader printed that no check of its source matches (none, unless the task changed). */
  unmatchedResults: CheckLine[];
  /** False when the run was never graded (its checks then have no results). */
  graded: boolean;
}

/** What one step of the agent names and changes, and the scripts it wrote and then ran. */
interface StepTargets {
  names: Target[];
  changes: Target[];
}

const PROGRAMS_RUNNING_A_FILE = new Set(["bash", "sh", "dash", "source", "."]);

/** The agent's steps in order, and each step's targets (a script it wrote and ran counts where it ran). */
function agentSteps(record: RunRecord): { steps: AgentStep[]; targets: Map<number, StepTargets> } {
  const results = new Map<string, Extract<RunRecord["events"][number], { type: "tool-result" }>>();
  for (const event of record.events)
    if (event.type === "tool-result") results.set(event.callId, event);
  const steps: AgentStep[] = [];
  const targets = new Map<number, StepTargets>();
  const written = new Map<string, { step: number; content: string }>();
  const scripts = new Set<string>();
  const add = (step: number, found: StepTargets) => {
    const entry = targets.get(step) ?? { names: [], changes: [] };
    entry.names.push(...found.names);
    entry.changes.push(...found.changes);
    targets.set(step, entry);
  };
  for (const event of record.events) {
    if (event.type !== "tool-call") continue;
    const outcome = results.get(event.callId)?.outcome;
    const { input, step } = event;
    if (input.tool === "run_command") {
      const found = targetsOf(input.command);
      add(step, found);
      for (const command of splitCommand(input.command)) {
        const file = command.args.find((a) => !a.startsWith("-"));
        const script = file !== undefined ? written.get(file) : undefined;
        if (!PROGRAMS_RUNNING_A_FILE.has(command.program) || !script || file === undefined)
          continue;
        scripts.add(file);
        for (const line of readScript(script.content).commands.flatMap((c) => c.lines))
          add(step, targetsOf(line));
      }
      steps.push({
        step,
        kind: "command",
        text: input.command,
        exitCode: outcome?.kind === "command" ? outcome.exitCode : null,
        timedOut: outcome?.kind === "command" && outcome.timedOut,
        changes: found.changes.length > 0,
      });
    } else if (input.tool === "write_file") {
      written.set(input.path, { step, content: input.content });
      const path: Target = { kind: "path", name: input.path };
      add(step, { names: [path], changes: [path] });
      const landed = outcome?.kind === "file-written";
      steps.push({
        step,
        kind: "write",
        text: input.path,
        exitCode: landed ? 0 : null,
        timedOut: false,
        changes: true,
        content: input.content.slice(0, WRITE_CONTENT_KEEP_CHARS),
      });
    } else {
      const text = input.tool === "finish" ? input.summary : `${input.name}: ${input.problem}`;
      steps.push({ step, kind: input.tool, text, exitCode: null, timedOut: false, changes: false });
    }
  }
  // NOTE: a script the agent wrote and ran is its commands, not a change of the machine; nor is removing it.
  for (const entry of targets.values())
    entry.changes = entry.changes.filter((t) => !(t.kind === "path" && scripts.has(t.name)));
  for (const step of steps)
    if (step.kind === "write" && scripts.has(step.text)) step.changes = false;
  return { steps, targets };
}

const parentOf = (path: string) => path.slice(0, path.lastIndexOf("/")) || "/";
const isUnder = (path: string, ancestor: string) =>
  ancestor !== "/" && path.startsWith(`${ancestor}/`);
/** Paths shallower than this (/etc, /srv) are too wide to count as touching what lies under them. */
const MIN_ANCESTOR_DEPTH = 2;
const depth = (path: string) => path.split("/").filter(Boolean).length;

/** The same cloud resource; "*" (a whole group listed) stands for every resource of that group only. */
function sameCloud(a: Extract<Target, { kind: "cloud" }>, b: Extract<Target, { kind: "cloud" }>) {
  if (a.name === "*" || b.name === "*")
    return a.name !== b.name && a.group !== undefined && a.group === b.group;
  return (
    a.name === b.name && (a.group === undefined || b.group === undefined || a.group === b.group)
  );
}

/** Whether the agent's `seen` target shows it looked at the reference's `wanted` one. */
function looksAt(seen: Target, wanted: Target): boolean {
  if (seen.kind !== wanted.kind) return false;
  if (seen.kind === "path") {
    const w = wanted.name;
    return (
      seen.name === w ||
      isUnder(seen.name, w) ||
      (parentOf(w) === seen.name && seen.name !== "/") ||
      (seen.deep === true && isUnder(w, seen.name))
    );
  }
  if (seen.kind === "cloud" && wanted.kind === "cloud") return sameCloud(seen, wanted);
  return seen.name === wanted.name;
}

/** Whether the reference touches what the agent changed (the same thing, or a path under one it names). */
function referenceTouches(reference: readonly Target[], changed: Target): boolean {
  return reference.some((r) => {
    if (r.kind !== changed.kind) return false;
    if (r.kind === "path")
      return (
        r.name === changed.name ||
        (depth(r.name) >= MIN_ANCESTOR_DEPTH && isUnder(changed.name, r.name))
      );
    if (r.kind === "cloud" && changed.kind === "cloud") return sameCloud(r, changed);
    return r.name === changed.name;
  });
}

/** Targets the reference names that are worth pointing at: no shell variables or globs in them. */
const namedPlainly = (t: Target) => !/[$*?]/.test(t.name);

const key = (t: Target) => `${t.kind}:${"group" in t ? (t.group ?? "") : ""}:${t.name}`;
function unique(targets: readonly Target[]): Target[] {
  const seen = new Map<string, Target>();
  for (const t of targets) if (!seen.has(key(t))) seen.set(key(t), t);
  return [...seen.values()];
}

function inTicket(target: Target, ticket: string): boolean {
  if (target.kind === "unit") return ticket.includes(target.name.replace(/\.service$/, ""));
  return target.name.length > 1 && ticket.includes(target.name);
}

/** Longest check line matched against a check's name pattern, in characters. */
const MAX_CHECK_TEXT_CHARS = 2000;

/** The grader's checks from its source, each with the lines it printed in this run. */
function gradedChecks(record: RunRecord, task: TeachingTask) {
  const sources = [
    ...shellChecks(task.checkScript, libHelpers(task.graderLib)),
    ...(task.hostChecksSource
      ? cloudChecksOf(task.hostChecksSource, cloudQueryGlosses(task.cloudQuerySource ?? ""))
      : []),
  ];
  const patterns = sources.map((s) => [s.what, ...s.otherNames].map((n) => namePattern(n, s.from)));
  const graded = [...record.events].reverse().find((e) => e.type === "graded");
  const checks: TeachingCheck[] = sources.map((s) => ({
    what: s.what,
    from: s.from,
    code: s.code,
    helpers: s.helpers,
    results: [],
  }));
  const unmatched: CheckLine[] = [];
  for (const line of graded?.type === "graded" ? graded.grade.checks : []) {
    // NOTE: the exact name first; a pattern only reads a bounded text (a hostile record cannot make it crawl).
    const text = line.text.slice(0, MAX_CHECK_TEXT_CHARS);
    let index = sources.findIndex((s) => s.what === line.text || s.otherNames.includes(line.text));
    if (index < 0) index = patterns.findIndex((p) => p.some((pattern) => pattern.test(text)));
    if (index >= 0) checks[index]!.results.push(line);
    else unmatched.push(line);
  }
  return { checks, unmatched, graded: graded !== undefined };
}

/** The teaching view of a run: its commands beside the task's reference, and what the comparison shows. */
export function teachRun(record: RunRecord, task: TeachingTask): Teaching {
  const script = readScript(task.solutionScript);
  const reference = script.commands.map((command) => {
    const found = command.lines.map(targetsOf);
    return {
      command,
      names: found.flatMap((t) => t.names),
      changes: found.flatMap((t) => t.changes),
    };
  });
  const referenceNames = unique(reference.flatMap((r) => [...r.names, ...r.changes]));
  const { steps, targets } = agentSteps(record);
  const agentNames = [...targets.values()].flatMap((t) => [...t.names, ...t.changes]);

  const notNeeded: NotNeeded[] = [];
  for (const step of steps) {
    const changed = unique(targets.get(step.step)?.changes ?? []).filter(
      (t) => !referenceTouches(referenceNames, t),
    );
    if (changed.length > 0 && step.changes)
      notNeeded.push({
        step: step.step,
        text: step.text,
        targets: changed.map(targetLabel),
        exitCode: step.exitCode,
      });
  }
  const neverLookedAt = referenceNames
    .filter((t) => t.kind !== "program" && namedPlainly(t))
    .filter((wanted) => !agentNames.some((seen) => looksAt(seen, wanted)))
    .map((target) => ({
      target,
      label: targetLabel(target),
      inTicket: inTicket(target, task.ticket),
    }));
  const { checks, unmatched, graded } = gradedChecks(record, task);
  return {
    teaches: task.teaches,
    ticket: task.ticket,
    agent: steps,
    reference: {
      overview: script.overview,
      commands: reference.map((r) => ({ ...r.command, changes: r.changes.length > 0 })),
    },
    notNeeded,
    neverLookedAt,
    checks,
    unmatchedResults: unmatched,
    graded,
  };
}
