// The plain-text protocol for models without tool calls: one fenced command per reply, or FINISH.
import type { ToolCallRequest } from "./llm";

export const TEXT_PROTOCOL_RULES = `You have no tool calls. Act through your replies, one action per reply:
- To run a command, end your reply with exactly one fenced block:
\`\`\`bash
<the command>
\`\`\`
  You will get its exit code and output in the next message.
- When the task is done and checked (or you cannot go further), write a line
FINISH: <a short summary of what you found and changed>
  and no command block.`;

const FENCE = /```(?:bash|sh|shell|console)?[ \t]*\n([\s\S]*?)```/g;
const FINISH = /^\s*FINISH:\s*(.*)$/im;

/** Reads the model's reply: the last fenced command, or FINISH, becomes a tool call. */
export function parseTextReply(text: string, callId: string): ToolCallRequest | null {
  const blocks = [...text.matchAll(FENCE)].map((m) => (m[1] ?? "").trim()).filter(Boolean);
  const command = blocks.at(-1);
  if (command) {
    return { id: callId, name: "run_command", argumentsJson: JSON.stringify({ command }) };
  }
  const finish = FINISH.exec(text);
  if (finish) {
    return {
      id: callId,
      name: "finish",
      argumentsJson: JSON.stringify({ summary: (finish[1] ?? "").trim() }),
    };
  }
  return null;
}

export const TEXT_PROTOCOL_REMINDER =
  "Your reply had no command block and no FINISH line. Reply with one ```bash fenced command, or FINISH: <summary>.";
