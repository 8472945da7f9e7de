// Reads task folders from disk (Node): one bad folder is reported and does not stop the others.
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import type { TaskBundle } from "../domain/task";
import { TaskLoadError } from "./errors";
import { validateCloudJson } from "./task-files";
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

/** cloud.json's text when the folder has one, checked now so a broken cloud fails at load. */
async function readCloudJson(folder: string): Promise<string | undefined> {
  const file = join(folder, "cloud.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  return validateCloudJson(text, file);
}

export async function loadTaskFolder(folder: string): Promise<TaskBundle> {
  const meta = parseTaskToml(
    await readText(folder, "task.toml"),
    join(folder, "task.toml"),
    basename(folder),
  );
  const bundle: TaskBundle = {
    meta,
    instruction: await readText(folder, "instruction.md"),
    setupScript: await readText(folder, "setup.sh"),
    solutionScript: await readText(folder, "solution/solve.sh"),
    checkScript: await readText(folder, "tests/check.sh"),
    files: await readFixtures(join(folder, "files")),
  };
  const cloudJson = await readCloudJson(folder);
  if (cloudJson !== undefined) bundle.cloudJson = cloudJson;
  if (meta.domain === "cloud" && cloudJson === undefined) {
    throw new TaskLoadError(
      join(folder, "cloud.json"),
      undefined,
      "missing: every cloud task needs its initial cloud state",
    );
  }
  return bundle;
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
