// What the agent is told: the system prompt and the task as its first message.
import { TEXT_PROTOCOL_RULES } from "./text-protocol";

const BASE_PROMPT = `You are an experienced Linux system administrator working on a ticket.
You are root on a Debian 12 (i386) machine with systemd. Investigate before you change anything,
fix the cause rather than the symptom, keep everything else working, and check your fix before
you finish. Commands run non-interactively (no stdin, no pagers, no editors: use tee, sed, cat
with heredocs, or the write_file tool). Keep commands short-running; a command that hangs is killed.`;

export function systemPrompt(toolMode: "native" | "text"): string {
  return toolMode === "text" ? `${BASE_PROMPT}\n\n${TEXT_PROTOCOL_RULES}` : BASE_PROMPT;
}

/** The first message: the ticket, and for a fork the history of the steps before it (fork-brief.ts). */
export function taskMessage(instruction: string, history?: string): string {
  const ticket = `Here is the ticket:\n\n${instruction.trim()}`;
  return history ? `${ticket}\n\n${history.trim()}` : ticket;
}
