// npm run bench:run-storage [-- --json] [-- --events N]: cost of keeping a running run in Chromium's IndexedDB, one small transaction per event (what the page does) against rewriting the whole record per event.
import { parseArgs } from "node:util";
import { launchChromium, serveStatic } from "../e2e/support/browser";
import { printFigures } from "./report";

const { values } = parseArgs({
  options: {
    json: { type: "boolean" },
    events: { type: "string" },
    "output-chars": { type: "string" },
  },
});
/** A long run: the step limit's order of magnitude, each step a command and its output. */
const EVENTS = Number(values.events ?? 300);
/** Output kept per command (RUN_OUTPUT_KEEP_CHARS is of this order). */
const OUTPUT_CHARS = Number(values["output-chars"] ?? 4000);

/** Runs in the page: writes `events` events both ways, awaiting each write, and times them. */
const PAGE_SCRIPT = String.raw`
async ({ events, outputChars }) => {
      const open = (name) =>
        new Promise((resolve, reject) => {
          const request = indexedDB.open(name, 1);
          request.onupgradeneeded = () => {
            request.result.createObjectStore("runs", { keyPath: "id" });
            request.result.createObjectStore("runEvents", { keyPath: ["runId", "seq"] });
          };
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      const put = (db, store, value) =>
        new Promise((resolve, reject) => {
          const tx = db.transaction(store, "readwrite");
          tx.objectStore(store).put(value);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
      const event = (seq) => ({
        type: "tool-result",
        atMs: seq * 100,
        step: seq,
        callId: "c" + seq,
        outcome: { kind: "command", exitCode: 0, stdout: "x".repeat(outputChars), stderr: "" },
      });
      const time = async (write) => {
        const each = [];
        const start = performance.now();
        for (let seq = 0; seq < events; seq++) {
          const t = performance.now();
          await write(seq);
          each.push(performance.now() - t);
        }
        const total = performance.now() - start;
        const last = each.slice(-Math.ceil(events / 10));
        return { total, lastTenthMean: last.reduce((a, b) => a + b, 0) / last.length };
      };
      const perEvent = await open("bench-per-event");
      const rows = await time((seq) =>
        put(perEvent, "runEvents", { runId: "r", seq, event: event(seq) }),
      );
      const whole = await open("bench-whole");
      const kept = [];
      const rewrite = await time((seq) => {
        kept.push(event(seq));
        return put(whole, "runs", { id: "r", events: kept });
      });
      return {
        per_event_total_ms: rows.total,
        per_event_write_ms_late: rows.lastTenthMean,
        whole_record_total_ms: rewrite.total,
        whole_record_write_ms_late: rewrite.lastTenthMean,
      };
    }
`;

const server = await serveStatic();
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  // Any page of the origin: IndexedDB needs one, the app itself must not run.
  await page.goto(`${server.url}vm/image.json`);
  // NOTE: a string, so the page runs it as written (tsx would add helpers the page lacks).
  const figures = (await page.evaluate(
    `(${PAGE_SCRIPT})(${JSON.stringify({ events: EVENTS, outputChars: OUTPUT_CHARS })})`,
  )) as Record<string, number>;
  if (!values.json)
    console.error(
      `${EVENTS} events of ${OUTPUT_CHARS} chars each, one awaited transaction per event:`,
    );
  const rounded = Object.fromEntries(
    Object.entries(figures).map(([key, value]) => [key, Math.round(value * 100) / 100]),
  );
  printFigures(rounded, {}, values.json ?? false);
} finally {
  await browser.close();
  await server.close();
}
