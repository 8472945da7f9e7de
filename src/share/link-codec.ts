// Share links: a run (or a summary naming one) as a versioned, compressed, hashed URL-fragment payload, and the .opslab.json file form.
import { restoreRun, RUN_SCHEMA_VERSION, RunFormatError, type RunRecord } from "../domain/run";
import { verdictOf, type Verdict } from "../domain/task";
import { compactRun, expandRun } from "./compact";
import { ShareLinkError } from "./errors";
import { decodeFrame, encodeFrame, LINK_FORMAT_VERSION, type Frame } from "./frame";

/** The task a run was made with: its id and the hash of its folder (taskFolderHash). */
export interface TaskRef {
  id: string;
  folderHash: string;
}

/**
 * NOTE: the longest link (the whole URL) OpsLab offers. Chromium takes 2 MB and Firefox more, but
 * chat apps and mail cut far shorter (README, "Share links"): 8 KB is the aim for a typical run.
 */
export const MAX_LINK_CHARS = 8 * 1024;

export interface SharedRun {
  record: RunRecord;
  task: TaskRef;
  /** SHA-256 of the link's content (hex): what a summary link names. */
  hash: string;
}

/** What a short link carries when the run itself is too big: enough to show, and the hash of the whole. */
export interface RunSummary {
  task: RunRecord["task"] & { folderHash: string };
  agent: { provider: string; model: string };
  createdAt: string;
  verdict: Verdict | null;
  steps: number;
  commands: number;
  durationMs: number;
  totalTokens: number;
  costUsd: number | null;
  /** The SHA-256 of the full run's content: the file opened for it must match. */
  hash: string;
}

export interface EncodedRun {
  /** The fragment's payload ("v1.…"), put after "#/share/". */
  payload: string;
  hash: string;
}

/** The record (which must not hold a key: callers scrub with redactSecrets) as a link payload. */
export async function encodeRunLink(record: RunRecord, task: TaskRef): Promise<EncodedRun> {
  const json = JSON.stringify({ r: compactRun(record), f: [task.id, task.folderHash] });
  const { payload, hash } = await encodeFrame("run", json);
  return { payload, hash };
}

/** A run payload back, deeply validated (restoreRun): a run whole, or a ShareLinkError saying why not. */
export async function decodeRunLink(payload: string): Promise<SharedRun> {
  const frame = await decodeFrame(payload);
  if (frame.kind !== "run")
    throw new ShareLinkError("broken", `it holds a ${frame.kind}, not a run`);
  return runOf(frame);
}

function runOf(frame: Frame): SharedRun {
  const content = parseContent(frame.json) as { r?: unknown; f?: unknown };
  const ref = content.f;
  if (!Array.isArray(ref) || ref.length !== 2 || !ref.every((x) => typeof x === "string")) {
    throw new ShareLinkError("invalid", "it does not name its task");
  }
  return {
    record: restoreShared(content.r),
    task: { id: ref[0] as string, folderHash: ref[1] as string },
    hash: frame.hash,
  };
}

export function parseContent(json: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ShareLinkError("invalid", "its content is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ShareLinkError("invalid", "its content is not an object");
  }
  return value as Record<string, unknown>;
}

/** A run as a link carries it, expanded and deeply checked; a ShareLinkError saying why not. */
export function restoreShared(compact: unknown): RunRecord {
  let raw: unknown;
  try {
    raw = expandRun(compact);
  } catch (error) {
    throw new ShareLinkError("invalid", (error as Error).message);
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === "number" && version > RUN_SCHEMA_VERSION) {
    throw new ShareLinkError(
      "newer",
      `run schema ${version}, this OpsLab reads ${RUN_SCHEMA_VERSION}`,
    );
  }
  try {
    return restoreRun(raw);
  } catch (error) {
    if (error instanceof RunFormatError) throw new ShareLinkError("invalid", error.message);
    throw error;
  }
}

export function summarize(shared: SharedRun): RunSummary {
  const { record } = shared;
  const graded = [...record.events].reverse().find((e) => e.type === "graded");
  return {
    task: { ...record.task, folderHash: shared.task.folderHash },
    agent: { provider: record.agent.provider, model: record.agent.model },
    createdAt: record.createdAt,
    verdict: graded?.type === "graded" ? verdictOf(graded.grade) : null,
    steps: record.outcome.steps,
    commands: record.outcome.commands,
    durationMs: record.outcome.durationMs,
    totalTokens: record.outcome.totalTokens,
    costUsd: record.outcome.costUsd,
    hash: shared.hash,
  };
}

export async function encodeSummaryLink(summary: RunSummary): Promise<string> {
  return (await encodeFrame("summary", JSON.stringify(summary))).payload;
}

/** What a link opens to: a whole run, or a summary that asks for its file. */
export type OpenedLink = { kind: "run"; run: SharedRun } | { kind: "summary"; summary: RunSummary };

export async function openLink(payload: string): Promise<OpenedLink> {
  const frame = await decodeFrame(payload);
  if (frame.kind === "run") return { kind: "run", run: runOf(frame) };
  if (frame.kind === "comparison") {
    throw new ShareLinkError(
      "broken",
      "it holds a comparison of two runs: open it under #/compare/share/",
    );
  }
  return { kind: "summary", summary: checkSummary(parseContent(frame.json)) };
}

function checkSummary(value: Record<string, unknown>): RunSummary {
  const s = value as Partial<RunSummary>;
  const ok =
    typeof s.hash === "string" &&
    typeof s.task?.id === "string" &&
    typeof s.task.title === "string" &&
    typeof s.agent?.model === "string" &&
    typeof s.createdAt === "string" &&
    typeof s.steps === "number";
  if (!ok) throw new ShareLinkError("invalid", "its summary lacks a field");
  return s as RunSummary;
}

/** NOTE: the file is the same payload as a link, in JSON with a few fields for a person reading it. */
export const SHARE_FILE_FORMAT = "opslab-shared-run";

export async function encodeRunFile(
  record: RunRecord,
  task: TaskRef,
): Promise<{ text: string; hash: string }> {
  const { payload, hash } = await encodeRunLink(record, task);
  const file = {
    format: SHARE_FILE_FORMAT,
    version: LINK_FORMAT_VERSION,
    task: record.task.id,
    model: record.agent.model,
    createdAt: record.createdAt,
    payload,
  };
  return { text: `${JSON.stringify(file, null, 2)}\n`, hash };
}

/** A .opslab.json file's run; with `expectedHash` (a summary link's), it must be that very run. */
export async function decodeRunFile(text: string, expectedHash?: string): Promise<SharedRun> {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    throw new ShareLinkError(
      "broken",
      "the file is not JSON: choose the .opslab.json file OpsLab saved",
    );
  }
  const f = file as { format?: unknown; payload?: unknown };
  if (f.format !== SHARE_FILE_FORMAT || typeof f.payload !== "string") {
    throw new ShareLinkError("broken", "the file is not an OpsLab shared run (.opslab.json)");
  }
  const run = await decodeRunLink(f.payload);
  if (expectedHash !== undefined && run.hash !== expectedHash) {
    throw new ShareLinkError(
      "tampered",
      "the file is not the run this link names (its hash differs)",
    );
  }
  return run;
}

/** The file's name: `<task>-<date>.opslab.json`. */
export function shareFileName(record: RunRecord): string {
  return `${record.task.id}-${record.createdAt.slice(0, 10)}.opslab.json`;
}
