// Unit tests of the 9p fetch watcher against a file system of the shape v86 0.5.462 has.
import { describe, expect, it } from "vitest";
import { watchFileFetches, type FileFetch, type V86FileSystem } from "./file-fetches";

const ON_STORAGE = 2;
const IN_MEMORY = 0;

/** / with /usr/bin/dig (on the server), /etc/hosts (written by the guest) and a second name for dig. */
function makeFs(): V86FileSystem & { reads: number[] } {
  const fs = {
    reads: [] as number[],
    inodes: [
      {
        status: IN_MEMORY,
        size: 0,
        direntries: new Map([
          [".", 0],
          ["..", 0],
          ["usr", 1],
          ["etc", 3],
        ]),
      },
      {
        status: IN_MEMORY,
        size: 0,
        direntries: new Map([
          ["..", 0],
          ["bin", 2],
        ]),
      },
      {
        status: IN_MEMORY,
        size: 0,
        direntries: new Map([
          ["dig", 4],
          ["dig-again", 4],
        ]),
      },
      { status: IN_MEMORY, size: 0, direntries: new Map([["hosts", 5]]) },
      { status: ON_STORAGE, size: 300, sha256sum: "abc.zst" },
      { status: IN_MEMORY, size: 20 },
    ],
    Read(inodeId: number): Promise<Uint8Array | null> {
      fs.reads.push(inodeId);
      return Promise.resolve(new Uint8Array(1));
    },
  };
  return fs;
}

describe("watchFileFetches", () => {
  it("reports an image file's first read with its path, size and blob, then passes reads on", async () => {
    const fs = makeFs();
    const fetches: FileFetch[] = [];
    expect(watchFileFetches(fs, (f) => fetches.push(f))).toBe(true);
    await fs.Read(4, 0, 100);
    await fs.Read(4, 100, 100);
    expect(fetches).toEqual([{ path: "/usr/bin/dig", bytes: 300, blob: "abc.zst" }]);
    expect(fs.reads).toEqual([4, 4]);
  });

  it("ignores files whose content is already in the emulator", async () => {
    const fs = makeFs();
    const fetches: FileFetch[] = [];
    watchFileFetches(fs, (f) => fetches.push(f));
    await fs.Read(5, 0, 20);
    expect(fetches).toEqual([]);
  });

  it("finds files created after it started watching", async () => {
    const fs = makeFs();
    const fetches: FileFetch[] = [];
    watchFileFetches(fs, (f) => fetches.push(f));
    await fs.Read(4, 0, 1);
    fs.inodes.push({ status: ON_STORAGE, size: 7, sha256sum: "def.zst" });
    fs.inodes[3]!.direntries!.set("moved", 6);
    await fs.Read(6, 0, 1);
    expect(fetches.map((f) => f.path)).toEqual(["/usr/bin/dig", "/etc/moved"]);
  });

  it("declines an object that is not v86's file system", () => {
    expect(watchFileFetches(undefined, () => undefined)).toBe(false);
    expect(watchFileFetches({ inodes: [] }, () => undefined)).toBe(false);
  });
});
