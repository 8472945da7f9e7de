// Unit tests of the verification log: written whole, read back, a damaged file reported and skipped.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { longestFirst, readVerifyLog, writeVerifyRecord } from "./verify-log";

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("verify log", () => {
  it("keeps each task's last verification and reports a damaged file without losing the rest", async () => {
    dir = await mkdtemp(join(tmpdir(), "verify-log-"));
    expect((await readVerifyLog(join(dir, "none"))).records.size).toBe(0);
    const base = { folderHash: "h", verifiedAt: "2026-12-03T18:00:00Z", repeat: 3, ok: true };
    await writeVerifyRecord({ id: "a", ...base, setupMs: 1 }, dir);
    await writeVerifyRecord({ id: "a", ...base, setupMs: 2 }, dir);
    await writeVerifyRecord({ id: "b", ...base, ok: false }, dir);
    await writeFile(join(dir, "c.json"), "{ not json");
    const { records, errors } = await readVerifyLog(dir);
    expect([...records.keys()]).toEqual(["a", "b"]);
    expect(records.get("a")?.setupMs).toBe(2);
    expect(errors).toEqual([expect.stringMatching(/c\.json: not a verification record; verify/)]);
    await expect(writeVerifyRecord({ id: "../x", ...base }, dir)).rejects.toThrow();
  });

  it("orders tasks to verify longest first, those with no figure before all, ties as given", () => {
    const base = { folderHash: "h", verifiedAt: "2026-12-03T18:00:00Z", repeat: 1, ok: true };
    const records = new Map([
      ["short", { id: "short", ...base, roundMs: 10_000 }],
      ["long", { id: "long", ...base, roundMs: 250_000 }],
      ["tie", { id: "tie", ...base, roundMs: 10_000 }],
      ["old", { id: "old", ...base }],
    ]);
    const folders = ["tasks/a/short", "tasks/b/long/", "tasks/c/new", "tasks/a/tie", "old"];
    expect(longestFirst(folders, records).map(({ folder }) => folder)).toEqual([
      "tasks/c/new",
      "old",
      "tasks/b/long/",
      "tasks/a/short",
      "tasks/a/tie",
    ]);
    expect(longestFirst(folders, records)[0]).toEqual({ folder: "tasks/c/new", index: 2 });
    expect(longestFirst([], records)).toEqual([]);
  });
});
