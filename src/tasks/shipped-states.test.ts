// Unit tests of shipped task states: looked up by key, checked by hash, refused when corrupt or for another base.
import { describe, expect, it } from "vitest";
import { rebuildState, StateRebuildError } from "../vm/state/rebuild";
import {
  parseShippedManifest,
  sha256Hex,
  SHIPPED_MANIFEST_VERSION,
  ShippedStateError,
  ShippedTaskStates,
  type ShippedStatesSource,
} from "./shipped-states";

const BASE_FILE = "state-0123456789abcdef.zst";
const base = Uint8Array.from({ length: 64 }, (_, i) => i * 3);
const task = Uint8Array.from({ length: 64 }, (_, i) => i * 5);
/** Tests pack nothing: a "patch" is the state XOR the base, and unpatching XORs it back. */
const xorBase = async (bytes: Uint8Array, against: Uint8Array) =>
  bytes.map((byte, i) => byte ^ against[i % against.length]!);
const packed = await xorBase(task, base);

async function site(
  overrides: { file?: Uint8Array; baseFile?: string; manifest?: unknown } = {},
): Promise<ShippedStatesSource & { fetched: string[] }> {
  const hash = await sha256Hex(packed);
  const file = `${hash.slice(0, 16)}.zst`;
  const manifest =
    "manifest" in overrides
      ? overrides.manifest
      : {
          version: SHIPPED_MANIFEST_VERSION,
          base: BASE_FILE,
          states: {
            "task-a": {
              file,
              bytes: packed.byteLength,
              sha256: hash,
              stateBytes: task.byteLength,
              stateSha256: await sha256Hex(task),
            },
          },
        };
  const fetched: string[] = [];
  return {
    fetched,
    manifest: async () => manifest,
    file: async (name) => {
      fetched.push(name);
      if (name !== file) throw new Error("404");
      return overrides.file ?? packed;
    },
    baseFile: async () => overrides.baseFile ?? BASE_FILE,
    rebuild: (bytes) => rebuildState(base, bytes, xorBase),
  };
}

describe("ShippedTaskStates", () => {
  it("rebuilds the state shipped for a key, and says how many bytes came down", async () => {
    const shipped = new ShippedTaskStates(await site());
    const got = await shipped.get("task-a");
    expect(new Uint8Array(got!.state)).toEqual(task);
    expect(got!.downloadedBytes).toBe(packed.byteLength);
  });

  it("finds nothing, and downloads nothing, for a key not in the manifest", async () => {
    const source = await site();
    expect(await new ShippedTaskStates(source).get("task-b")).toBeUndefined();
    expect(source.fetched).toEqual([]);
  });

  it("finds nothing when the site ships no manifest or one it cannot read", async () => {
    for (const manifest of [undefined, "<html>", { version: 1, base: BASE_FILE, states: {} }]) {
      const source = await site({ manifest });
      expect(await new ShippedTaskStates(source).get("task-a")).toBeUndefined();
    }
  });

  it("refuses a corrupt or truncated file: its hash differs", async () => {
    const corrupt = packed.slice();
    corrupt[10] = (corrupt[10] ?? 0) ^ 1;
    for (const file of [corrupt, packed.subarray(0, packed.byteLength - 5)]) {
      const shipped = new ShippedTaskStates(await site({ file }));
      await expect(shipped.get("task-a")).rejects.toThrow(ShippedStateError);
      await expect(shipped.get("task-a")).rejects.toThrow(/hash differs/);
    }
  });

  it("refuses a state made against another base than the page booted", async () => {
    const shipped = new ShippedTaskStates(await site({ baseFile: "state-fedcba9876543210.zst" }));
    await expect(shipped.get("task-a")).rejects.toThrow(/was made against/);
  });

  it("refuses a state that rebuilds to another hash (a wrong manifest entry)", async () => {
    const source = await site();
    const manifest = (await source.manifest()) as {
      states: Record<string, { stateSha256: string }>;
    };
    manifest.states["task-a"]!.stateSha256 = "0".repeat(64);
    await expect(new ShippedTaskStates(source).get("task-a")).rejects.toThrow(/another state/);
  });

  it("refuses a patch that does not unpack against the base, saying so", async () => {
    const source = await site();
    source.rebuild = () => Promise.reject(new StateRebuildError("checksum wrong"));
    const got = new ShippedTaskStates(source).get("task-a");
    await expect(got).rejects.toBeInstanceOf(ShippedStateError);
    await expect(got).rejects.toThrow(/did not unpack \(checksum wrong\)/);
  });

  it("reads only well-formed manifest entries", () => {
    const manifest = parseShippedManifest({
      version: SHIPPED_MANIFEST_VERSION,
      base: BASE_FILE,
      states: {
        good: {
          file: "0123456789abcdef.zst",
          bytes: 1,
          sha256: "a".repeat(64),
          stateBytes: 2,
          stateSha256: "b".repeat(64),
        },
        "path-escape": {
          file: "../../x.zst",
          bytes: 1,
          sha256: "a".repeat(64),
          stateBytes: 2,
          stateSha256: "b".repeat(64),
        },
        "no-hash": { file: "0123456789abcdef.zst", bytes: 1, stateBytes: 2 },
      },
    });
    expect(Object.keys(manifest!.states)).toEqual(["good"]);
  });

  describe("prefetch", () => {
    it("fetches and rebuilds ahead; the run's get takes it over without downloading again", async () => {
      const source = await site();
      const shipped = new ShippedTaskStates(source);
      shipped.prefetch("task-a");
      expect(shipped.prefetching).toBe("task-a");
      const got = await shipped.get("task-a");
      expect(new Uint8Array(got!.state)).toEqual(task);
      expect(source.fetched).toHaveLength(1);
      expect(shipped.prefetching).toBeUndefined();
    });

    it("keeps one in flight: another key stops the one before", async () => {
      const source = await site();
      const signals: AbortSignal[] = [];
      const file = source.file;
      source.file = (name, onBytes, signal) => {
        signals.push(signal!);
        return file(name, onBytes, signal);
      };
      const shipped = new ShippedTaskStates(source);
      shipped.prefetch("task-a");
      shipped.prefetch("task-b");
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(signals.map((s) => s.aborted)).toEqual([true]);
      expect(shipped.prefetching).toBe("task-b");
      shipped.cancelPrefetch();
      expect(shipped.prefetching).toBeUndefined();
      // The stopped prefetch is not taken: the run fetches the state itself.
      expect(new Uint8Array((await shipped.get("task-a"))!.state)).toEqual(task);
      expect(source.fetched).toEqual([expect.any(String), expect.any(String)]);
    });

    it("reports a corrupt file when the run takes it, without downloading it again", async () => {
      const corrupt = packed.slice();
      corrupt[10] = (corrupt[10] ?? 0) ^ 1;
      const source = await site({ file: corrupt });
      const shipped = new ShippedTaskStates(source);
      shipped.prefetch("task-a");
      await expect(shipped.get("task-a")).rejects.toThrow(ShippedStateError);
      expect(source.fetched).toHaveLength(1);
    });

    it("tries again at the run when the prefetch's download failed", async () => {
      const source = await site();
      const file = source.file;
      let tries = 0;
      source.file = (name, onBytes, signal) =>
        ++tries === 1 ? Promise.reject(new Error("offline")) : file(name, onBytes, signal);
      const shipped = new ShippedTaskStates(source);
      shipped.prefetch("task-a");
      expect(new Uint8Array((await shipped.get("task-a"))!.state)).toEqual(task);
      expect(tries).toBe(2);
    });
  });

  describe("made on demand (npm run dev)", () => {
    /** The site's source with a dev server that builds each key for `polls` asks before it has it. */
    async function devSite(polls = 2) {
      const source = await site();
      const shipping = (await source.manifest()) as { states: Record<string, unknown> };
      const asked: string[] = [];
      source.manifest = async () => ({ ...shipping, states: {} });
      source.manifestFor = async (key, onBuilding, signal) => {
        asked.push(key);
        for (let ahead = polls - 1; ahead >= 0; ahead--) {
          signal?.throwIfAborted();
          onBuilding?.({ ahead });
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        if (!(key in shipping.states)) throw new Error(`could not ready ${key}`);
        return shipping;
      };
      return Object.assign(source, { asked });
    }

    it("asks the dev server for each key, telling the taker while it builds", async () => {
      const source = await devSite();
      const shipped = new ShippedTaskStates(source);
      const building: number[] = [];
      const got = await shipped.get("task-a", undefined, {
        onBuilding: ({ ahead }) => building.push(ahead),
      });
      expect(new Uint8Array(got!.state)).toEqual(task);
      expect(building).toEqual([1, 0]);
      // Not kept: a state the server had not made yet may be made since.
      await shipped.get("task-a");
      expect(source.asked).toEqual(["task-a", "task-a"]);
      // Why the dev server could not make one reaches the run.
      await expect(shipped.get("task-b")).rejects.toThrow(/could not ready task-b/);
    });

    it("tells the run that takes a prefetch over that the dev server still builds it", async () => {
      const source = await devSite();
      let finish = () => undefined as void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const manifestFor = source.manifestFor!;
      source.manifestFor = async (key, onBuilding, signal) => {
        onBuilding?.({ ahead: 2 });
        await finished;
        return manifestFor(key, onBuilding, signal);
      };
      const shipped = new ShippedTaskStates(source);
      shipped.prefetch("task-a");
      await new Promise((resolve) => setTimeout(resolve, 0));
      const building: number[] = [];
      const getting = shipped.get("task-a", undefined, {
        onBuilding: ({ ahead }) => building.push(ahead),
      });
      expect(building).toEqual([2]);
      finish();
      expect(await getting).toBeDefined();
      expect(building).toEqual([2, 1, 0]);
      expect(source.asked).toEqual(["task-a"]);
    });

    it("does not tell a run that takes over a finished prefetch that it builds", async () => {
      const shipped = new ShippedTaskStates(await devSite());
      shipped.prefetch("task-a");
      // The prefetch finished (its result is private: read here only to wait for it).
      await (shipped as unknown as { ahead: { result: Promise<unknown> } }).ahead.result;
      const building: number[] = [];
      await shipped.get("task-a", undefined, { onBuilding: ({ ahead }) => building.push(ahead) });
      expect(building).toEqual([]);
    });

    it("stops waiting, also for a prefetch it took over, when the run is stopped", async () => {
      const source = await devSite(1_000);
      const shipped = new ShippedTaskStates(source);
      shipped.prefetch("task-a");
      const controller = new AbortController();
      const getting = shipped.get("task-a", undefined, { signal: controller.signal });
      controller.abort();
      await expect(getting).rejects.toThrow();
      expect(source.asked).toEqual(["task-a"]);
    });

    it("loads the base even while no state is made yet", async () => {
      expect(await new ShippedTaskStates(await devSite()).loadBase()).toBe(true);
    });
  });

  describe("loadBase", () => {
    it("loads the base when the site ships states, and nothing when it ships none", async () => {
      let loads = 0;
      const source = await site();
      const baseFile = source.baseFile;
      source.baseFile = () => (loads++, baseFile());
      expect(await new ShippedTaskStates(source).loadBase()).toBe(true);
      expect(loads).toBe(1);
      const none = await site({ manifest: undefined });
      none.baseFile = () => (loads++, baseFile());
      expect(await new ShippedTaskStates(none).loadBase()).toBe(false);
      expect(loads).toBe(1);
    });
  });
});
