// npm run bench:explain-corpus -- [--only a,b] [--json] <corpus dir>: explainRun's damage step on each failed run of Part A's labelled corpus (src/analysis/corpus/*.json.gz) against the decisive step stated by hand; accuracy and time.
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { gunzipSync, strFromU8 } from "fflate";
import { mayChangeMachine } from "../src/analysis/read-only";
import type { RunRecord } from "../src/domain/run";
import { explainToEnd } from "../src/tasks/explain-run";
import { loadTaskFolder } from "../src/tasks/node-loader";
import { FileTaskStateCache } from "../src/tasks/node-state-cache";
import { readImageManifest, startNodeVm } from "../src/vm/node-vm";

/** The fields of a corpus entry read here (the whole type is CorpusEntry in src/analysis/corpus.ts). */
interface Entry {
  name: string;
  record: RunRecord;
  expected: { decisiveStep: number | null };
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { only: { type: "string" }, json: { type: "boolean" } },
});
const dir = resolve(positionals[0] ?? "src/analysis/corpus");
const only = values.only?.split(",");
const names = (await readdir(dir)).filter((n) => n.endsWith(".json.gz")).sort();
const entries: Entry[] = [];
for (const name of names) {
  const entry = JSON.parse(strFromU8(gunzipSync(await readFile(join(dir, name))))) as Entry;
  if (entry.record.outcome.verdict !== "fail") continue;
  if (!only || only.includes(entry.name)) entries.push(entry);
}

const vm = await startNodeVm();
const stateCache = {
  cache: new FileTaskStateCache(),
  imageId: (await readImageManifest()).imageId,
};
const rows: {
  name: string;
  expected: number | null;
  found: number | null;
  ms: number;
  probes: number;
  note?: string;
}[] = [];
try {
  for (const { name, record, expected } of entries) {
    const task = await loadTaskFolder(resolve("tasks", record.task.domain, record.task.id));
    const last = await explainToEnd({ vm, task, record, stateCache, mayChange: mayChangeMachine });
    if (last.type !== "report") {
      rows.push({
        name,
        expected: expected.decisiveStep,
        found: null,
        ms: 0,
        probes: 0,
        note: last.type,
      });
      continue;
    }
    const { report } = last;
    rows.push({
      name,
      expected: expected.decisiveStep,
      found: report.damageStep,
      ms: report.durationMs,
      probes: report.probes.length,
      ...(report.note && { note: report.note }),
    });
    if (!values.json) {
      const row = rows.at(-1)!;
      console.error(
        `${name}: expected ${row.expected}, found ${row.found} (${row.probes} probes, ${Math.round(row.ms / 1000)} s)${row.note ? ` — ${row.note}` : ""}`,
      );
    }
  }
} finally {
  await vm.destroy();
}
const right = rows.filter((r) => r.expected === r.found).length;
if (values.json) console.log(JSON.stringify({ rows, right, total: rows.length }));
else console.log(`damage step right on ${right} of ${rows.length} failed runs of the corpus`);
process.exit(0);
