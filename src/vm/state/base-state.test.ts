// Unit tests of zstd unpacking as the page does it: whole frames, and patches made as the build makes them (zstd's CLI).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unzstd, unzstdPatch } from "./base-state";

const dir = mkdtempSync(join(tmpdir(), "base-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bytes that do not compress on their own (xorshift), so that a patch is small only by the base. */
function noise(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** zstd's CLI on `input` (written to a file, so that the frame records its size) with `args`. */
function zstdCli(input: Uint8Array, args: string[]): Uint8Array {
  writeFileSync(join(dir, "in"), input);
  execFileSync("zstd", ["-q", "-f", ...args, join(dir, "in"), "-o", join(dir, "out.zst")]);
  return new Uint8Array(readFileSync(join(dir, "out.zst")));
}

const base = noise(256 * 1024, 7);
// The task's state: the base with a page changed and 100 bytes put in, which shifts what follows.
const state = new Uint8Array(base.byteLength + 100);
state.set(base.subarray(0, 8192));
state.set(noise(4096, 99), 8192);
state.set(noise(100, 5), 12288);
state.set(base.subarray(12288), 12388);

describe("unzstd", () => {
  it("unpacks a frame zstd's CLI made", async () => {
    expect(await unzstd(zstdCli(state, ["-3"]))).toEqual(state);
  });
});

describe("unzstdPatch", () => {
  writeFileSync(join(dir, "base"), base);
  const patch = zstdCli(state, ["-19", `--patch-from=${join(dir, "base")}`]);

  it("rebuilds the state from a patch against the base, which holds only what differs", async () => {
    expect(patch.byteLength).toBeLessThan(8 * 1024);
    expect(await unzstdPatch(patch, base)).toEqual(state);
  });

  it("throws, rather than rebuilding a wrong state, against another base or when corrupt", async () => {
    await expect(unzstdPatch(patch, noise(base.byteLength, 8))).rejects.toThrow();
    const corrupt = patch.slice();
    corrupt[corrupt.length - 10]! ^= 0xff;
    await expect(unzstdPatch(corrupt, base)).rejects.toThrow();
  });
});
