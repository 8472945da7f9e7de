// A task's instruction as a ticket: paragraphs reflowed, list items and `code` kept.
import type { ReactNode } from "react";

const LIST_ITEM = /^\s*([-*]|\d+\.)\s+/;

/** Inline `code` spans of a line. */
function inline(text: string): ReactNode[] {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) =>
      part.startsWith("`") && part.endsWith("`") && part.length > 1 ? (
        <code key={i}>{part.slice(1, -1)}</code>
      ) : (
        part
      ),
    );
}

export function Ticket({ text }: { text: string }) {
  const blocks = text.trim().split(/\n\s*\n/);
  return (
    <div className="instruction" data-testid="instruction">
      {blocks.map((block, i) => {
        const lines = block.split("\n");
        if (lines.every((line) => LIST_ITEM.test(line) || /^\s{2,}\S/.test(line))) {
          return (
            <ul key={i}>
              {lines
                .join("\n")
                .split(/\n(?=\s*(?:[-*]|\d+\.)\s)/)
                .map((item, j) => (
                  <li key={j}>{inline(item.replace(LIST_ITEM, "").replace(/\s*\n\s*/g, " "))}</li>
                ))}
            </ul>
          );
        }
        return <p key={i}>{inline(lines.map((l) => l.trim()).join(" "))}</p>;
      })}
    </div>
  );
}
