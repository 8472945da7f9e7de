// Unit tests of the history's fork tree: forks under their parents, orphans kept in place, cycles broken.
import { describe, expect, it } from "vitest";
import { makeRun } from "../domain/run-builders";
import { branchOrder } from "./fork-tree";

const run = (id: string, parent?: string) =>
  makeRun({ id, ...(parent && { forkedFrom: { runId: parent, step: 2 } }) });
const shape = (rows: ReturnType<typeof branchOrder>) =>
  rows.map((r) => `${"  ".repeat(r.depth)}${r.run.id}${r.parent ? `<${r.parent.id}` : ""}`);

describe("branchOrder", () => {
  it("puts each fork under its parent, forks of forks deeper, newest-first order kept otherwise", () => {
    const runs = [run("f2", "a"), run("b"), run("ff", "f1"), run("f1", "a"), run("a")];
    expect(shape(branchOrder(runs))).toEqual(["b", "a", "  f2<a", "  f1<a", "    ff<f1"]);
  });

  it("keeps a fork whose parent is not listed at the top level, and breaks a forged cycle", () => {
    expect(shape(branchOrder([run("f", "gone"), run("x")]))).toEqual(["f", "x"]);
    expect(shape(branchOrder([run("p", "q"), run("q", "p"), run("s", "s")]))).toEqual([
      "s",
      "p",
      "  q<p",
    ]);
  });
});
