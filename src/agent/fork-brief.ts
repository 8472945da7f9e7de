// What an agent taking over a forked run is told of the steps before it: each earlier call and what it gave, after the ticket.
import type { ReplayStep } from "../domain/verification";
import { describeOutcome, headAndTail } from "./tools";

/** Characters of one earlier call's result the brief keeps (head and tail), so a long history stays readable. */
export const BRIEF_RESULT_CHARS = 1_500;

function describeCall(call: ReplayStep): string {
  const { input } = call;
  const asked =
    input.tool === "run_command"
      ? `run_command: ${input.command}`
      : `write_file ${input.path} (${input.content.length} characters)`;
  const result = headAndTail(
    describeOutcome(call.recorded),
    BRIEF_RESULT_CHARS / 2,
    BRIEF_RESULT_CHARS / 2,
  );
  return `Step ${call.step}, ${asked}\n${result}`;
}

/**
 * The history an agent taking over a fork reads after the ticket: the calls of steps 1..`step` that
 * changed or read the machine, with their recorded results. NOTE: recorded results, not replayed ones:
 * the agent is told what was seen; the machine is the replayed one.
 */
export function forkBrief(calls: readonly ReplayStep[], step: number): string {
  const earlier = calls.filter((call) => call.step <= step);
  const intro =
    `This machine is not fresh: someone already worked on the ticket for ${step} step(s), and you` +
    " take over from the state they left. What they ran, and what it gave, in order:";
  if (earlier.length === 0) return `${intro}\n(nothing: no command was run yet)`;
  return [intro, ...earlier.map(describeCall), "Carry on from here."].join("\n\n");
}
