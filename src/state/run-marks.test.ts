import { afterEach, describe, expect, it } from "vitest";
import { markRun, RUN_MARKS } from "./run-marks";

describe("markRun", () => {
  afterEach(() => performance.clearMarks());

  it("puts the milestone on the performance timeline", () => {
    markRun(RUN_MARKS.start);
    markRun(RUN_MARKS.agentStart);
    const names = performance.getEntriesByType("mark").map((m) => m.name);
    expect(names).toEqual(["opslab:run-start", "opslab:agent-start"]);
  });
});
