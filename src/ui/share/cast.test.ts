// The cast export: valid asciicast v2 (a header line, then [seconds, "o", text] lines in time order).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { restoreRun } from "../../domain/run";
import fixture from "../../domain/fixtures/runs/oracle-nginx-reports-403.json";
import { render } from "../run/terminal-text";
import { runCast } from "./cast";

const ASCIINEMA = "/usr/bin/asciinema";
const SCRIPT = "/usr/bin/script";

describe("runCast", () => {
  const record = restoreRun(fixture);
  const cast = runCast(record);
  const [head, ...rest] = cast.trimEnd().split("\n");

  it("is asciicast v2: a header, then output events with times from the run", () => {
    const header = JSON.parse(head!) as Record<string, unknown>;
    expect(header).toMatchObject({ version: 2, width: 120, height: 32 });
    expect(typeof header.timestamp).toBe("number");
    const frames = rest.map((line) => JSON.parse(line) as [number, string, string]);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    let last = 0;
    for (const [time, kind, data] of frames) {
      expect(kind).toBe("o");
      expect(time).toBeGreaterThanOrEqual(last);
      expect(typeof data).toBe("string");
      last = time;
    }
    expect(last).toBeLessThanOrEqual(record.outcome.durationMs / 1000);
    expect(frames.map((f) => f[2]).join("")).toBe(record.events.map(render).join(""));
  });

  // NOTE: asciinema wants a terminal; script(1) gives it one. Debian: apt-get install asciinema.
  it.skipIf(!existsSync(ASCIINEMA) || !existsSync(SCRIPT))("plays in asciinema", () => {
    const file = join(mkdtempSync(join(tmpdir(), "cast-")), "run.cast");
    writeFileSync(file, cast);
    const out = execFileSync(SCRIPT, ["-qec", `${ASCIINEMA} play -s 100 ${file}`, "/dev/null"], {
      encoding: "utf8",
      timeout: 20_000,
    });
    const command = record.events.find(
      (e) => e.type === "tool-call" && e.input.tool === "run_command",
    );
    expect(command?.type === "tool-call" && command.input.tool === "run_command").toBe(true);
    if (command?.type === "tool-call" && command.input.tool === "run_command") {
      expect(out).toContain(command.input.command.split("\n")[0]);
    }
  });
});
