// Unit tests of reading the grader's notes while it runs.
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeVm } from "../../vm/fake-vm";
import { GRADER_NOTES_POLL_MS, watchGraderNotes } from "./progress";

describe("watchGraderNotes", () => {
  afterEach(() => vi.useRealTimers());

  it("reports each change of the notes file while it runs, nothing once stopped", async () => {
    vi.useFakeTimers();
    const vm = new FakeVm();
    const seen: unknown[] = [];
    const stop = watchGraderNotes(vm, "/run/g/progress", (notes) => seen.push(notes));
    await vi.advanceTimersByTimeAsync(GRADER_NOTES_POLL_MS); // no file yet: skipped
    await vm.writeFile("/run/g/progress", "check\tfirst\n");
    await vi.advanceTimersByTimeAsync(GRADER_NOTES_POLL_MS);
    await vi.advanceTimersByTimeAsync(GRADER_NOTES_POLL_MS); // unchanged: not reported again
    await vm.writeFile("/run/g/progress", "check\tfirst\ncheck\tsecond\n");
    await vi.advanceTimersByTimeAsync(GRADER_NOTES_POLL_MS);
    await stop();
    await vm.writeFile("/run/g/progress", "check\tfirst\ncheck\tsecond\ncheck\tthird\n");
    await vi.advanceTimersByTimeAsync(GRADER_NOTES_POLL_MS * 3);
    expect(seen).toEqual([
      { doing: { kind: "check", text: "first" }, checkNumber: 1 },
      { doing: { kind: "check", text: "second" }, checkNumber: 2 },
    ]);
  });
});
