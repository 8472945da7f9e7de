// The agent's tools: their specs, reading a call's arguments, running them in the VM, and what the model sees.
import type { CommandOutcome, ToolInput, ToolOutcome } from "../domain/run";
import { GuestOpError, VmAgentRestartedError } from "../vm/errors";
import type { ExecResult, Vm } from "../vm/vm";
import type { ToolCallRequest, ToolSpec } from "./llm";

/** The shell session the agent's commands run in, so its cwd and exports carry over. */
export const AGENT_SESSION = "agent";
/** How much of a long output the model sees: its head and its tail, with a note of what was cut. */
export const MODEL_OUTPUT_HEAD_CHARS = 2_000;
export const MODEL_OUTPUT_TAIL_CHARS = 6_000;
/** How much of each stream a run keeps for its timeline. */
export const RUN_OUTPUT_KEEP_CHARS = 16_000;
/** The shortest time limit a command gets, whatever the model asks for. */
const MIN_COMMAND_SECONDS = 1;

export const TOOL_SPECS: ToolSpec[] = [
  {
    name: "run_command",
    description:
      "Run a bash command as root in the Linux machine and get its exit code, stdout and stderr. " +
      "The working directory and exported variables carry over between commands. stdin is closed: " +
      "do not start interactive programs (editors, pagers, `top`); use non-interactive flags.",
    parameters: {
      type: "object",
      properties: {
        command: { type: "string", description: "The bash command line to run." },
        timeout_seconds: {
          type: "number",
          description:
            "Stop the command after this many seconds (default and maximum: the task's).",
        },
      },
      required: ["command"],
      additionalProperties: false,
    },
  },
  {
    name: "write_file",
    description:
      "Write a whole file in the Linux machine (created or replaced, parent folders made).",
    parameters: {
      type: "object",
      properties: {
        path: { type: "string", description: "Absolute path of the file." },
        content: { type: "string", description: "The file's full new content." },
      },
      required: ["path", "content"],
      additionalProperties: false,
    },
  },
  {
    name: "finish",
    description:
      "End your work on the task, with a short summary of what you found and changed. " +
      "Call it only when the task is done and checked, or when you cannot go further.",
    parameters: {
      type: "object",
      properties: { summary: { type: "string", description: "What you found and changed." } },
      required: ["summary"],
      additionalProperties: false,
    },
  },
];

function invalid(call: ToolCallRequest, problem: string): ToolInput {
  return { tool: "invalid", name: call.name, raw: call.argumentsJson, problem };
}

/** Reads a tool call's arguments; a malformed call becomes an "invalid" input the model is told about. */
export function parseToolCall(call: ToolCallRequest): ToolInput {
  let args: unknown;
  try {
    args = call.argumentsJson.trim() === "" ? {} : JSON.parse(call.argumentsJson);
  } catch {
    return invalid(call, "the arguments are not valid JSON");
  }
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    return invalid(call, "the arguments must be a JSON object");
  }
  const record = args as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === "string" ? record[key] : undefined);
  switch (call.name) {
    case "run_command": {
      const command = text("command");
      if (!command?.trim()) return invalid(call, '"command" must be a non-empty string');
      const timeout = record.timeout_seconds;
      return typeof timeout === "number" && timeout > 0
        ? { tool: "run_command", command, timeoutSeconds: timeout }
        : { tool: "run_command", command };
    }
    case "write_file": {
      const path = text("path");
      const content = text("content");
      if (!path?.startsWith("/")) return invalid(call, '"path" must be an absolute path');
      if (content === undefined) return invalid(call, '"content" must be a string');
      return { tool: "write_file", path, content };
    }
    case "finish":
      return { tool: "finish", summary: text("summary") ?? "" };
    default:
      return invalid(
        call,
        `there is no tool "${call.name}"; the tools are ${TOOL_SPECS.map((t) => t.name).join(", ")}`,
      );
  }
}

function keep(text: string): { text: string; cut: boolean } {
  if (text.length <= RUN_OUTPUT_KEEP_CHARS) return { text, cut: false };
  const half = RUN_OUTPUT_KEEP_CHARS / 2;
  return { text: `${text.slice(0, half)}\n[…]\n${text.slice(-half)}`, cut: true };
}

export function commandOutcome(result: ExecResult): CommandOutcome {
  const stdout = keep(result.stdout);
  const stderr = keep(result.stderr);
  return {
    kind: "command",
    exitCode: result.exitCode,
    stdout: stdout.text,
    stderr: stderr.text,
    durationMs: result.durationMs,
    timedOut: result.timedOut,
    truncated: stdout.cut || stderr.cut || result.stdoutTruncated || result.stderrTruncated,
  };
}

/**
 * Runs one tool call in the VM; aborting `signal` cancels a running command in the guest (its shell and
 * every process of its cgroup are killed). What the guest refuses (a write to a directory, a command it
 * could not start) or a guest agent the command killed comes back as a "failed" outcome for the model
 * to read; any other VM failure propagates (the VM is lost: the run ends as a VM error).
 */
export async function runTool(
  vm: Vm,
  input: ToolInput,
  commandSeconds: number,
  signal?: AbortSignal,
): Promise<ToolOutcome> {
  const started = Date.now();
  try {
    return await runToolInVm(vm, input, commandSeconds, signal);
  } catch (error) {
    if (!(error instanceof GuestOpError || error instanceof VmAgentRestartedError)) throw error;
    return { kind: "failed", message: error.message, durationMs: Date.now() - started };
  }
}

async function runToolInVm(
  vm: Vm,
  input: ToolInput,
  commandSeconds: number,
  signal: AbortSignal | undefined,
): Promise<ToolOutcome> {
  switch (input.tool) {
    case "run_command": {
      const seconds = Math.max(
        MIN_COMMAND_SECONDS,
        Math.min(input.timeoutSeconds ?? commandSeconds, commandSeconds),
      );
      const result = await vm.exec(input.command, {
        session: AGENT_SESSION,
        timeoutMs: seconds * 1000,
        ...(signal ? { signal } : {}),
      });
      return commandOutcome(result);
    }
    case "write_file": {
      const started = Date.now();
      await vm.writeFile(input.path, input.content);
      return {
        kind: "file-written",
        path: input.path,
        bytes: new TextEncoder().encode(input.content).length,
        durationMs: Date.now() - started,
      };
    }
    case "finish":
      return { kind: "finished", summary: input.summary };
    case "invalid":
      return { kind: "rejected", message: `Tool call rejected: ${input.problem}.` };
  }
}

/** Cuts a long text to its head and tail, saying how much was left out. */
export function headAndTail(
  text: string,
  headChars = MODEL_OUTPUT_HEAD_CHARS,
  tailChars = MODEL_OUTPUT_TAIL_CHARS,
): string {
  if (text.length <= headChars + tailChars) return text;
  const cut = text.length - headChars - tailChars;
  return `${text.slice(0, headChars)}\n[… ${cut} characters cut …]\n${text.slice(-tailChars)}`;
}

/** The tool result as the model reads it: the real exit code and output, cut with head and tail. */
export function describeOutcome(outcome: ToolOutcome): string {
  switch (outcome.kind) {
    case "command": {
      const parts = [`exit code: ${outcome.exitCode}`];
      if (outcome.timedOut) {
        parts.push(
          `the command was killed after ${Math.round(outcome.durationMs / 1000)} s (time limit); it may be waiting for input or running forever`,
        );
      }
      if (outcome.stdout) parts.push(`stdout:\n${headAndTail(outcome.stdout)}`);
      if (outcome.stderr) parts.push(`stderr:\n${headAndTail(outcome.stderr)}`);
      if (!outcome.stdout && !outcome.stderr) parts.push("(no output)");
      if (outcome.truncated) parts.push("(the output was longer and has been cut)");
      return parts.join("\n");
    }
    case "file-written":
      return `wrote ${outcome.bytes} bytes to ${outcome.path}`;
    case "finished":
      return "finished";
    case "rejected":
      return outcome.message;
    case "refused":
      return refusalText(outcome);
    case "failed":
      return `error: ${outcome.message}`;
  }
}

/** What the model reads of a call the run's command policy refused: what, why, and that nothing ran. */
export function refusalText(outcome: Extract<ToolOutcome, { kind: "refused" }>): string {
  const why = outcome.unjudged
    ? `the policy cannot judge this command (${outcome.reason}), and no person is here to ask`
    : outcome.reason;
  return `refused by the run's command policy: \`${outcome.part}\`: ${why}. Nothing was run. Try another way that the policy allows.`;
}
