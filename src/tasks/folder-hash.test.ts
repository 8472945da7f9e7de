// The task folder hash: the same for every task whichever loader read it, and changed by any byte or name.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { taskFolderHash } from "./folder-hash";
import { loadCatalogue } from "./node-loader";
import { catalogueFromFiles } from "./task-files";

/** The page's way: every task file bundled as text by the bundler, as src/app/services.ts does. */
const PAGE_FILES = import.meta.glob<string>("/tasks/*/*/**/*", {
  query: "?raw",
  import: "default",
  eager: true,
});
const PAGE_MODULES = import.meta.glob<unknown>("/tasks/*/*/tests/cloud-checks.ts", {
  import: "default",
  eager: true,
});

describe("taskFolderHash", () => {
  it("is the same for every task in Node's loader and the page's", async () => {
    const node = await loadCatalogue(resolve(import.meta.dirname, "../../tasks"));
    const page = catalogueFromFiles(PAGE_FILES, PAGE_MODULES);
    expect(node.errors).toEqual([]);
    expect(page.errors).toEqual([]);
    expect(node.tasks.length).toBeGreaterThanOrEqual(30);
    const pageHashes = Object.fromEntries(page.tasks.map((t) => [t.meta.id, t.folderHash]));
    for (const task of node.tasks) {
      expect(task.folderHash, task.meta.id).toMatch(/^[0-9a-f]{64}$/);
      expect(pageHashes[task.meta.id], task.meta.id).toBe(task.folderHash);
    }
    expect(new Set(node.tasks.map((t) => t.folderHash)).size).toBe(node.tasks.length);
  });

  it("changes with a byte, a file's name or a new file, not with the order files arrive in", () => {
    const base = new Map<string, string | Uint8Array>([
      ["task.toml", "id = 1\n"],
      ["tests/check.sh", "echo PASS: ok\n"],
    ]);
    const hash = taskFolderHash(base);
    const reversed = new Map([...base].reverse());
    expect(taskFolderHash(reversed)).toBe(hash);
    expect(taskFolderHash(new Map([...base, ["task.toml", "id = 2\n"]]))).not.toBe(hash);
    expect(taskFolderHash(new Map([...base, ["tests/extra.sh", ""]]))).not.toBe(hash);
    const renamed = new Map([
      ["task.toml", "id = 1\n"],
      ["tests/check2.sh", "echo PASS: ok\n"],
    ]);
    expect(taskFolderHash(renamed)).not.toBe(hash);
    const bytes = new Map([...base].map(([k, v]) => [k, new TextEncoder().encode(v as string)]));
    expect(taskFolderHash(bytes)).toBe(hash);
    expect(taskFolderHash(new Map([...base, [".hidden", "x"]]))).toBe(hash);
  });
});
