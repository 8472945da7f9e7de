// What the suite runner sends its workers (worker.ts, through job-pool.ts): one item to run each.
import type { SuiteItem } from "../../domain/suite";

/** One item to run, with the task's folder on this machine. */
export interface SuiteJob {
  item: SuiteItem;
  folder: string;
}
