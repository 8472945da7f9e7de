// The last verification of each task, kept as one JSON file per task (Node): what `tasks stats` reads.
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { VerifyRecord } from "./catalogue-stats";

/** Not committed: figures are this machine's. */
export const DEFAULT_VERIFY_LOG_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../.cache/verify",
);

const VerifyRecordSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  folderHash: z.string(),
  verifiedAt: z.string(),
  repeat: z.number().int().positive(),
  ok: z.boolean(),
  setupMs: z.number().nonnegative().optional(),
  solutionMs: z.number().nonnegative().optional(),
  graderMs: z.number().nonnegative().optional(),
  roundMs: z.number().nonnegative().optional(),
});

/** Keeps `record` as its task's last verification (written whole or not at all). */
export async function writeVerifyRecord(
  record: VerifyRecord,
  dir = DEFAULT_VERIFY_LOG_DIR,
): Promise<void> {
  const parsed = VerifyRecordSchema.parse(record);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${parsed.id}.json`);
  await writeFile(`${path}.tmp`, JSON.stringify(parsed, null, 2) + "\n");
  await rename(`${path}.tmp`, path);
}

/**
 * Every task's last verification, by task id. A file that does not parse is reported in `errors`
 * (with what to do) and left out, never fatal: it only costs that task its figures.
 */
export async function readVerifyLog(
  dir = DEFAULT_VERIFY_LOG_DIR,
): Promise<{ records: Map<string, VerifyRecord>; errors: string[] }> {
  const records = new Map<string, VerifyRecord>();
  const errors: string[] = [];
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { records, errors };
    throw error;
  }
  for (const name of names.sort()) {
    const path = join(dir, name);
    try {
      const record = VerifyRecordSchema.parse(JSON.parse(await readFile(path, "utf8")));
      records.set(record.id, record);
    } catch {
      errors.push(`${path}: not a verification record; verify that task again to replace it`);
    }
  }
  return { records, errors };
}

/**
 * The order in which to verify `folders` on several jobs: longest first, by each task's last round
 * (records by task id, a folder's last path segment being its task's id); a task with no figure first
 * of all, since it may be the longest. Each with its index in `folders`; ties keep the given order.
 * NOTE: the jobs take the next task as they free up, so the longest last would leave one job running
 * it alone at the end: longest first lets the short ones fill in (the one third-floor-no-network takes
 * 4 minutes).
 */
export function longestFirst(
  folders: readonly string[],
  records: ReadonlyMap<string, VerifyRecord>,
): { folder: string; index: number }[] {
  const cost = (folder: string) => {
    const id = folder.replace(/\/+$/, "").split("/").pop() ?? "";
    return records.get(id)?.roundMs ?? Infinity;
  };
  return folders
    .map((folder, index) => ({ folder, index, ms: cost(folder) }))
    .sort((a, b) => b.ms - a.ms || a.index - b.index)
    .map(({ folder, index }) => ({ folder, index }));
}
