// npm run verify-run -- <record.json|archive.json> [--run ID]: replays recorded runs in the real VM, grades them again, says whether each verdict reproduces.
import { parseArgs } from "node:util";
import { FileTaskStateCache } from "../tasks/node-state-cache";
import { verifyRun, type VerifyEvent } from "../tasks/verify-run";
import { readImageManifest, startNodeVm } from "../vm/driver/node-vm";
import {
  describeReport,
  loadTaskOf,
  readInputFile,
  readRunsFile,
  VerifyInputError,
} from "./verify-run-input";

const USAGE = `usage: npm run verify-run -- [--run ID] [--task FOLDER] [--fresh-setup] [--json] <record.json|archive.json>
Replays the run's commands and file writes on its task in a fresh VM and grades it again.
Exit 0: every verdict reproduces; 1: one does not (or the VM failed); 2: bad input (unreadable file, unknown run or task, no grade).
--task: the task's folder (default tasks/<domain>/<task id>); --fresh-setup: run setup.sh, not its saved state.`;

const EXIT_REPRODUCED = 0;
const EXIT_NOT_REPRODUCED = 1;
const EXIT_BAD_INPUT = 2;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    run: { type: "string" },
    task: { type: "string" },
    "fresh-setup": { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean" },
  },
});

function describe(event: VerifyEvent): string | undefined {
  switch (event.type) {
    case "ready":
      return `  ${event.fromSavedState ? "restored from its saved state" : "set up"} in ${event.durationMs} ms${event.note ? ` (${event.note})` : ""}`;
    case "step": {
      const { comparison: c, index, total } = event;
      const head = `  [${index}/${total}] step ${c.step}: ${c.command.split("\n")[0]}`;
      const tag =
        c.difference === "same"
          ? "same"
          : c.difference === "output"
            ? "output differs"
            : "OUTCOME DIFFERS";
      return [`${head}  (${tag})`, ...c.differences.map((d) => `        ${d}`)].join("\n");
    }
    case "grading":
      return "  grading";
    default:
      return undefined;
  }
}

async function main(): Promise<number> {
  if (values.help) {
    console.log(USAGE);
    return EXIT_REPRODUCED;
  }
  if (positionals.length !== 1) throw new VerifyInputError("name one file");
  const file = positionals[0] ?? "";
  const text = await readInputFile(file);
  const records = readRunsFile(text, values.run);
  const vm = await startNodeVm();
  const stateCache = values["fresh-setup"]
    ? undefined
    : { cache: new FileTaskStateCache(), imageId: (await readImageManifest()).imageId };
  let code = EXIT_REPRODUCED;
  const reports: unknown[] = [];
  try {
    for (const record of records) {
      if (!values.json)
        console.log(
          `${record.task.id} run ${record.id} (${record.agent.provider}/${record.agent.model})`,
        );
      const task = await loadTaskOf(record, values.task);
      for await (const event of verifyRun({
        vm,
        task,
        record,
        ...(stateCache && { stateCache }),
      })) {
        const line = values.json ? undefined : describe(event);
        if (line) console.log(line);
        if (event.type === "unverifiable") {
          console.error(`  cannot verify: ${event.reason}`);
          reports.push({ run: record.id, unverifiable: event.reason });
          code = Math.max(code, EXIT_BAD_INPUT);
        }
        if (event.type === "report") {
          if (!values.json) for (const l of describeReport(event.report)) console.log(l);
          reports.push({ run: record.id, ...event.report });
          if (!event.report.reproduced) code = Math.max(code, EXIT_NOT_REPRODUCED);
        }
      }
    }
  } finally {
    await vm.destroy();
  }
  if (values.json) console.log(JSON.stringify(reports, null, 2));
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const bad = error instanceof VerifyInputError;
    console.error(`verify-run: ${(error as Error).message}${bad ? `\n${USAGE}` : ""}`);
    process.exit(bad ? EXIT_BAD_INPUT : EXIT_NOT_REPRODUCED);
  },
);
