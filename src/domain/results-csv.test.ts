// Unit tests of the results CSV: columns, quoting, formulas kept as text.
import { describe, expect, it } from "vitest";
import { csvField, runsToCsv } from "./results-csv";
import { makeRun } from "./run-builders";

/** A small RFC 4180 reader, to check that what is written reads back field for field. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if (quoted && c === '"' && next === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && next === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

describe("results CSV", () => {
  it("quotes what needs it and nothing else", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField(3.5)).toBe("3.5");
    expect(csvField(-2)).toBe("-2");
    expect(csvField(null)).toBe("");
    expect(csvField('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(" padded")).toBe('" padded"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("-cmd, x")).toBe(`"'-cmd, x"`);
  });

  it("writes one line per run under the header, and reads back field for field", () => {
    const tricky = makeRun({
      id: "b",
      task: { id: "t,1", title: "T", domain: "sysadmin", difficulty: "hard" },
      agent: {
        provider: "openai",
        model: 'gpt "x"\nnew',
        toolMode: "native",
        reasoning: { effort: "high" },
      },
      limits: { ...makeRun().limits, policy: { preset: "read-only", deny: ["kill *, -9"] } },
      events: [
        ...makeRun().events,
        {
          type: "tool-result",
          atMs: 1,
          step: 1,
          callId: "z",
          outcome: { kind: "refused", part: "kill", reason: "denied", unjudged: false },
        },
      ],
    });
    const rows = readCsv(runsToCsv([makeRun(), tricky]));
    expect(rows[0]).toEqual([
      "date",
      "task",
      "domain",
      "difficulty",
      "provider",
      "model",
      "policy",
      "effort",
      "verdict",
      "steps",
      "commands",
      "refused",
      "tokens",
      "cost_usd",
      "duration_s",
      "reason",
    ]);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([
      "2026-01-01T00:00:00.000Z",
      "t",
      "sysadmin",
      "easy",
      "p",
      "m",
      "none",
      "off",
      "not graded",
      "1",
      "1",
      "0",
      "55",
      "0.01",
      "0",
      "finished",
    ]);
    expect(rows[2]?.slice(1, 9)).toEqual([
      "t,1",
      "sysadmin",
      "hard",
      "openai",
      'gpt "x"\nnew',
      "read-only deny[kill *, -9]",
      "high",
      "not graded",
    ]);
    expect(rows[2]?.[11]).toBe("1");
  });
});
