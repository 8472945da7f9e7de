// Prints a result as a table (lists: one row per item; objects: one line per field), as JSON, or as text
// (values only: what a script reads without a JSON parser).
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

/** Every key of the rows, in the order first seen: a table's columns when the action names none. */
function columnsOf(rows: Record<string, unknown>[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r)))];
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
          return `${key}:\n${table(rows, columnsOf(rows))
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

/**
 * The text output (as the AWS CLI's): a scalar as it is (null as None); a list of scalars, or an object's
 * scalar values, on one line separated by tabs; a list of lists or objects one line per element (and an
 * object's nested values each on lines of their own after its scalars).
 */
function text(value: unknown): string[] {
  const scalar = (v: unknown) => v === null || v === undefined || typeof v !== "object";
  const word = (v: unknown) => (v === null || v === undefined ? "None" : String(v));
  if (scalar(value)) return [word(value)];
  const values = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  const flat = values.filter(scalar);
  const nested = values.filter((v) => !scalar(v));
  if (Array.isArray(value) && flat.length && nested.length) return values.flatMap(text);
  return [...(flat.length ? [flat.map(word).join("\t")] : []), ...nested.flatMap(text)];
}

export function formatResult(
  result: unknown,
  output: OutputFormat,
  columns: string[] | undefined,
): string {
  if (output === "json") return JSON.stringify(result, null, 2) + "\n";
  if (output === "text") {
    const lines = text(result);
    return lines.length ? `${lines.join("\n")}\n` : "";
  }
  if (typeof result !== "object" || result === null) return `${String(result)}\n`;
  if (Array.isArray(result)) {
    // What --query selected: objects as a table, anything else one value a line.
    if (result.every((r) => typeof r === "object" && r !== null && !Array.isArray(r)))
      return result.length ? table(result, columnsOf(result)) : "";
    return result.map((r) => `${cell(r)}\n`).join("");
  }
  const record = result as Record<string, unknown>;
  if (typeof record.text === "string" && Object.keys(record).length === 1)
    return record.text ? `${record.text}\n` : "";
  if (Array.isArray(record.items)) {
    const rows = record.items as Record<string, unknown>[];
    return table(rows, columns ?? columnsOf(rows));
  }
  return fields(record);
}
