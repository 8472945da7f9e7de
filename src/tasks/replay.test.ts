// Unit tests of reading a replay's events to their end.
import { describe, expect, it } from "vitest";
import { lastEvent } from "./replay";

async function* events<E>(...all: E[]): AsyncGenerator<E> {
  for (const event of all) yield event;
}

describe("lastEvent", () => {
  it("tells each event as it comes and returns the last", async () => {
    const seen: string[] = [];
    const last = await lastEvent(events({ type: "readying" }, { type: "report" }), (e) =>
      seen.push(e.type),
    );
    expect(seen).toEqual(["readying", "report"]);
    expect(last).toEqual({ type: "report" });
  });

  it("returns a stop's event when there was none", async () => {
    expect(await lastEvent(events())).toEqual({ type: "stopped" });
  });
});
