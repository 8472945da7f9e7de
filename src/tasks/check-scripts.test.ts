// Unit tests over every task's check.sh: what no grader may do, read from its source.
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { TaskBundle } from "../domain/task";
import { splitCommand } from "../domain/shell/reader";
import { loadCatalogue } from "./node-loader";

const TASKS_DIR = resolve(import.meta.dirname, "../../tasks");
let tasks: TaskBundle[];

beforeAll(async () => {
  const loaded = await loadCatalogue(TASKS_DIR);
  expect(loaded.errors.map((e) => e.message)).toEqual([]);
  tasks = loaded.tasks;
});

/** The CODE of each `check WHAT CODE` and `check_later WHAT CODE` of a check script. */
function checkCodes(checkSh: string): { what: string; code: string }[] {
  // A line continued with a backslash is one line.
  return checkSh
    .replace(/\\\n/g, " ")
    .split("\n")
    .flatMap((text) =>
      /^\s*#/.test(text)
        ? []
        : splitCommand(text).flatMap((command) =>
            (command.program === "check" || command.program === "check_later") &&
            command.args.length >= 2
              ? [{ what: command.args[0]!, code: command.args[1]! }]
              : [],
          ),
    );
}

/** An `exit` the check's own shell would run: not inside a ( ) subshell around the whole code. */
const exitsTheGrader = (code: string) =>
  /(^|[\s;&|({])exit\b/.test(code) && !/^\s*\(.*\)\s*$/s.test(code);

describe("every task's check.sh", () => {
  it("finds the checks of a script", () => {
    expect(
      checkCodes(`check "a" 'true'\ncheck_later "b" "x || exit 1" # c\n# check "d" e`),
    ).toEqual([
      { what: "a", code: "true" },
      { what: "b", code: "x || exit 1" },
    ]);
    expect(exitsTheGrader("x || exit 1")).toBe(true);
    expect(exitsTheGrader("(for d in 1 2; do x || exit 1; done)")).toBe(false);
    expect(exitsTheGrader("exited_cleanly")).toBe(false);
  });

  it("never exits the grader from a check's code (check runs it in the grader's shell: the grade would end with no FAIL line)", () => {
    const exiting = tasks.flatMap((task) =>
      checkCodes(task.checkScript)
        .filter(({ code }) => exitsTheGrader(code))
        .map(({ what }) => `${task.meta.id}: ${what}`),
    );
    expect(exiting).toEqual([]);
    expect(tasks.length).toBeGreaterThan(60);
  });
});
