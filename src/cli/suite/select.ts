// Which tasks a suite runs: --tasks patterns (all, a domain, globs) matched against the catalogue, and the suite's id.
import { createHash } from "node:crypto";
import { TASK_DOMAINS } from "../../domain/task";
import { normalSetup, type SuiteSpec } from "../../domain/suite";

/** A task of the catalogue as the patterns see it. */
export interface CatalogueEntry {
  id: string;
  domain: string;
  /** "domain/slug": the folder under the tasks directory. */
  path: string;
}

export class NoTasksError extends Error {
  constructor(pattern: string) {
    super(
      `--tasks "${pattern}" matches no task: give all, a domain (${TASK_DOMAINS.join(", ")}), a task id or a glob such as sysadmin/nginx-* (npm run tasks -- list shows them)`,
    );
    this.name = "NoTasksError";
  }
}

/** A glob as a regular expression: `*` and `?` stay inside one path segment, `**` crosses them. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/**
 * The catalogue's tasks the patterns name, in catalogue order (so every machine computes the same
 * spec from the same flags). A pattern is "all", a domain, a task id, or a glob over "domain/slug"
 * (also written "tasks/domain/slug" or with a trailing slash, as a shell would complete it).
 * NOTE: each pattern must match something: a typo fails rather than silently shrinking a sweep.
 */
export function selectTasks<Entry extends CatalogueEntry>(
  patterns: readonly string[],
  catalogue: readonly Entry[],
): Entry[] {
  const chosen = new Set<Entry>();
  for (const raw of patterns) {
    const pattern = raw.replace(/^(\.\/)?tasks\//, "").replace(/\/+$/, "");
    const glob = globToRegExp(pattern);
    const matches = catalogue.filter(
      (task) =>
        pattern === "all" ||
        task.domain === pattern ||
        task.id === pattern ||
        glob.test(task.path) ||
        glob.test(task.id),
    );
    if (matches.length === 0) throw new NoTasksError(raw);
    for (const task of matches) chosen.add(task);
  }
  return catalogue.filter((task) => chosen.has(task));
}

/** Characters of the spec's hash in a suite id: 64 bits, plenty against collisions of sweeps. */
const SUITE_ID_HASH_CHARS = 16;

/**
 * The suite's id, derived from its spec. NOTE: every shard of one sweep computes the same id from the
 * same flags, so mergeArchives() joins them into one suite; a different spec is a different suite.
 * A setup without policy or effort hashes as {provider, model}, as before setups, so ids stay.
 */
export function suiteIdOf(spec: SuiteSpec): string {
  const canonical = JSON.stringify({
    tasks: spec.tasks,
    agents: spec.agents.map(normalSetup),
    trials: spec.trials,
  });
  return `suite-${createHash("sha256").update(canonical).digest("hex").slice(0, SUITE_ID_HASH_CHARS)}`;
}
