// Task states kept as files in a folder (Node): one file per key, written whole or not at all.
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TaskStateCache } from "./task-state";

/** Not committed: states are made on demand and are tens of megabytes each. */
export const DEFAULT_TASK_STATE_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../.cache/task-states",
);
const STATE_FILE_SUFFIX = ".state";

export class FileTaskStateCache implements TaskStateCache {
  constructor(readonly dir: string = DEFAULT_TASK_STATE_DIR) {}

  private path(key: string): string {
    if (!/^[\w.-]+$/.test(key) || key.startsWith("."))
      throw new Error(`task state key ${JSON.stringify(key)}: only letters, digits, . _ -`);
    return join(this.dir, key + STATE_FILE_SUFFIX);
  }

  async get(key: string): Promise<ArrayBuffer | undefined> {
    try {
      const data = await readFile(this.path(key));
      return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  /** Whether a state is kept under `key`, without reading it. */
  async has(key: string): Promise<boolean> {
    try {
      return (await stat(this.path(key))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  }

  async put(key: string, state: ArrayBuffer): Promise<void> {
    const path = this.path(key);
    await mkdir(this.dir, { recursive: true });
    // NOTE: written under a temporary name and renamed, so a reader never sees half a state.
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, new Uint8Array(state));
    await rename(partial, path);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
