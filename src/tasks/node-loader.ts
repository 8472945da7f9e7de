// Reads task folders from disk (Node): one bad folder is reported and does not stop the others.
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import type { TaskBundle } from "../domain/task";
import { TaskLoadError } from "./errors";
import { parseTaskToml } from "./task-toml";

async function readText(folder: string, name: string): Promise<string> {
  try {
    return await readFile(join(folder, name), "utf8");
  } catch {
    throw new TaskLoadError(join(folder, name), undefined, "missing: every task needs this file");
  }
}

async function readFixtures(dir: string): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  try {
    if (!(await stat(dir)).isDirectory()) return files;
  } catch {
    return files;
  }
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[`/${relative(dir, path)}`] = new Uint8Array(await readFile(path));
  }
  return files;
}

export async function loadTaskFolder(folder: string): Promise<TaskBundle> {
  const meta = parseTaskToml(
    await readText(folder, "task.toml"),
    join(folder, "task.toml"),
    basename(folder),
  );
  return {
    meta,
    instruction: await readText(folder, "instruction.md"),
    setupScript: await readText(folder, "setup.sh"),
    solutionScript: await readText(folder, "solution/solve.sh"),
    checkScript: await readText(folder, "tests/check.sh"),
    files: await readFixtures(join(folder, "files")),
  };
}

export interface Catalogue {
  tasks: TaskBundle[];
  errors: TaskLoadError[];
}

/** Loads every tasks/<domain>/<slug>/ folder under `root`. */
export async function loadCatalogue(root: string): Promise<Catalogue> {
  const catalogue: Catalogue = { tasks: [], errors: [] };
  for (const domain of (await readdir(root, { withFileTypes: true })).filter((e) =>
    e.isDirectory(),
  )) {
    const domainDir = join(root, domain.name);
    for (const slug of (await readdir(domainDir, { withFileTypes: true })).filter((e) =>
      e.isDirectory(),
    )) {
      try {
        catalogue.tasks.push(await loadTaskFolder(join(domainDir, slug.name)));
      } catch (error) {
        if (error instanceof TaskLoadError) catalogue.errors.push(error);
        else throw error;
      }
    }
  }
  catalogue.tasks.sort((a, b) => a.meta.id.localeCompare(b.meta.id));
  return catalogue;
}
