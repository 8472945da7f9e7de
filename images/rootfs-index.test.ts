// Unit tests of the 9p index built from tar entries.
import { describe, expect, it } from "vitest";
import {
  blobNames,
  buildRootfsIndex,
  contentHash,
  normalisePath,
  renameBlobs,
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
