// Builds task bundles from files already in memory (the page bundles tasks/ at build time).
import { CloudConfigError, parseCloudJson } from "../cloud/initial/cloud-json";
import { buildInitialState } from "../cloud/initial/initial-state";
import type { HostChecks, TaskBundle, WrongFix } from "../domain/task";
import { TaskLoadError } from "./errors";
import { taskFolderHash } from "./folder-hash";
import { parseTaskToml } from "./task-toml";

export interface FileCatalogue {
  tasks: TaskBundle[];
  errors: TaskLoadError[];
}

const FOLDER = /^(?:.*\/)?tasks\/([^/]+)\/([^/]+)\/(.+)$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function text(files: Map<string, Uint8Array | string>, folder: string, name: string): string {
  const content = files.get(name);
  if (content === undefined) {
    throw new TaskLoadError(`${folder}/${name}`, undefined, "missing: every task needs this file");
  }
  return typeof content === "string" ? content : decoder.decode(content);
}

/** Checks cloud.json now, so a broken cloud fails at load naming the file and field; returns it. */
export function validateCloudJson(text: string, file: string): string {
  try {
    buildInitialState(parseCloudJson(text));
  } catch (error) {
    if (error instanceof CloudConfigError)
      throw new TaskLoadError(file, error.field, error.expected);
    throw error;
  }
  return text;
}

const WRONG_FIX = /^tests\/wrong\/([a-z0-9][a-z0-9-]*)\.sh$/;

/**
 * The folder's wrong fixes (`tests/wrong/<name>.sh`), sorted by name; each must open with a comment
 * that says what it does (after an optional shebang).
 */
function wrongFixes(folder: string, files: Map<string, Uint8Array | string>): WrongFix[] {
  const fixes: WrongFix[] = [];
  for (const name of files.keys()) {
    if (!name.startsWith("tests/wrong/")) continue;
    const match = WRONG_FIX.exec(name);
    if (!match) {
      throw new TaskLoadError(
        `${folder}/${name}`,
        undefined,
        "a wrong fix is a script named tests/wrong/<lower-case-name>.sh",
      );
    }
    const script = text(files, folder, name);
    const lines = script.split("\n").filter((line, i) => !(i === 0 && line.startsWith("#!")));
    const description = /^#\s*(.+)$/.exec(lines[0]?.trim() ?? "")?.[1]?.trim();
    if (!description) {
      throw new TaskLoadError(
        `${folder}/${name}`,
        undefined,
        "its first line (after the shebang) must be a comment saying what the wrong fix does and why it is wrong",
      );
    }
    fixes.push({ name: match[1]!, description, script });
  }
  return fixes.sort((a, b) => a.name.localeCompare(b.name));
}

/** A cloud task's host-side checks: a TypeScript module whose default export the loader hands in. */
export const CLOUD_CHECKS_FILE = "tests/cloud-checks.ts";

function isHostChecks(value: unknown): value is HostChecks {
  const v = value as Partial<HostChecks> | null | undefined;
  return typeof v === "object" && v !== null && v.kind === "cloud" && typeof v.run === "function";
}

/** The folder's cloud checks, when it has tests/cloud-checks.ts (its default export, from `modules`). */
function cloudChecks(
  folder: string,
  files: Map<string, unknown>,
  modules: Map<string, unknown>,
): HostChecks | undefined {
  if (!files.has(CLOUD_CHECKS_FILE) && !modules.has(CLOUD_CHECKS_FILE)) return undefined;
  const checks = modules.get(CLOUD_CHECKS_FILE);
  if (!isHostChecks(checks)) {
    throw new TaskLoadError(
      `${folder}/${CLOUD_CHECKS_FILE}`,
      undefined,
      modules.has(CLOUD_CHECKS_FILE)
        ? "its default export must be cloudChecks(...) from src/cloud/queries"
        : "not loaded as a module (the loader imports it with the task)",
    );
  }
  return checks;
}

/**
 * One task from its files, keyed by path inside the folder ("task.toml", "files/etc/x", ...), and
 * the default exports of its TypeScript modules by the same paths (tests/cloud-checks.ts).
 */
export function taskFromFiles(
  folder: string,
  files: Map<string, Uint8Array | string>,
  modules: Map<string, unknown> = new Map(),
): TaskBundle {
  const slug = folder.split("/").at(-1) ?? folder;
  const fixtures: Record<string, Uint8Array> = {};
  for (const [name, content] of files) {
    if (name.startsWith("files/")) {
      fixtures[name.slice("files".length)] =
        typeof content === "string" ? encoder.encode(content) : content;
    }
  }
  const bundle: TaskBundle = {
    meta: parseTaskToml(text(files, folder, "task.toml"), `${folder}/task.toml`, slug),
    instruction: text(files, folder, "instruction.md"),
    setupScript: text(files, folder, "setup.sh"),
    solutionScript: text(files, folder, "solution/solve.sh"),
    checkScript: text(files, folder, "tests/check.sh"),
    wrongFixes: wrongFixes(folder, files),
    files: fixtures,
    folderHash: taskFolderHash(files),
  };
  const checks = cloudChecks(folder, files, modules);
  if (checks) bundle.hostChecks = checks;
  const checksSource = files.get(CLOUD_CHECKS_FILE);
  if (checks && checksSource !== undefined)
    bundle.hostChecksSource =
      typeof checksSource === "string" ? checksSource : decoder.decode(checksSource);
  if (files.has("cloud.json")) {
    bundle.cloudJson = validateCloudJson(text(files, folder, "cloud.json"), `${folder}/cloud.json`);
  } else if (bundle.meta.domain === "cloud") {
    throw new TaskLoadError(
      `${folder}/cloud.json`,
      undefined,
      "missing: every cloud task needs its initial cloud state",
    );
  }
  if (checks && bundle.cloudJson === undefined) {
    throw new TaskLoadError(
      `${folder}/${CLOUD_CHECKS_FILE}`,
      undefined,
      "cloud checks read a control plane: the task needs cloud.json",
    );
  }
  return bundle;
}

/** Groups paths containing tasks/<domain>/<slug>/… by folder, keyed by the path inside it. */
function byFolder<T>(files: Record<string, T>): Map<string, Map<string, T>> {
  const folders = new Map<string, Map<string, T>>();
  for (const [path, content] of Object.entries(files)) {
    const match = FOLDER.exec(path);
    if (!match) continue;
    const folder = `tasks/${match[1]}/${match[2]}`;
    const entries = folders.get(folder) ?? new Map<string, T>();
    entries.set(match[3]!, content);
    folders.set(folder, entries);
  }
  return folders;
}

/**
 * Every task among `files` (and the default exports of their TypeScript `modules`), keyed by paths
 * containing tasks/<domain>/<slug>/…; bad folders are reported.
 */
export function catalogueFromFiles(
  files: Record<string, Uint8Array | string>,
  modules: Record<string, unknown> = {},
): FileCatalogue {
  const folders = byFolder(files);
  const folderModules = byFolder(modules);
  const catalogue: FileCatalogue = { tasks: [], errors: [] };
  for (const [folder, entries] of folders) {
    try {
      catalogue.tasks.push(taskFromFiles(folder, entries, folderModules.get(folder)));
    } catch (error) {
      if (error instanceof TaskLoadError) catalogue.errors.push(error);
      else throw error;
    }
  }
  catalogue.tasks.sort((a, b) => a.meta.id.localeCompare(b.meta.id));
  return catalogue;
}
