// The agent run in the page: starting it on a task, its live events, stopping it, and past runs.
import { createStore, type StoreApi } from "zustand/vanilla";
import type { LlmClient } from "../agent/llm";
import type { AgentEvent } from "../agent/loop";
import type { GradeProgress, ReadyProgress } from "../domain/grade-progress";
import type { PriceTable } from "../agent/prices";
import type { ApprovalAnswer, ApprovalRequest, Approver } from "../domain/approval";
import type { CommandPolicy } from "../domain/policy/judge";
import {
  summarizeEvents,
  type ReasoningEffort,
  type ForkOrigin,
  type RunEvent,
  type RunLimits,
  type RunRecord,
} from "../domain/run";
import type { TaskBundle } from "../domain/task";
import { recordRun, type TaskRunOptions } from "../tasks/agent-run";
import type { ForkPoint } from "../tasks/fork-run";
import type { ReadyTaskOptions } from "../tasks/task-state";
import { markRun, RUN_MARKS } from "./run-marks";
import type { Vm } from "../vm/vm";
import {
  startSaving,
  type RunRepositoryPort,
  type RunSaving,
  type UnreadableRun,
} from "./run-saving";

export type { RunRepositoryPort, UnreadableRun } from "./run-saving";

/** "stopping": stopped while the task was readied, Linux is being put back clean. */
export type RunPhase = "idle" | "preparing" | "running" | "grading" | "stopping" | "done";

/** Phases while a run is under way (a new run cannot start; "stopping" has no Stop button). */
export function runIsBusy(phase: RunPhase): boolean {
  return (
    phase === "preparing" || phase === "running" || phase === "grading" || phase === "stopping"
  );
}
export type AgentChoice = "model" | "oracle";

/**
 * A suite item's own policy and effort, used instead of Settings' (undefined: none at all). NOTE: a
 * run of a suite's setup runs as the setup says, whatever Settings holds now.
 */
export interface RunSetup {
  policy: CommandPolicy | undefined;
  effort: ReasoningEffort | undefined;
}

export interface RunServices {
  vm(): Vm | undefined;
  /** Makes the agent's client; throws an Error whose message says what to fix in Settings. */
  /**
   * Makes the agent's client (`model` instead of the one in Settings, for a suite's other models);
   * throws an Error whose message says what to fix in Settings.
   */
  createClient(
    agent: AgentChoice,
    task: TaskBundle,
    model?: string,
    setup?: RunSetup,
  ): LlmClient | Promise<LlmClient>;
  /** The run's limits; with a setup, its policy instead of Settings'. */
  limits(task: TaskBundle, setup?: RunSetup): RunLimits;
  runOptions(): {
    prices: PriceTable;
    stopOnWarning: boolean;
    secrets: string[];
    stateCache?: ReadyTaskOptions;
  };
  runTask(options: TaskRunOptions): AsyncIterable<AgentEvent>;
  newRunId(): string;
  now(): Date;
  /** Where runs are kept (IndexedDB in the page); undefined when the browser offers none. */
  repository: RunRepositoryPort | undefined;
  /**
   * Marks a run as going on in this tab until the returned function is called (a Web Lock in the
   * page, released by the browser when the tab closes), so other tabs tell it from an interrupted run.
   */
  holdRun?(runId: string): () => void;
  /** Why Linux cannot take a run now (a verification is using it), or undefined when it can. */
  vmBusy?(): string | undefined;
}

/** A call waiting for the person under approval mode, and when it was asked (ms since the epoch). */
export interface PendingApproval {
  request: ApprovalRequest;
  askedAt: number;
}

export interface RunState {
  phase: RunPhase;
  task: TaskBundle | undefined;
  agent: AgentChoice | undefined;
  /** Where the run under way, or the last one, was forked from (undefined for a run from the task's start). */
  forkedFrom: ForkOrigin | undefined;
  /** The run's events so far (streamed text excluded). */
  events: RunEvent[];
  /**
   * The run under way, or the last one of this tab, without its events (they are `events`): its id
   * names it in the address (#/runs/<id>); undefined before the first run and when one could not start.
   */
  runHead: RunRecord | undefined;
  /** Text of the model's current turn as it streams in. */
  liveText: string;
  /** The model's reasoning of the turn under way, as it streams in (apart from its text). */
  liveThinking: string;
  /** What grading does now, while the run is graded (undefined otherwise); `sinceMs`: its stage began (Date.now()). */
  grading: (GradeProgress & { sinceMs: number }) | undefined;
  /** What readying the task does now, while it is readied (undefined otherwise); `sinceMs` as grading's. */
  readying: (ReadyProgress & { sinceMs: number }) | undefined;
  /** A failure before the agent could start (settings, setup), with what to do. */
  error: string | undefined;
  /**
   * Saved runs, newest first. A run without an end (no "finished" event) is going on in another tab
   * when its id is in `runningElsewhere`, and was interrupted (its tab closed or reloaded) otherwise.
   */
  history: RunRecord[];
  runningElsewhere: string[];
  /** Saved runs storage found without an end whose tab is gone, whatever their events say. */
  cutOff: string[];
  /** Runs of `history` kept in this tab only (storage failed or is full), saved again once space is freed. */
  unsaved: string[];
  /** Saved runs that could not be read, left as they are until the person deletes them. */
  unreadable: UnreadableRun[];
  /** What went wrong with storage, if anything (runs then last for this tab only). */
  storageNote: string | undefined;
  /** A past run shown in the panel instead of the live one. */
  viewing: RunRecord | undefined;
  /** The call of the run under way that waits for the person (approval mode), if one does. */
  approval: PendingApproval | undefined;
  /** The person's answer to the call that waits; nothing happens when none does. */
  answerApproval(answer: ApprovalAnswer): void;
  /**
   * Runs `agent` on `task` (with `model` instead of Settings' one, when given); resolves when the run
   * ends, with its record, or undefined when it did not start or could not go on (`error` says why).
   * With `fork`, the agent carries on from the machine a fork left (no setup); the run records where from.
   * With `setup` (a suite's item), its policy and effort instead of Settings'.
   */
  start(
    task: TaskBundle,
    agent: AgentChoice,
    model?: string,
    fork?: ForkPoint,
    setup?: RunSetup,
  ): Promise<RunRecord | undefined>;
  stop(): void;
  loadHistory(): Promise<void>;
  view(id: string | undefined): void;
  /** Deletes a saved run, readable or not, from storage and from the list. */
  deleteRun(id: string): Promise<void>;
  /** Deletes saved runs, readable or not, in one go; then saves runs kept in memory if it can. */
  deleteRuns(ids: string[]): Promise<void>;
  /** Saves the runs kept in this tab only (after space was freed); true when none is left. */
  saveUnsaved(): Promise<boolean>;
  /** Writes the running run's queued events now (the page calls it on `pagehide`). */
  flushSaves(): void;
}

/** The phase after an event: the agent starts after setup, grading follows its end. */
function nextPhase(phase: RunPhase, event: RunEvent): RunPhase {
  if (event.type === "setup") return "running";
  if (event.type !== "finished") return phase;
  return phase === "preparing" ? "stopping" : "grading";
}

/** What shows only while a run goes on: its streamed text, and what readying and grading do. */
const NOTHING_LIVE = {
  liveText: "",
  liveThinking: "",
  grading: undefined,
  readying: undefined,
} satisfies Partial<RunState>;

/** The live run's part of the store before a run began (at the start, and as a new run starts). */
function noRunYet() {
  return {
    events: [],
    runHead: undefined,
    ...NOTHING_LIVE,
    error: undefined,
  } satisfies Partial<RunState>;
}

export function createRunStore(services: RunServices): StoreApi<RunState> {
  let controller: AbortController | undefined;
  /** The run under way in this tab: not listed from storage while it goes. */
  let saving: { id: string; saver: RunSaving } | undefined;
  /** Answers the call that waits for the person, while one does. */
  let answer: ((answer: ApprovalAnswer) => void) | undefined;
  /** Runs kept in memory only, by id, until storage takes them. */
  const unsavedRecords = new Map<string, RunRecord>();
  return createStore<RunState>()((set, get) => {
    const keepUnsaved = (record: RunRecord) => {
      unsavedRecords.set(record.id, record);
      set({ unsaved: [...unsavedRecords.keys()] });
    };
    return {
      phase: "idle",
      task: undefined,
      agent: undefined,
      forkedFrom: undefined,
      ...noRunYet(),
      history: [],
      runningElsewhere: [],
      cutOff: [],
      unsaved: [],
      unreadable: [],
      storageNote: undefined,
      viewing: undefined,
      approval: undefined,
      answerApproval(given) {
        answer?.(given);
      },
      async loadHistory() {
        if (!services.repository) return;
        try {
          const { runs, unreadable, running = [], cutOff = [] } = await services.repository.list();
          const stored = runs.filter((r) => r.id !== saving?.id && !unsavedRecords.has(r.id));
          const history = [...unsavedRecords.values(), ...stored].sort((a, b) =>
            b.createdAt.localeCompare(a.createdAt),
          );
          set({
            history,
            unreadable,
            runningElsewhere: running.filter((id) => id !== saving?.id),
            cutOff,
          });
        } catch (error) {
          set({ storageNote: (error as Error).message });
        }
      },
      deleteRun: (id) => get().deleteRuns([id]),
      async deleteRuns(ids) {
        const stored = ids.filter((id) => !unsavedRecords.has(id));
        try {
          if (stored.length > 0) await services.repository?.deleteMany(stored);
        } catch (error) {
          set({ storageNote: `The saved runs could not be deleted: ${(error as Error).message}` });
          return;
        }
        const gone = new Set(ids);
        for (const id of ids) unsavedRecords.delete(id);
        set((s) => ({
          history: s.history.filter((r) => !gone.has(r.id)),
          unreadable: s.unreadable.filter((r) => !gone.has(r.id)),
          unsaved: [...unsavedRecords.keys()],
          viewing: s.viewing && gone.has(s.viewing.id) ? undefined : s.viewing,
        }));
        await get().saveUnsaved();
      },
      async saveUnsaved() {
        if (!services.repository || unsavedRecords.size === 0) return unsavedRecords.size === 0;
        for (const record of [...unsavedRecords.values()]) {
          try {
            await services.repository.save(record);
          } catch (error) {
            set({
              storageNote: `${unsavedRecords.size} run(s) are kept in this tab only: ${(error as Error).message}`,
            });
            return false;
          }
          unsavedRecords.delete(record.id);
          set({ unsaved: [...unsavedRecords.keys()] });
        }
        set({ storageNote: "The runs kept in this tab only are saved now." });
        return true;
      },
      flushSaves() {
        saving?.saver.flush();
      },
      view(id) {
        set((s) => ({ viewing: s.history.find((r) => r.id === id) }));
      },
      async start(task, agent, model, fork, setup) {
        if (runIsBusy(get().phase)) return undefined;
        markRun(RUN_MARKS.start);
        const busy = services.vmBusy?.();
        if (busy) {
          set({ error: busy });
          return undefined;
        }
        // NOTE: made first, so Stop works from the moment the run is asked for.
        const run = new AbortController();
        controller = run;
        set({
          phase: "preparing",
          task,
          agent,
          forkedFrom: fork?.origin,
          ...noRunYet(),
          viewing: undefined,
        });
        const vm = services.vm();
        let client: LlmClient;
        try {
          if (!vm) throw new Error("Linux is not running yet: wait for the terminal, then run.");
          client = await services.createClient(agent, task, model, setup);
        } catch (error) {
          controller = undefined;
          set({ phase: "idle", error: (error as Error).message });
          return undefined;
        }
        if (run.signal.aborted) {
          controller = undefined;
          set({ phase: "idle" });
          return undefined;
        }
        return playRun(
          {
            services,
            set,
            keepUnsaved,
            onSaving: (next) => (saving = next),
            onAsking: (next) => (answer = next),
          },
          { vm, task, client, signal: run.signal, ...(fork && { fork }), ...(setup && { setup }) },
        ).finally(() => {
          controller = undefined;
        });
      },
      stop() {
        controller?.abort();
      },
    };
  });
}

/** What playRun needs of the store it plays into. */
interface PlayTarget {
  services: RunServices;
  set: StoreApi<RunState>["setState"];
  keepUnsaved(record: RunRecord): void;
  /** Told of the run being saved as it goes (undefined once it ended). */
  onSaving(saving: { id: string; saver: RunSaving } | undefined): void;
  /** Told how to answer the call that waits for the person (undefined once none does). */
  onAsking(answer: ((answer: ApprovalAnswer) => void) | undefined): void;
}

/**
 * Asks the person in the page: the call waits in the store (`approval`) until answered, or until
 * the loop no longer wants the answer (stop, time-out), when it leaves the store.
 */
function pageApprover({ services, set, onAsking }: PlayTarget): Approver {
  return (request, signal) =>
    new Promise<ApprovalAnswer>((resolve) => {
      const done = () => {
        onAsking(undefined);
        set({ approval: undefined });
      };
      onAsking((given) => {
        done();
        resolve(given);
      });
      signal.addEventListener("abort", done, { once: true });
      set({ approval: { request, askedAt: services.now().getTime() } });
    });
}

/** What one run is played with: the machine, the task, the agent's client, and its Stop. */
interface PlayOptions {
  vm: Vm;
  task: TaskBundle;
  client: LlmClient;
  signal: AbortSignal;
  fork?: ForkPoint;
  setup?: RunSetup;
}

/**
 * Runs the agent's client on the task through `runTask` and keeps every event: in the store as it
 * comes, in storage as it happens, then the whole record. Resolves with the record, or undefined when
 * the run could not go on (the store's `error` says why).
 */
async function playRun(
  target: PlayTarget,
  { vm, task, client, signal, fork, setup }: PlayOptions,
): Promise<RunRecord | undefined> {
  const { services, set, onSaving } = target;
  const limits = services.limits(task, setup);
  const all: AgentEvent[] = [];
  const id = services.newRunId();
  const createdAt = services.now();
  const release = services.holdRun?.(id);
  const head = recordRun(id, createdAt, task, client, limits, [], fork?.origin);
  set({ runHead: head });
  const saver = services.repository
    ? startSaving(services.repository, head, (note) => set({ storageNote: note }))
    : undefined;
  if (saver) onSaving({ id, saver });
  try {
    for await (const event of services.runTask({
      vm,
      task,
      client,
      limits,
      signal,
      ...services.runOptions(),
      ...(fork && { fork }),
      ...progressHandlers(set),
      ...(limits.approval && { approve: pageApprover(target) }),
    })) {
      all.push(event);
      applyEvent(set, saver, event);
    }
    const record = recordRun(id, createdAt, task, client, limits, all, fork?.origin);
    await keepRecord(target, saver, record);
    return record;
  } catch (error) {
    set({ ...RUN_ENDED, error: `The run could not go on: ${(error as Error).message}` });
    return undefined;
  } finally {
    if (saver) onSaving(undefined);
    release?.();
  }
}

/** A run's end, whether it ended well or not: done, with nothing live left. */
const RUN_ENDED = { phase: "done", ...NOTHING_LIVE } satisfies Partial<RunState>;

/** Shows in the store what readying the task and grading the run do as they go. */
function progressHandlers(
  set: PlayTarget["set"],
): Pick<TaskRunOptions, "onReadyProgress" | "onGradingProgress"> {
  return {
    onReadyProgress: (progress) => {
      if (progress.stage === "restoring") markRun(RUN_MARKS.restoring);
      set((s) => ({ readying: sinceStageBegan(s.readying, progress) }));
    },
    onGradingProgress: (progress) =>
      set((s) => ({ grading: sinceStageBegan(s.grading, progress) })),
  };
}

/**
 * `progress` with `sinceMs`, when its stage began (Date.now()). NOTE: news within the same stage (a
 * new check of the grader, more bytes downloaded) keeps the time the stage began.
 */
export function sinceStageBegan<P extends { stage: string }>(
  shown: (P & { sinceMs: number }) | undefined,
  progress: P,
): P & { sinceMs: number } {
  return { ...progress, sinceMs: shown?.stage === progress.stage ? shown.sinceMs : Date.now() };
}

/**
 * Applies one event of the run to the store (and to storage): streamed text grows the live text, any
 * other event is kept, may move the phase on, and ends the live text of the turn and the readying.
 */
function applyEvent(set: PlayTarget["set"], saver: RunSaving | undefined, event: AgentEvent): void {
  if (event.type === "text-delta") {
    if (event.thinking) set((s) => ({ liveThinking: s.liveThinking + event.text }));
    else set((s) => ({ liveText: s.liveText + event.text }));
    return;
  }
  saver?.append(event);
  markEvent(event);
  set((s) => ({
    events: [...s.events, event],
    liveText: event.type === "reasoning" ? "" : s.liveText,
    liveThinking: event.type === "reasoning" ? "" : s.liveThinking,
    phase: nextPhase(s.phase, event),
    readying: event.type === "setup" || event.type === "finished" ? undefined : s.readying,
  }));
}

/**
 * The end of a run that went to its end: the record heads the history, and storage gets it whole
 * (kept in this tab only when storage fails).
 */
async function keepRecord(
  { set, keepUnsaved }: PlayTarget,
  saver: RunSaving | undefined,
  record: RunRecord,
): Promise<void> {
  set((s) => ({
    ...RUN_ENDED,
    history: [record, ...s.history.filter((r) => r.id !== record.id)],
  }));
  if (saver && !(await saver.finish(record))) keepUnsaved(record);
}

/** Marks the run's milestones on the page's performance timeline (run-marks.ts). */
function markEvent(event: RunEvent): void {
  if (event.type === "setup") markRun(RUN_MARKS.agentStart);
  else if (event.type === "finished") markRun(RUN_MARKS.agentEnd);
  else if (event.type === "graded") markRun(RUN_MARKS.verdict);
}

/** The run of `head` with `events` so far, as a record (the live run's replay reads it). */
export function liveRecord(head: RunRecord, events: RunEvent[]): RunRecord {
  return { ...head, events, outcome: summarizeEvents(events) };
}
