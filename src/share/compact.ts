// The compact JSON shape of a run inside a share link: the record without what is recomputed, with short keys.
import type { RunRecord } from "../domain/run";

/**
 * NOTE: frozen for link format v1: a key's short name never changes and is never reused (old links
 * must keep opening). A new field of RunRecord may get a new short name; a key that has none is kept
 * whole behind "~", so nothing is lost either way.
 */
const SHORT_KEYS: Record<string, string> = {
  schemaVersion: "V",
  id: "i",
  createdAt: "C",
  task: "T",
  title: "ti",
  domain: "do",
  difficulty: "df",
  agent: "A",
  provider: "pv",
  model: "m",
  toolMode: "tm",
  limits: "L",
  maxSteps: "ms",
  maxSeconds: "mS",
  maxTokens: "mt",
  maxCostUsd: "mc",
  commandSeconds: "cs",
  events: "E",
  type: "t",
  atMs: "a",
  step: "s",
  callId: "ci",
  input: "in",
  tool: "to",
  command: "c",
  timeoutSeconds: "ts",
  path: "p",
  content: "ct",
  summary: "su",
  name: "n",
  raw: "rw",
  problem: "pb",
  outcome: "o",
  kind: "k",
  exitCode: "x",
  stdout: "O",
  stderr: "R",
  durationMs: "d",
  timedOut: "TO",
  truncated: "tr",
  bytes: "b",
  message: "M",
  inputTokens: "it",
  outputTokens: "ot",
  totalTokens: "tt",
  costUsd: "$",
  label: "lb",
  steps: "ss",
  attempt: "at",
  waitMs: "w",
  limit: "li",
  reason: "rs",
  fromSavedState: "fs",
  note: "nt",
  grade: "g",
  passed: "P",
  checks: "ck",
  text: "tx",
  notes: "ns",
  integrity: "ig",
  ok: "ok",
  findings: "fd",
  where: "wh",
  detail: "dt",
  stopped: "sp",
  state: "st",
  forkedFrom: "ff",
  runId: "ri",
  taskHash: "th",
};
const LONG_KEYS = new Map(Object.entries(SHORT_KEYS).map(([long, short]) => [short, long]));
/** Marks a key kept whole (one without a short name). */
const WHOLE = "~";

/** Every object key of `value` renamed by `rename`, deeply; strings, numbers and arrays kept. */
function mapKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapKeys(v, rename));
  if (value === null || typeof value !== "object") return value;
  // NOTE: fromEntries defines own properties, so a "__proto__" key stays data, never a prototype.
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([key, v]) => [rename(key), mapKeys(v, rename)]),
  );
}

const shorten = (key: string) => SHORT_KEYS[key] ?? `${WHOLE}${key}`;

/** Throws when a key is neither a short name nor kept whole: the content is not ours. */
function lengthen(key: string): string {
  if (key.startsWith(WHOLE)) return key.slice(WHOLE.length);
  const long = LONG_KEYS.get(key);
  if (long === undefined) throw new Error(`unknown key "${key}"`);
  return long;
}

/** The record as links carry it: no outcome (restoreRun recomputes it), short keys. */
export function compactRun(record: RunRecord): unknown {
  const kept: Partial<RunRecord> = { ...record };
  delete kept.outcome;
  return mapKeys(kept, shorten);
}

/** The record's fields back from compactRun's shape (not yet validated: restoreRun does that). */
export function expandRun(compact: unknown): unknown {
  return mapKeys(compact, lengthen);
}
