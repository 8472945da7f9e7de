// Prints a result as a table (lists: one row per item; objects: one line per field) or as JSON.
import type { OutputFormat } from "./parse";

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(cell).join(",");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${cell(v)}`)
      .join(",");
  }
  return String(value);
}

function table(rows: Record<string, unknown>[], columns: string[]): string {
  const header = columns.map((c) => c.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase());
  const body = rows.map((row) => columns.map((c) => cell(row[c])));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...body.map(line)].join("\n") + "\n";
}

function fields(object: Record<string, unknown>): string {
  const entries = Object.entries(object);
  const width = Math.max(...entries.map(([k]) => k.length)) + 1;
  return (
    entries
      .map(([key, value]) => {
        if (Array.isArray(value) && value.some((v) => typeof v === "object" && v !== null)) {
          const rows = value as Record<string, unknown>[];
          const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
          return `${key}:\n${table(rows, columns)
            .trimEnd()
            .split("\n")
            .map((l) => `  ${l}`)
            .join("\n")}`;
        }
        return `${`${key}:`.padEnd(width)} ${cell(value)}`.trimEnd();
      })
      .join("\n") + "\n"
  );
}

export function formatResult(
  result: unknown,
  output: OutputFormat,
  columns: string[] | undefined,
): string {
  if (output === "json") return JSON.stringify(result, null, 2) + "\n";
  if (typeof result !== "object" || result === null) return `${String(result)}\n`;
  const record = result as Record<string, unknown>;
  if (typeof record.text === "string" && Object.keys(record).length === 1)
    return record.text ? `${record.text}\n` : "";
  if (Array.isArray(record.items)) {
    const rows = record.items as Record<string, unknown>[];
    return table(rows, columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))]);
  }
  return fields(record);
}
