// npm run suite -- ...: runs a shard of a suite (tasks × agents × trials) on N VMs into a results file, or merges results files.
import { parseSuiteArgs, USAGE, UsageError } from "./suite/args";
import { progressMode } from "./suite/progress";
import { mergeResults, runSuite, type Console } from "./suite/run";
import { NoTasksError } from "./suite/select";

/** Exit codes: the suite ran (whatever its verdicts), something failed, the command line was wrong. */
const EXIT_RAN = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

async function main(argv: string[]): Promise<number> {
  const con: Console = {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    mode: progressMode(process.env, process.stdout.isTTY === true),
  };
  try {
    const args = parseSuiteArgs(argv);
    if (args.command === "help") {
      con.out(`${USAGE}\n`);
      return EXIT_RAN;
    }
    if (args.command === "merge") {
      await mergeResults(args, con);
      return EXIT_RAN;
    }
    const outcome = await runSuite(args, con);
    return outcome.errors ? EXIT_FAILED : EXIT_RAN;
  } catch (error) {
    con.err(`suite: ${(error as Error).message}\n`);
    // NOTE: a bad flag or a pattern that matches nothing is the command line's fault (2); a results
    // file that cannot be read or merged, a VM that will not start, anything else is a failure (1).
    return error instanceof UsageError || error instanceof NoTasksError ? EXIT_USAGE : EXIT_FAILED;
  }
}

process.exit(await main(process.argv.slice(2)));
