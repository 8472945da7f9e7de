// The guest files worth fetching right after the first prompt: measured by `npm run vm:warm-paths`.
import measured from "./warm-paths.json";

export const WARM_PATHS_VERSION = 1;

/** One image file that commands or tasks read soon after a restore. */
export interface WarmFile {
  path: string;
  /** Size in the guest. */
  bytes: number;
  /** Size of its compressed blob: what the page downloads for it. */
  blobBytes: number;
  /** In how many of the measured scenarios (one command, or one task's setup, solution and grader) it was read. */
  uses: number;
}

/** NOTE: guest paths, not blob names, so the list stays valid when the image is rebuilt. */
export interface WarmPaths {
  version: typeof WARM_PATHS_VERSION;
  /** The image the list was measured on. */
  imageId: string;
  /** The scenarios run, in order (commands as typed, tasks by id). */
  scenarios: string[];
  totalBytes: number;
  totalBlobBytes: number;
  /** Most commonly needed first. */
  files: WarmFile[];
}

export const WARM_PATHS = measured as WarmPaths;
