// Task states shipped with the site (npm run build:task-states): a manifest, and one zstd patch per task.
import { StateRebuildError } from "../vm/state/rebuild";

export const SHIPPED_MANIFEST_FILE = "manifest.json";
/** 2: zstd patches against the base (zstd --patch-from); 1 was a block delta of our own, then zstd. */
export const SHIPPED_MANIFEST_VERSION = 2;

/** One task's shipped state: a zstd patch against the manifest's base (base-state.ts unzstdPatch). */
export interface ShippedStateEntry {
  /** Content-addressed: `<first 16 hex digits of sha256>.zst`, beside the manifest. */
  file: string;
  /** Bytes of the file, and its SHA-256 (hex). */
  bytes: number;
  sha256: string;
  /** Bytes of the machine state it rebuilds, and that state's SHA-256 (hex). */
  stateBytes: number;
  stateSha256: string;
}

/**
 * task-states/manifest.json. NOTE: every patch is against `base`, the VM state file (vm/state*.zst)
 * of the same build; a page that booted another base (an older cached site) uses none of them.
 */
export interface ShippedManifest {
  version: typeof SHIPPED_MANIFEST_VERSION;
  base: string;
  /** By task-state key (taskStateKey): task setup, image and emulator. */
  states: Record<string, ShippedStateEntry>;
}

export class ShippedStateError extends Error {
  constructor(message: string) {
    super(`the shipped task state ${message}; the task sets up afresh instead`);
    this.name = "ShippedStateError";
  }
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const STATE_FILE = /^[0-9a-f]{16}\.zst$/;

/** The manifest when it is one this code reads; anything else (a broken build, another version) is none. */
export function parseShippedManifest(json: unknown): ShippedManifest | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const { version, base, states } = json as Partial<ShippedManifest>;
  if (version !== SHIPPED_MANIFEST_VERSION || typeof base !== "string") return undefined;
  if (typeof states !== "object" || states === null) return undefined;
  const valid: Record<string, ShippedStateEntry> = {};
  for (const [key, entry] of Object.entries(states)) {
    const e = entry as Partial<ShippedStateEntry>;
    if (
      typeof e.file === "string" &&
      STATE_FILE.test(e.file) &&
      Number.isInteger(e.bytes) &&
      Number.isInteger(e.stateBytes) &&
      HEX_SHA256.test(e.sha256 ?? "") &&
      HEX_SHA256.test(e.stateSha256 ?? "")
    )
      valid[key] = e as ShippedStateEntry;
  }
  return { version, base, states: valid };
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** What restoring a shipped state needs: the site's files and the base state the page booted. */
export interface ShippedStatesSource {
  /** The manifest's JSON, or undefined when the site ships none (404). */
  manifest(): Promise<unknown>;
  /** One state file's bytes (relative to the manifest); `signal` stops the download. */
  file(
    name: string,
    onBytes?: (loaded: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<Uint8Array>;
  /**
   * Readies the base VM state (unpacked and kept where `rebuild` runs: 30-40 MB) and gives its file
   * name (vm/state*.zst).
   */
  baseFile(): Promise<string>;
  /**
   * The state a patch makes of the base (rebuildState; in the page, in a worker of its own);
   * throws StateRebuildError when it does not unpack.
   */
  rebuild(packed: Uint8Array): Promise<Uint8Array>;
  /**
   * The manifest for one key from a server that makes states on demand (npm run dev): waits while
   * it builds the state (telling `onBuilding`), undefined when it has none, throws why it could not
   * build it. NOTE: absent on a built site: there the manifest lists all it ships.
   */
  manifestFor?(key: string, onBuilding?: ShippedBuilding, signal?: AbortSignal): Promise<unknown>;
}

export type ShippedProgress = (loaded: number, total: number) => void;
/** Told while a dev server builds the state: how many tasks it readies before this one. */
export type ShippedBuilding = (status: { ahead: number }) => void;

/** What `get` tells while it works, and what stops it. */
export interface ShippedGetOptions {
  onBuilding?: ShippedBuilding | undefined;
  signal?: AbortSignal | undefined;
}

/** A shipped state found and rebuilt: the machine state, and the bytes downloaded for it. */
export interface ShippedState {
  state: ArrayBuffer;
  downloadedBytes: number;
}

/** A state fetched and rebuilt ahead of a run (prefetch), and who is told of its bytes as they come. */
interface Ahead {
  key: string;
  controller: AbortController;
  result: Promise<ShippedState | undefined>;
  onProgress?: ShippedProgress | undefined;
  onBuilding?: ShippedBuilding | undefined;
  /** The last building status, told again to the taker. */
  building?: { ahead: number } | undefined;
}

/** Looks task states up in the site's manifest, downloads, checks and rebuilds them. */
export class ShippedTaskStates {
  private manifest: Promise<ShippedManifest | undefined> | undefined;
  private ahead: Ahead | undefined;

  constructor(private readonly source: ShippedStatesSource) {}

  /**
   * The manifest; for one key from a source that makes states on demand, asked for that key each
   * time (never kept: the state may be made since), and its failure thrown.
   */
  private async readManifest(
    key?: string,
    onBuilding?: ShippedBuilding,
    signal?: AbortSignal,
  ): Promise<ShippedManifest | undefined> {
    if (key !== undefined && this.source.manifestFor)
      return parseShippedManifest(await this.source.manifestFor(key, onBuilding, signal));
    // NOTE: a manifest that cannot be read is none; it is asked for again on the next task.
    this.manifest ??= this.source.manifest().then(parseShippedManifest, () => undefined);
    const manifest = await this.manifest;
    if (!manifest) this.manifest = undefined;
    return manifest;
  }

  /** Whether the site ships a state for `key` (without downloading it). */
  async has(key: string): Promise<ShippedStateEntry | undefined> {
    return (await this.readManifest())?.states[key];
  }

  /**
   * Makes the base state ready (unpacked and kept, 30-40 MB) when the site ships any task state (or
   * makes them on demand), so that no first visit waits for it; false when it ships none (nothing is
   * loaded then).
   */
  async loadBase(): Promise<boolean> {
    const manifest = await this.readManifest();
    if (!manifest) return false;
    if (Object.keys(manifest.states).length === 0 && !this.source.manifestFor) return false;
    await this.source.baseFile();
    return true;
  }

  /**
   * Starts downloading, checking and rebuilding `key`'s state ahead of the run that will ask for it
   * (a person reading the ticket): the next `get(key)` takes it over, finished or not.
   * NOTE: one at a time: another key (or cancelPrefetch) stops the one before; the rebuilt state
   * (tens of MB) is held only until `get` takes it.
   */
  prefetch(key: string): void {
    if (this.ahead?.key === key) return;
    this.cancelPrefetch();
    const controller = new AbortController();
    const ahead: Ahead = {
      key,
      controller,
      result: Promise.resolve(undefined),
    };
    // NOTE: once the download starts (or it is over) the build is no longer told to a taker.
    const onProgress: ShippedProgress = (loaded, total) => {
      ahead.building = undefined;
      ahead.onProgress?.(loaded, total);
    };
    ahead.result = this.fetchAndRebuild(key, onProgress, {
      onBuilding: (status) => {
        ahead.building = status;
        ahead.onBuilding?.(status);
      },
      signal: controller.signal,
    });
    // NOTE: its failure is the taker's to report (get); an unclaimed one fails quietly.
    ahead.result.then(
      () => (ahead.building = undefined),
      () => (ahead.building = undefined),
    );
    this.ahead = ahead;
  }

  /** Stops the state being fetched ahead, if any, and lets it go. */
  cancelPrefetch(): void {
    this.ahead?.controller.abort();
    this.ahead = undefined;
  }

  /** The key being fetched ahead (or fetched and not yet taken), if any. */
  get prefetching(): string | undefined {
    return this.ahead?.key;
  }

  /**
   * The state shipped for `key`, or undefined when none is; throws ShippedStateError when one is
   * shipped but is corrupt, truncated, or for another base. Takes over a prefetch of the same key.
   * `signal` stops it (an on-demand build is waited for no longer; the download stops).
   */
  async get(
    key: string,
    onProgress?: ShippedProgress,
    options: ShippedGetOptions = {},
  ): Promise<ShippedState | undefined> {
    const { onBuilding, signal } = options;
    const ahead = this.ahead;
    if (ahead?.key === key) {
      this.ahead = undefined;
      ahead.onProgress = onProgress;
      ahead.onBuilding = onBuilding;
      if (ahead.building) onBuilding?.(ahead.building);
      const stop = () => ahead.controller.abort();
      signal?.addEventListener("abort", stop);
      try {
        return await ahead.result;
      } catch (error) {
        // NOTE: a corrupt file stays corrupt; anything else (the network) is tried once more now.
        if (error instanceof ShippedStateError) throw error;
        signal?.throwIfAborted();
      } finally {
        signal?.removeEventListener("abort", stop);
      }
    }
    return this.fetchAndRebuild(key, onProgress, options);
  }

  private async fetchAndRebuild(
    key: string,
    onProgress?: ShippedProgress,
    { onBuilding, signal }: ShippedGetOptions = {},
  ): Promise<ShippedState | undefined> {
    const manifest = await this.readManifest(key, onBuilding, signal);
    const entry = manifest?.states[key];
    if (!manifest || !entry) return undefined;
    const [packed, baseFile] = await Promise.all([
      this.source.file(entry.file, onProgress, signal),
      this.source.baseFile(),
    ]);
    signal?.throwIfAborted();
    if (baseFile !== manifest.base)
      throw new ShippedStateError(`was made against ${manifest.base}, not ${baseFile}`);
    if (packed.byteLength !== entry.bytes || (await sha256Hex(packed)) !== entry.sha256)
      throw new ShippedStateError(`${entry.file} is corrupt or truncated (its hash differs)`);
    signal?.throwIfAborted();
    let state: Uint8Array;
    try {
      state = await this.source.rebuild(packed);
    } catch (error) {
      if (error instanceof StateRebuildError)
        throw new ShippedStateError(`${entry.file} did not unpack (${error.message})`);
      throw error;
    }
    signal?.throwIfAborted();
    if (state.byteLength !== entry.stateBytes || (await sha256Hex(state)) !== entry.stateSha256)
      throw new ShippedStateError(`${entry.file} rebuilt another state than the one shipped`);
    return { state: state.buffer as ArrayBuffer, downloadedBytes: packed.byteLength };
  }
}
