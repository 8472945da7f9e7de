// Unit tests of the 9p index built from tar entries.
import { describe, expect, it } from "vitest";
import {
  blobNames,
  buildRootfsIndex,
  contentHash,
  editIndex,
  normalisePath,
  renameBlobs,
  treeBytes,
  type IndexNode,
  type TreeEntry,
} from "./rootfs-index";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const base = { uid: 0, gid: 0, mtime: 1_700_000_000 };

describe("normalisePath", () => {
  it("drops ./ prefixes, trailing and doubled slashes", () => {
    expect(normalisePath("./etc/")).toBe("etc");
    expect(normalisePath("./")).toBe("");
    expect(normalisePath("usr//bin/./x")).toBe("usr/bin/x");
  });
});

describe("buildRootfsIndex", () => {
  const entries: TreeEntry[] = [
    { kind: "dir", path: "./", mode: 0o755, ...base },
    { kind: "dir", path: "./etc/", mode: 0o755, ...base },
    { kind: "file", path: "./etc/hostname", mode: 0o644, ...base, data: bytes("opslab\n") },
    { kind: "file", path: "./usr/bin/passwd", mode: 0o4755, ...base, uid: 0, data: bytes("ELF") },
    {
      kind: "hardlink",
      path: "./usr/bin/passwd2",
      mode: 0o4755,
      ...base,
      target: "./usr/bin/passwd",
    },
    { kind: "symlink", path: "./bin", mode: 0o777, ...base, target: "usr/bin" },
    { kind: "dir", path: "./tmp/", mode: 0o1777, ...base },
  ];
  const { index, contents, files } = buildRootfsIndex(entries);

  it("nests nodes under their directories, sorted by name, with type bits in the mode", () => {
    expect(index.version).toBe(3);
    expect(index.fsroot.map((n) => n[0])).toEqual(["bin", "etc", "tmp", "usr"]);
    const [bin, etc, tmp] = index.fsroot;
    expect(bin).toEqual(["bin", 7, base.mtime, 0o120777, 0, 0, "usr/bin"]);
    expect(tmp?.[3]).toBe(0o041777);
    expect(etc?.[6]).toEqual([
      ["hostname", 7, base.mtime, 0o100644, 0, 0, contentHash(bytes("opslab\n"))],
    ]);
  });

  it("makes parent directories that the tar did not list", () => {
    const usr = index.fsroot[3];
    expect(usr?.[3]).toBe(0o040755);
    expect((usr?.[6] as unknown[][])[0]?.[0]).toBe("bin");
  });

  it("turns hard links into files that share the blob, keeping setuid bits", () => {
    expect(files.get("usr/bin/passwd2")).toBe(files.get("usr/bin/passwd"));
    expect(contents.size).toBe(2);
    expect(index.size).toBe(7 + 3 + 3);
  });

  it("renames blobs for serving without touching links or directories", () => {
    const served = renameBlobs(index, (hash) => `${hash}.zst`);
    expect(served.fsroot[0]?.[6]).toBe("usr/bin");
    expect((served.fsroot[1]?.[6] as unknown[][])[0]?.[6]).toBe(
      `${contentHash(bytes("opslab\n"))}.zst`,
    );
  });

  it("lists the blobs that files use, and not link targets", () => {
    const served = renameBlobs(index, (hash) => `${hash}.zst`);
    expect(blobNames(served)).toEqual(
      new Set([`${contentHash(bytes("opslab\n"))}.zst`, `${contentHash(bytes("ELF"))}.zst`]),
    );
  });

  it("names a hard link to a missing file in its error", () => {
    expect(() =>
      buildRootfsIndex([{ kind: "hardlink", path: "a", mode: 0o644, ...base, target: "missing" }]),
    ).toThrow(/hard link a points at missing/);
  });
});

describe("editIndex", () => {
  const tree: TreeEntry[] = [
    { kind: "dir", path: "etc", mode: 0o755, ...base },
    { kind: "file", path: "etc/hostname", mode: 0o644, ...base, data: bytes("opslab\n") },
    { kind: "file", path: "etc/motd", mode: 0o644, ...base, data: bytes("hi\n") },
    { kind: "dir", path: "lib/modules/6.1", mode: 0o755, ...base },
    { kind: "file", path: "lib/modules/6.1/a.ko", mode: 0o644, ...base, data: bytes("A") },
  ];
  const { index } = buildRootfsIndex(tree);
  const later = { uid: 0, gid: 0, mtime: base.mtime + 5 };

  it("replaces files, adds new ones in name order, and keeps a directory's children", () => {
    const { index: edited, contents } = editIndex(index, [
      { kind: "dir", path: "etc", mode: 0o750, ...later },
      { kind: "file", path: "etc/hostname", mode: 0o600, ...later, data: bytes("new\n") },
      { kind: "file", path: "etc/issue", mode: 0o644, ...later, data: bytes("Debian\n") },
      { kind: "symlink", path: "etc/localtime", mode: 0o777, ...later, target: "/usr/share/UTC" },
    ]);
    const etc = edited.fsroot.find(([name]) => name === "etc");
    expect(etc?.slice(0, 6)).toEqual(["etc", 0, later.mtime, 0o040750, 0, 0]);
    expect((etc?.[6] as IndexNode[]).map((n) => n[0])).toEqual([
      "hostname",
      "issue",
      "localtime",
      "motd",
    ]);
    expect((etc?.[6] as IndexNode[])[0]).toEqual([
      "hostname",
      4,
      later.mtime,
      0o100600,
      0,
      0,
      contentHash(bytes("new\n")),
    ]);
    expect([...contents.keys()]).toEqual([
      contentHash(bytes("new\n")),
      contentHash(bytes("Debian\n")),
    ]);
    expect(edited.size).toBe(treeBytes(edited));
    expect(edited.size).toBe(4 + 7 + 3 + 1);
  });

  it("gives the same index as a build from the edited tree", () => {
    const entries: TreeEntry[] = [
      { kind: "file", path: "etc/motd", mode: 0o644, ...base, data: bytes("bye\n") },
    ];
    const rebuilt = buildRootfsIndex([...tree.slice(0, 2), ...entries, ...tree.slice(3)]).index;
    expect(editIndex(index, entries).index).toEqual(rebuilt);
  });

  it("takes a subtree out before putting the new one in, and leaves the original alone", () => {
    const { index: edited } = editIndex(
      index,
      [{ kind: "file", path: "lib/modules/6.1/b.ko", mode: 0o644, ...base, data: bytes("BB") }],
      ["lib/modules/6.1"],
    );
    const modules = (edited.fsroot.find(([n]) => n === "lib")?.[6] as IndexNode[])[0];
    expect((modules?.[6] as IndexNode[])[0]?.[6]).toEqual([
      ["b.ko", 2, base.mtime, 0o100644, 0, 0, contentHash(bytes("BB"))],
    ]);
    expect(treeBytes(index)).toBe(7 + 3 + 1);
  });
});
