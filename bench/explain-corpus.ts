// npm run bench:explain-corpus -- [--only a,b] [--jobs N] [--with-best] [--json] [corpus dir]: explainRun's damage step on each failed run of the labelled corpus (src/analysis/corpus/*.json.gz) against the decisive step stated by hand; accuracy and time.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readCorpus, type CorpusEntry } from "../src/analysis/corpus";
import { mayChangeMachine } from "../src/domain/shell/read-only";
import { explainToEnd } from "../src/tasks/explain-run";
import { loadTaskFolder } from "../src/tasks/node-loader";
import { FileTaskStateCache } from "../src/tasks/node-state-cache";
import { readImageManifest, startNodeVm } from "../src/vm/driver/node-vm";

interface Row {
  name: string;
  steps: number;
  expected: number | null;
  found: number | null;
  ms: number;
  probes: number;
  note?: string;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    only: { type: "string" },
    jobs: { type: "string", default: "1" },
    shard: { type: "string" },
    "with-best": { type: "boolean" },
    json: { type: "boolean" },
  },
});
const dir = resolve(positionals[0] ?? "src/analysis/corpus");
const only = values.only?.split(",");
const jobs = Number(values.jobs);
if (!Number.isInteger(jobs) || jobs < 1)
  throw new Error(`--jobs wants a whole number ≥ 1, not ${values.jobs}`);

/** The failed runs (tampered ones are the integrity check's, not a damage step's), shard k of n. */
async function failedRuns(shard: [number, number]): Promise<CorpusEntry[]> {
  const failed = (await readCorpus(dir)).filter(
    (entry) => entry.record.outcome.verdict === "fail" && (!only || only.includes(entry.name)),
  );
  return failed.filter((_, i) => i % shard[1] === shard[0] - 1);
}

const say = (line: string) => !values.json && console.error(line);

/** Explains each run in one VM; a row each. */
async function explainAll(entries: CorpusEntry[]): Promise<Row[]> {
  const vm = await startNodeVm();
  const stateCache = {
    cache: new FileTaskStateCache(),
    imageId: (await readImageManifest()).imageId,
  };
  const rows: Row[] = [];
  try {
    for (const { name, record, expected } of entries) {
      const task = await loadTaskFolder(resolve("tasks", record.task.domain, record.task.id));
      const steps = record.events.filter((e) => e.type === "tool-call").length;
      const last = await explainToEnd({
        vm,
        task,
        record,
        stateCache,
        mayChange: mayChangeMachine,
        seekBest: values["with-best"] === true,
      });
      const row: Row =
        last.type === "report"
          ? {
              name,
              steps,
              expected: expected.decisiveStep,
              found: last.report.damageStep,
              ms: last.report.durationMs,
              probes: last.report.probes.length,
              ...(last.report.note && { note: last.report.note }),
            }
          : {
              name,
              steps,
              expected: expected.decisiveStep,
              found: null,
              ms: 0,
              probes: 0,
              note: last.type,
            };
      rows.push(row);
      say(
        `${name}: expected ${row.expected}, found ${row.found} (${row.probes} probes, ${Math.round(row.ms / 1000)} s)${row.note ? ` — ${row.note}` : ""}`,
      );
    }
  } finally {
    await vm.destroy();
  }
  return rows;
}

/** Runs shard k of `jobs` in a child process of this script; its rows. */
function child(k: number): Promise<Row[]> {
  const args = [fileURLToPath(import.meta.url), "--shard", `${k}/${jobs}`, "--json", dir];
  if (only) args.push("--only", only.join(","));
  if (values["with-best"]) args.push("--with-best");
  return new Promise((resolveRows, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    proc.on("error", reject);
    proc.on("exit", (code) => {
      if (code !== 0) reject(new Error(`shard ${k}/${jobs} exited with ${code}`));
      else resolveRows((JSON.parse(out) as { rows: Row[] }).rows);
    });
  });
}

const started = Date.now();
let rows: Row[];
if (values.shard) {
  const [k, n] = values.shard.split("/").map(Number) as [number, number];
  rows = await explainAll(await failedRuns([k, n]));
} else if (jobs > 1) {
  rows = (await Promise.all(Array.from({ length: jobs }, (_, i) => child(i + 1)))).flat();
} else {
  rows = await explainAll(await failedRuns([1, 1]));
}
rows.sort((a, b) => a.name.localeCompare(b.name));

const right = rows.filter((r) => r.expected === r.found);
const withStep = rows.filter((r) => r.expected !== null);
const summary = {
  rows,
  right: right.length,
  total: rows.length,
  rightWithStep: right.filter((r) => r.expected !== null).length,
  withStep: withStep.length,
  rightWithout: right.filter((r) => r.expected === null).length,
  without: rows.length - withStep.length,
  meanMs: Math.round(rows.reduce((sum, r) => sum + r.ms, 0) / Math.max(1, rows.length)),
  meanProbes: rows.reduce((sum, r) => sum + r.probes, 0) / Math.max(1, rows.length),
  wallMs: Date.now() - started,
};
if (values.json) console.log(JSON.stringify(summary));
else {
  for (const r of rows.filter((row) => row.expected !== row.found))
    console.log(
      `wrong: ${r.name}: expected ${r.expected}, found ${r.found}${r.note ? ` (${r.note})` : ""}`,
    );
  console.log(
    `damage step right on ${summary.right} of ${summary.total} failed runs of the corpus: ${summary.rightWithStep} of ${summary.withStep} with a decisive step, ${summary.rightWithout} of ${summary.without} without; ${(summary.meanMs / 1000).toFixed(0)} s and ${summary.meanProbes.toFixed(1)} probes a run on average (${values["with-best"] ? "damage and best step" : "damage step only"}), ${Math.round(summary.wallMs / 1000)} s in all with ${jobs} VM(s)`,
  );
}
process.exit(0);
