// The results file: an archive read whole (to resume or merge) and written whole under a temporary name.
import { readFile, rename, writeFile } from "node:fs/promises";
import { parseArchive, type Archive } from "../../domain/archive";

export class ResultsFileError extends Error {
  constructor(path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.name = "ResultsFileError";
  }
}

/** The archive in `path`, or undefined when there is no such file. */
export async function readResults(path: string): Promise<Archive | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ResultsFileError(path, (error as Error).message);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ResultsFileError(path, "is not JSON; give another --out or move it away");
  }
  try {
    return parseArchive(raw);
  } catch (error) {
    throw new ResultsFileError(path, (error as Error).message);
  }
}

/** NOTE: written under a temporary name then renamed: a reader (or a crash) never sees half a file. */
export async function writeResults(path: string, archive: Archive): Promise<void> {
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, JSON.stringify(archive, null, 2) + "\n");
  await rename(partial, path);
}
