// The labelled corpus: real runs of scripted behaviours with the labels a person expects on them, and its files (gzip of JSON).
// NOTE: Node only (node:fs); the page never imports this file.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync, gzipSync, strFromU8, strToU8 } from "fflate";
import type { FailureLabelKind } from "../domain/failure";
import type { RunRecord } from "../domain/run";
import type { CheckLine } from "../domain/task";

/** One run of the corpus (src/analysis/corpus/<name>.json.gz), written by `npm run corpus`. */
export interface CorpusEntry {
  name: string;
  /** What the scripted agent does, in a sentence. */
  behaviour: string;
  taskId: string;
  record: RunRecord;
  /** The grader's checks on the task as readied, before any step. */
  readyChecks: CheckLine[];
  /** Stated by hand with the behaviour, never computed by labelRun. */
  expected: {
    labels: FailureLabelKind[];
    /** The step after which the reference solution no longer fixes the machine; null when none was fatal. */
    decisiveStep: number | null;
  };
}

const SUFFIX = ".json.gz";

/** An entry as the bytes of its file. */
export function encodeCorpusEntry(entry: CorpusEntry): Uint8Array {
  return gzipSync(strToU8(JSON.stringify(entry)), { level: 9, mtime: 0 });
}

/** An entry from the bytes of its file. NOTE: trusted input (this repository's files), not validated. */
export function decodeCorpusEntry(bytes: Uint8Array): CorpusEntry {
  return JSON.parse(strFromU8(gunzipSync(bytes))) as CorpusEntry;
}

/** Every entry of a corpus folder, in name order. */
export async function readCorpus(dir: string): Promise<CorpusEntry[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(SUFFIX)).sort();
  return Promise.all(
    names.map(async (n) => decodeCorpusEntry(new Uint8Array(await readFile(join(dir, n))))),
  );
}

/** Writes one entry as <dir>/<name>.json.gz; its size in bytes. */
export async function writeCorpusEntry(dir: string, entry: CorpusEntry): Promise<number> {
  const bytes = encodeCorpusEntry(entry);
  await writeFile(join(dir, `${entry.name}${SUFFIX}`), bytes);
  return bytes.length;
}
