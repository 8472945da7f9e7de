// Approval mode on a terminal: the --approve flags read into a setting, and a person's answers read from stdin (y, n [message], e to edit).
import { createInterface, type Interface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import {
  AUTO_APPROVE_RULES,
  DEFAULT_APPROVAL_TIMEOUT_SECONDS,
  approvalTimeoutError,
  inputText,
  type ApprovalAnswer,
  type ApprovalSetting,
  type Approver,
  type AutoApproveRule,
} from "../domain/approval";

/** The approval setting the flags ask for (undefined without --approve), or what is wrong with them. */
export function chooseApproval(flags: {
  approve?: string;
  autoApprove: readonly string[];
  timeout?: string;
}): { setting: ApprovalSetting | undefined } | { error: string } {
  if (flags.approve === undefined) {
    if (flags.autoApprove.length > 0 || flags.timeout !== undefined)
      return { error: "--auto-approve and --approval-timeout go with --approve every|unjudged" };
    return { setting: undefined };
  }
  if (flags.approve !== "every" && flags.approve !== "unjudged")
    return { error: `--approve is every or unjudged, not "${flags.approve}"` };
  const unknown = flags.autoApprove.find(
    (r) => !(AUTO_APPROVE_RULES as readonly string[]).includes(r),
  );
  if (unknown !== undefined)
    return { error: `--auto-approve is ${AUTO_APPROVE_RULES.join(" or ")}, not "${unknown}"` };
  const timeoutSeconds =
    flags.timeout === undefined ? DEFAULT_APPROVAL_TIMEOUT_SECONDS : Number(flags.timeout);
  const wrong = approvalTimeoutError(timeoutSeconds);
  if (wrong) return { error: `--approval-timeout: ${wrong}` };
  const autoApprove = [...new Set(flags.autoApprove)] as AutoApproveRule[];
  return { setting: { mode: flags.approve, autoApprove, timeoutSeconds } };
}

/** A line typed at the prompt: an answer, a wish to edit, or nothing readable (asked again). */
export function readAnswer(line: string): ApprovalAnswer | "edit" | null {
  const text = line.trim();
  if (/^(y|yes)$/i.test(text)) return { decision: "approve" };
  if (/^(e|edit)$/i.test(text)) return "edit";
  const no = /^(n|no)(\s+(.*))?$/is.exec(text);
  if (no) return { decision: "reject", ...(no[3]?.trim() && { message: no[3].trim() }) };
  return null;
}

/** The line that ends a file's new text when the person edits a write at the terminal. */
const END_OF_TEXT = ".";
/** The prompt of each line of a file's new text. */
const TEXT_PROMPT = "  | ";

/**
 * Asks on a terminal. NOTE: one readline over `input` for the whole run (close() it at the end);
 * a question the loop no longer wants (stop, time-out) is cancelled through its signal.
 */
export function terminalApprover(
  input: Readable,
  output: Writable,
): { approve: Approver; close(): void } {
  let lines: Interface | undefined;
  const ask = (prompt: string, signal: AbortSignal) => {
    lines ??= createInterface({ input, output, terminal: false });
    return lines.question(prompt, { signal });
  };
  const approve: Approver = async (request, signal) => {
    const what = request.input.tool === "run_command" ? "$ " : `write ${request.input.path}:\n`;
    const why =
      request.asked.because === "every"
        ? "approval mode asks about every command"
        : `the policy cannot judge it: ${request.asked.part} — ${request.asked.reason}`;
    const wait = request.timeoutSeconds > 0 ? `, rejected in ${request.timeoutSeconds} s` : "";
    output.write(
      `\n  [${request.step}] waiting for you (${why}${wait}):\n  ${what}${inputText(request.input)}\n`,
    );
    for (;;) {
      const answer = readAnswer(
        await ask("  run it? y / n [message to the agent] / e to edit: ", signal),
      );
      if (answer === null) continue;
      if (answer !== "edit") return answer;
      if (request.input.tool === "run_command") {
        const text = await ask("  command to run instead (empty: ask again): ", signal);
        if (text.trim() === "") continue;
        return { decision: "edit", text };
      }
      output.write(`  the file's new text, ended by a line with only "${END_OF_TEXT}":\n`);
      const text: string[] = [];
      for (
        let line = await ask(TEXT_PROMPT, signal);
        line !== END_OF_TEXT;
        line = await ask(TEXT_PROMPT, signal)
      )
        text.push(line);
      return { decision: "edit", text: text.map((l) => `${l}\n`).join("") };
    }
  };
  return { approve, close: () => lines?.close() };
}
