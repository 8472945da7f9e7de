// Comparison links: two runs of one task and their comparison record in one versioned frame, built on the run link codec.
import {
  restoreComparison,
  ComparisonFormatError,
  type ComparisonRecord,
} from "../domain/comparison";
import type { RunRecord } from "../domain/run";
import { compactRun } from "./compact";
import { ShareLinkError } from "./errors";
import { decodeFrame, encodeFrame } from "./frame";
import { parseContent, restoreShared, type EncodedRun, type TaskRef } from "./link-codec";

/** NOTE: the version of a comparison frame's content; bump with a new shape, and keep reading the old. */
export const COMPARISON_LINK_VERSION = 1;

export interface SharedComparison {
  comparison: ComparisonRecord;
  left: RunRecord;
  right: RunRecord;
  task: TaskRef;
  /** SHA-256 of the link's content (hex). */
  hash: string;
}

/**
 * The comparison and its two runs as one link payload. NOTE: the runs must hold no key: callers scrub them
 * with redactSecrets, as for a run link.
 */
export async function encodeComparisonLink(
  comparison: ComparisonRecord,
  left: RunRecord,
  right: RunRecord,
  task: TaskRef,
): Promise<EncodedRun> {
  if (comparison.runIds[0] !== left.id || comparison.runIds[1] !== right.id) {
    throw new Error("A comparison link carries the comparison's own two runs, left then right");
  }
  const json = JSON.stringify({
    v: COMPARISON_LINK_VERSION,
    c: comparison,
    l: compactRun(left),
    r: compactRun(right),
    f: [task.id, task.folderHash],
  });
  const { payload, hash } = await encodeFrame("comparison", json);
  return { payload, hash };
}

/** A comparison payload back, each part deeply checked: whole, or a ShareLinkError saying what is wrong. */
export async function decodeComparisonLink(payload: string): Promise<SharedComparison> {
  const frame = await decodeFrame(payload);
  if (frame.kind !== "comparison") {
    throw new ShareLinkError(
      "broken",
      `it holds a ${frame.kind}, not a comparison: open it under #/share/`,
    );
  }
  const content = parseContent(frame.json);
  const version = content.v;
  if (typeof version !== "number")
    throw new ShareLinkError("invalid", "it has no comparison version");
  if (version > COMPARISON_LINK_VERSION) {
    throw new ShareLinkError("newer", `comparison link v${version}`);
  }
  const ref = content.f;
  if (!Array.isArray(ref) || ref.length !== 2 || !ref.every((x) => typeof x === "string")) {
    throw new ShareLinkError("invalid", "it does not name its task");
  }
  let comparison: ComparisonRecord;
  try {
    comparison = restoreComparison(content.c);
  } catch (error) {
    if (error instanceof ComparisonFormatError) throw new ShareLinkError("invalid", error.message);
    throw error;
  }
  const left = restoreShared(content.l);
  const right = restoreShared(content.r);
  if (comparison.runIds[0] !== left.id || comparison.runIds[1] !== right.id) {
    throw new ShareLinkError("invalid", "its runs are not the ones its comparison names");
  }
  return {
    comparison,
    left,
    right,
    task: { id: ref[0] as string, folderHash: ref[1] as string },
    hash: frame.hash,
  };
}
