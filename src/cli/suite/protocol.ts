// Messages between the suite runner and its workers (a worker thread or a child process, one VM each).
import type { RunRecord } from "../../domain/run";
import type { SuiteItem } from "../../domain/suite";
import type { ItemSettings } from "./run-item";

/** One item to run, with the task's folder on this machine. */
export interface SuiteJob {
  /** The item's place in the shard's list. */
  index: number;
  item: SuiteItem;
  folder: string;
}

/** Sent once to a new worker, before any job. */
export interface WorkerInit {
  settings: ItemSettings;
  /** The folder of task states (restored instead of set up again), shared by every worker. */
  taskStateDir?: string;
}

export type ToWorker =
  { type: "init"; init: WorkerInit } | { type: "run"; job: SuiteJob } | { type: "stop" };

export type FromWorker =
  | { type: "ready" }
  | { type: "done"; index: number; record: RunRecord }
  | { type: "failed"; index: number; message: string }
  /** The worker cannot go on (its VM would not start): it exits after this. */
  | { type: "fatal"; message: string }
  /** Answers "stop", just before the worker exits. */
  | { type: "stopped"; maxRssBytes: number };
