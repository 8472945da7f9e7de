// npm run bench:policy [-- --json]: microseconds per command-policy decision over the policy's table of lines, beside shell-quote's parse alone on the same lines.
import { parseArgs } from "node:util";
import { parse } from "shell-quote";
import { POLICY_CASES } from "../src/domain/policy/cases";
import { judgeCommand } from "../src/domain/policy/judge";
import { printFigures } from "./report";

const { values } = parseArgs({ options: { json: { type: "boolean" } } });
/** Passes over the whole table; the first WARM_UP_ROUNDS are not timed (the JIT settles). */
const ROUNDS = 200;
const WARM_UP_ROUNDS = 20;
/** A decision must stay well under a model's turn: the target, in microseconds. */
const TARGET_US_PER_DECISION = 100;

/** Mean microseconds per line of `work` over the table, after a warm-up. */
function microsPerLine(work: (line: string, index: number) => unknown): number {
  let sink = 0;
  let started = 0;
  for (let round = 0; round < ROUNDS + WARM_UP_ROUNDS; round++) {
    if (round === WARM_UP_ROUNDS) started = performance.now();
    POLICY_CASES.forEach((c, i) => {
      if (work(c.line, i)) sink++;
    });
  }
  const elapsedMs = performance.now() - started;
  if (sink < 0) console.log(sink);
  return Number(((elapsedMs * 1000) / (ROUNDS * POLICY_CASES.length)).toFixed(2));
}

const parseUs = microsPerLine((line) => parse(line, (key) => `$${key}`));
const decideUs = microsPerLine((line, i) => {
  const preset = POLICY_CASES[i]?.preset ?? "none";
  return judgeCommand({ preset }, line).decision;
});
const worstUs = Math.max(
  ...POLICY_CASES.map((c) => {
    const started = performance.now();
    for (let i = 0; i < ROUNDS; i++) judgeCommand({ preset: c.preset }, c.line);
    return ((performance.now() - started) * 1000) / ROUNDS;
  }),
);
printFigures(
  {
    lines: POLICY_CASES.length,
    policy_us_per_decision: decideUs,
    shell_quote_parse_us_per_line: parseUs,
    policy_us_slowest_line: Number(worstUs.toFixed(2)),
  },
  { policy_us_per_decision: TARGET_US_PER_DECISION },
  values.json ?? false,
);
