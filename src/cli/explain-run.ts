// npm run explain-run -- <run.json|.opslab.json|archive.json> [--run ID]: finds where failed runs went wrong in the real VM (the step after which the reference no longer fixes the machine, the step where the grader came closest).
import { parseArgs } from "node:util";
import { FileTaskStateCache } from "../tasks/node-state-cache";
import { readImageManifest, startNodeVm } from "../vm/driver/node-vm";
import { explainAndPrint, readExplainInput } from "./explain-output";
import { loadTaskOf, readInputFile, VerifyInputError } from "./verify-run-input";

const USAGE = `usage: npm run explain-run -- [--run ID] [--task FOLDER] [--fresh-setup] [--replay] [--json] <run.json|.opslab.json|archive.json>
Replays each run's calls on its task a prefix at a time; says after which step the reference solution no
longer fixes the machine (the damage step), and after which the grader's checks were at their best.
Exit 0: explained; 1: the VM failed; 2: bad input (unreadable file, unknown run or task, no grade).
--task: the task's folder (default tasks/<domain>/<task id>); --fresh-setup: run setup.sh, not its saved state;
--replay: replay from the start for each probe instead of restoring machine states saved on the way.`;

const EXIT_EXPLAINED = 0;
const EXIT_FAILED = 1;
const EXIT_BAD_INPUT = 2;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    run: { type: "string" },
    task: { type: "string" },
    "fresh-setup": { type: "boolean" },
    replay: { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean" },
  },
});

async function main(): Promise<number> {
  if (values.help) {
    console.log(USAGE);
    return EXIT_EXPLAINED;
  }
  if (positionals.length !== 1) throw new VerifyInputError("name one file");
  const file = positionals[0] ?? "";
  const text = await readInputFile(file);
  const records = await readExplainInput(text, values.run);
  const vm = await startNodeVm();
  const stateCache = values["fresh-setup"]
    ? undefined
    : { cache: new FileTaskStateCache(), imageId: (await readImageManifest()).imageId };
  let code = EXIT_EXPLAINED;
  const reports: unknown[] = [];
  try {
    for (const record of records) {
      if (!values.json)
        console.log(
          `${record.task.id} run ${record.id} (${record.agent.provider}/${record.agent.model}, ${record.outcome.verdict})`,
        );
      const last = await explainAndPrint({
        vm,
        task: await loadTaskOf(record, values.task),
        record,
        ...(stateCache && { stateCache }),
        strategy: values.replay ? "replay" : "snapshot",
        print: !values.json,
      });
      if (last.type === "unexplainable") {
        reports.push({ run: record.id, unexplainable: last.reason });
        code = Math.max(code, EXIT_BAD_INPUT);
      }
      if (last.type === "report") reports.push({ run: record.id, ...last.report });
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
    console.error(`explain-run: ${(error as Error).message}${bad ? `\n${USAGE}` : ""}`);
    process.exit(bad ? EXIT_BAD_INPUT : EXIT_FAILED);
  },
);
