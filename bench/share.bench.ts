// npm run bench:share [-- --json]: share-link sizes of every kept run fixture (median, largest, the share under 8 KB) and the codec's time.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { restoreRun, type RunRecord } from "../src/domain/run";
import { decodeRunLink, encodeRunLink, MAX_LINK_CHARS } from "../src/share/link-codec";
import { printFigures } from "./report";
import { median } from "../src/domain/median";

const { values } = parseArgs({ options: { json: { type: "boolean" } } });
const ROOT = join(import.meta.dirname, "..");
/** The address before the payload on a typical host: a link is this plus the payload. */
const BASE_URL = "https://opslab.example.org/#/share/";

function fixtureRuns(): { name: string; record: RunRecord }[] {
  const runs: { name: string; raw: unknown }[] = [];
  const dir = join(ROOT, "src/domain/fixtures/runs");
  for (const file of readdirSync(dir).sort()) {
    runs.push({
      name: file.replace(/\.json$/, ""),
      raw: JSON.parse(readFileSync(join(dir, file), "utf8")),
    });
  }
  const archive = JSON.parse(
    readFileSync(join(ROOT, "src/state/fixtures/node-suite-results.json"), "utf8"),
  );
  (archive.runs as unknown[]).forEach((raw, i) =>
    runs.push({ name: `node-suite-results#${i}`, raw }),
  );
  const db = JSON.parse(readFileSync(join(ROOT, "src/storage/fixtures/opslab-v1.json"), "utf8"));
  (db.records.runs as unknown[]).forEach((raw, i) => runs.push({ name: `opslab-v1#${i}`, raw }));
  return runs.map(({ name, raw }) => ({ name, record: restoreRun(raw) }));
}

async function main(): Promise<void> {
  const runs = fixtureRuns();
  const sizes: Record<string, number> = {};
  const jsonSizes: Record<string, number> = {};
  let encodeMs = 0;
  let decodeMs = 0;
  for (const { name, record } of runs) {
    const t0 = performance.now();
    const { payload } = await encodeRunLink(record, {
      id: record.task.id,
      folderHash: "0".repeat(64),
    });
    const t1 = performance.now();
    await decodeRunLink(payload);
    decodeMs += performance.now() - t1;
    encodeMs += t1 - t0;
    sizes[name] = BASE_URL.length + payload.length;
    jsonSizes[name] = JSON.stringify(record).length;
  }
  const all = Object.values(sizes);
  const fit = all.filter((n) => n <= MAX_LINK_CHARS).length;
  printFigures(
    {
      runs: runs.length,
      link_chars: sizes,
      record_json_chars: jsonSizes,
      link_chars_median: median(all),
      link_chars_largest: Math.max(...all),
      share_under_8kb_pct: Math.round((100 * fit) / all.length),
      encode_ms_mean: Number((encodeMs / runs.length).toFixed(2)),
      decode_ms_mean: Number((decodeMs / runs.length).toFixed(2)),
    },
    {
      link_chars: MAX_LINK_CHARS,
      link_chars_median: MAX_LINK_CHARS,
      link_chars_largest: MAX_LINK_CHARS,
    },
    values.json ?? false,
  );
}

void main();
