// npm run corpus [-- --only NAME[,NAME...]]: plays the scripted behaviours through the real runner and VM and writes the labelled corpus.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeCorpusEntry, type CorpusEntry } from "../analysis/corpus";
import type { AgentEvent } from "../agent/loop";
import { createOracleClient } from "../agent/oracle";
import { ScriptedClient } from "../agent/scripted-client";
import type { RunRecord } from "../domain/run";
import type { CheckLine, TaskBundle } from "../domain/task";
import { limitsForTask, recordRun, runTaskWithAgent } from "../tasks/agent-run";
import { loadTaskFolder } from "../tasks/node-loader";
import { gradeTask } from "../tasks/runner";
import { MemoryTaskStateCache, readyTask, type ReadyTaskOptions } from "../tasks/task-state";
import { readImageManifest, startNodeVm } from "../vm/driver/node-vm";
import type { V86Vm } from "../vm/driver/v86-vm";
import { BEHAVIOURS, type Behaviour } from "./corpus/behaviours";

const USAGE = `usage: npm run corpus [-- --only NAME[,NAME...]] [--missing] [--list]
Plays each scripted behaviour of src/cli/corpus/behaviours.ts on its task in one VM (through /work/vm-slot
where the machine is shared) and writes src/analysis/corpus/<name>.json.gz. --only: just these entries;
--missing: only those without a file yet (to resume an interrupted run).`;

const ROOT = resolve(import.meta.dirname, "../..");
const CORPUS_DIR = resolve(ROOT, "src/analysis/corpus");

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    list: { type: "boolean" },
    missing: { type: "boolean" },
    help: { type: "boolean" },
  },
});

/** The behaviours asked for; exits with the usage when a name is unknown. */
function chosen(): Behaviour[] {
  if (!values.only) return BEHAVIOURS;
  const names = values.only.split(",").map((n) => n.trim());
  const unknown = names.filter((n) => !BEHAVIOURS.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown behaviour: ${unknown.join(", ")} (npm run corpus -- --list names them)`);
    process.exit(2);
  }
  return BEHAVIOURS.filter((b) => names.includes(b.name));
}

/** NOTE: the cloud's state after the run is for the replay only; dropped to keep the corpus lean. */
function lean(record: RunRecord): RunRecord {
  return { ...record, events: record.events.filter((e) => e.type !== "cloud-state") };
}

interface Session {
  vm: V86Vm;
  stateCache: ReadyTaskOptions;
  tasks: Map<string, { bundle: TaskBundle; readyChecks: CheckLine[] }>;
}

/** The task, loaded and graded once as readied (its readyChecks). */
async function taskOf(session: Session, folder: string) {
  const known = session.tasks.get(folder);
  if (known) return known;
  const bundle = await loadTaskFolder(resolve(ROOT, "tasks", folder));
  await readyTask(session.vm, bundle, session.stateCache);
  const grade = await gradeTask(session.vm, bundle);
  const task = { bundle, readyChecks: grade.checks };
  session.tasks.set(folder, task);
  const passing = grade.checks.filter((c) => c.passed).length;
  console.log(`${folder}: readied, ${passing}/${grade.checks.length} checks pass before any step`);
  return task;
}

async function play(session: Session, behaviour: Behaviour): Promise<CorpusEntry> {
  const { bundle, readyChecks } = await taskOf(session, behaviour.task);
  const client =
    behaviour.script === "oracle"
      ? createOracleClient(bundle.solutionScript)
      : new ScriptedClient(behaviour.script);
  const limits = { ...limitsForTask(bundle, behaviour.limits), ...behaviour.limits };
  const events: AgentEvent[] = [];
  for await (const event of runTaskWithAgent({
    vm: session.vm,
    task: bundle,
    client,
    limits,
    stateCache: session.stateCache,
  }))
    events.push(event);
  const record = recordRun(`corpus-${behaviour.name}`, new Date(), bundle, client, limits, events);
  return {
    name: behaviour.name,
    behaviour: behaviour.behaviour,
    taskId: bundle.meta.id,
    record: lean(record),
    readyChecks,
    expected: { labels: behaviour.expected, decisiveStep: behaviour.decisiveStep },
  };
}

async function main() {
  if (values.help) return console.log(USAGE);
  if (values.list) return console.log(BEHAVIOURS.map((b) => b.name).join("\n"));
  const behaviours = chosen().filter(
    (b) => !values.missing || !existsSync(resolve(CORPUS_DIR, `${b.name}.json.gz`)),
  );
  await mkdir(CORPUS_DIR, { recursive: true });
  const started = Date.now();
  const session: Session = {
    vm: await startNodeVm(),
    stateCache: { cache: new MemoryTaskStateCache(), imageId: (await readImageManifest()).imageId },
    tasks: new Map(),
  };
  let bytes = 0;
  try {
    for (const behaviour of behaviours) {
      const runStarted = Date.now();
      const entry = await play(session, behaviour);
      bytes += await writeCorpusEntry(CORPUS_DIR, entry);
      const { outcome } = entry.record;
      console.log(
        `  ${behaviour.name}: ${outcome.verdict ?? "ungraded"} (${outcome.reason}), ${outcome.steps} steps, ${Math.round((Date.now() - runStarted) / 1000)} s`,
      );
    }
  } finally {
    await session.vm.destroy();
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`${behaviours.length} entries, ${bytes} bytes, in ${seconds} s`);
}

await main();
