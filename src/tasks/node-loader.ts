// Reads task folders from disk (Node): one bad folder is reported and does not stop the others.
import { readdir, readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { TaskBundle } from "../domain/task";
import { TaskLoadError } from "./errors";
import { CLOUD_CHECKS_FILE, taskFromFiles } from "./task-files";

/** Every file under a task folder, by its path inside it ("task.toml", "files/etc/x", ...). */
async function readFolder(folder: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true, recursive: true });
  } catch {
    return files; // a missing folder reads as empty: taskFromFiles names the first missing file
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(folder, path).split(sep).join("/"), new Uint8Array(await readFile(path)));
  }
  return files;
}

/** The default exports of the folder's TypeScript modules (tests/cloud-checks.ts), by path inside it. */
async function importModules(
  folder: string,
  files: Map<string, Uint8Array>,
): Promise<Map<string, unknown>> {
  const modules = new Map<string, unknown>();
  if (!files.has(CLOUD_CHECKS_FILE)) return modules;
  const url = pathToFileURL(resolve(folder, CLOUD_CHECKS_FILE)).href;
  try {
    modules.set(CLOUD_CHECKS_FILE, ((await import(url)) as { default?: unknown }).default);
  } catch (error) {
    throw new TaskLoadError(
      `${folder}/${CLOUD_CHECKS_FILE}`,
      undefined,
      `does not load: ${(error as Error).message.split("\n")[0]}`,
    );
  }
  return modules;
}

export async function loadTaskFolder(folder: string): Promise<TaskBundle> {
  const files = await readFolder(folder);
  return taskFromFiles(folder, files, await importModules(folder, files));
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
