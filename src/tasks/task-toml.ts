// Validates task.toml against its schema and turns it into TaskMeta, with errors naming the field.
import { parse } from "smol-toml";
import { z } from "zod";
import { TASK_DIFFICULTIES, TASK_DOMAINS, type TaskMeta } from "../domain/task";
import { TaskLoadError } from "./errors";
import { NetworkTomlSchema, toTaskNetwork } from "./network-toml";

/** Limits a task gets for what its task.toml leaves out. */
export const DEFAULT_LIMITS = {
  agent_steps: 30,
  agent_seconds: 900,
  command_seconds: 60,
  check_seconds: 60,
};

/**
 * The most a task.toml may ask for. NOTE: every duration stays far below the 2^31-1 ms a timer
 * can wait (about 24.8 days): a longer one would fire at once.
 */
export const MAX_LIMITS = {
  agent_steps: 1_000,
  /** 24 hours. */
  agent_seconds: 86_400,
  /** 1 hour. */
  command_seconds: 3_600,
  /** 1 hour. */
  check_seconds: 3_600,
};

/** A positive limit of at most `max`, `unit` naming what it counts in the error. */
const limit = (max: number, unit: string, fallback: number, integer = false) =>
  (integer ? z.number().int() : z.number())
    .positive()
    .max(max, `at most ${max.toLocaleString("en-US")} ${unit}`)
    .default(fallback);

const TaskTomlSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and dashes"),
  title: z.string().min(1),
  domain: z.enum(TASK_DOMAINS),
  difficulty: z.enum(TASK_DIFFICULTIES),
  tags: z.array(z.string()).default([]),
  teaches: z.string().min(1),
  limits: z
    .object({
      agent_steps: limit(MAX_LIMITS.agent_steps, "steps", DEFAULT_LIMITS.agent_steps, true),
      agent_seconds: limit(
        MAX_LIMITS.agent_seconds,
        "seconds (24 hours)",
        DEFAULT_LIMITS.agent_seconds,
      ),
      command_seconds: limit(
        MAX_LIMITS.command_seconds,
        "seconds (1 hour)",
        DEFAULT_LIMITS.command_seconds,
      ),
      check_seconds: limit(
        MAX_LIMITS.check_seconds,
        "seconds (1 hour)",
        DEFAULT_LIMITS.check_seconds,
      ),
    })
    .default(DEFAULT_LIMITS),
  /** The in-VM network of a networking task (hosts as network namespaces). */
  network: NetworkTomlSchema.optional(),
  /** What the reference solution takes: the measure its difficulty is set by. */
  solution: z
    .strictObject({
      commands: z.number().int().positive(),
      faults: z.number().int().positive(),
    })
    .optional(),
});

/** A field's path as a task author writes it: network.hosts[1].interfaces[0].address. */
function fieldPath(path: readonly PropertyKey[]): string | undefined {
  const text = path
    .map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`))
    .join("")
    .replace(/^\./, "");
  return text || undefined;
}

export function parseTaskToml(text: string, file: string, folderName?: string): TaskMeta {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new TaskLoadError(
      file,
      undefined,
      `not valid TOML (${(error as Error).message.split("\n")[0]})`,
    );
  }
  const result = TaskTomlSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new TaskLoadError(file, fieldPath(issue?.path ?? []), issue?.message ?? "invalid");
  }
  const toml = result.data;
  if (folderName !== undefined && toml.id !== folderName) {
    throw new TaskLoadError(file, "id", `expected "${folderName}", the name of the task's folder`);
  }
  return {
    id: toml.id,
    title: toml.title,
    domain: toml.domain,
    difficulty: toml.difficulty,
    tags: toml.tags,
    teaches: toml.teaches,
    limits: {
      agentSteps: toml.limits.agent_steps,
      agentSeconds: toml.limits.agent_seconds,
      commandSeconds: toml.limits.command_seconds,
      checkSeconds: toml.limits.check_seconds,
    },
    ...(toml.network ? { network: toTaskNetwork(toml.network) } : {}),
    ...(toml.solution ? { solution: toml.solution } : {}),
  };
}
