// The v86 driver, for Node and the browser alike: the only file that imports v86.
import { V86 } from "v86";
import { useBlobLoader, type BlobLoader } from "./blob-loader";
import { yieldOnSameThread } from "./emulator-yield";
import { VmAssetError, VmBootError, VmDestroyedError, VmResetError } from "../errors";
import { watchFileFetches, type FileFetch } from "./file-fetches";
import { GuestChannel } from "../guest/guest-channel";
import {
  execInGuest,
  killSessionInGuest,
  readFileInGuest,
  syncInGuest,
  writeFileInGuest,
} from "../guest/guest-ops";
import { GUEST_MEMORY_BYTES, GUEST_VGA_MEMORY_BYTES } from "../image";
import {
  checkFiles,
  imageContentHash,
  type FileCheckSpec,
  type FileFinding,
} from "../integrity/check-files";
import { v86GuestFileSystem } from "../integrity/guest-fs";
import { ImageTree } from "../integrity/image-tree";
import { fillFidHoles } from "./fid-table";
import { tuneJit } from "./jit-tuning";
import { canRestoreKeepingJit, restoreKeepingJit, track9pRequests } from "./warm-restore";
import { v86WasmInstantiator, type WasmSource } from "./v86-wasm";
import { PROTOCOL_VERSION, utf8 } from "../guest/protocol";
import {
  BackgroundWarmUp,
  WARM_UP_SESSION,
  type WarmUpProgram,
  type WarmUpProgress,
  type WarmUpReport,
} from "../warm-up/warm-up";
import type { WarmFile } from "../warm-up/warm-paths";
import type {
  ChannelAlarm,
  ChannelReport,
  ExecOptions,
  ExecResult,
  HostCallHandler,
  Vm,
  VmConsole,
  WriteFileOptions,
} from "../vm";

/** How long a restored guest may take to answer the key handshake. */
export const RESTORE_AGENT_TIMEOUT_MS = 30_000;
/** How long a cold boot may take until the guest agent says hello. */
export const COLD_BOOT_AGENT_TIMEOUT_MS = 600_000;

export type VmBoot =
  | { kind: "restore"; state: ArrayBuffer }
  | {
      kind: "cold";
      kernel: ArrayBuffer;
      /** Absent for a kernel that mounts the 9p root itself. */
      initrd?: ArrayBuffer;
      cmdline: string;
      fsIndexUrl: string;
    };

export interface V86VmOptions {
  /** v86.wasm's bytes (read once per VM; every restore instantiates the same compiled module). */
  wasm: WasmSource;
  bios: ArrayBuffer;
  /** Folder of the 9p blobs (path in Node, URL in the browser), ending in "/". */
  blobBaseUrl: string;
  boot: VmBoot;
  memoryBytes?: number;
  /** Every console byte from the first on, before the VM object exists too (boot logs). */
  onConsole?: (bytes: Uint8Array) => void;
  /** Told of each image file the guest reads for the first time since the emulator (re)started. */
  onFileFetch?: (fetch: FileFetch) => void;
  /** How to fetch the 9p blobs (v86's own loader when absent). */
  loadBlob?: BlobLoader;
  /**
   * The image's 9p index (the parsed rootfs-*.json), which checkFiles() compares the guest with;
   * loaded on first use. Without it checkFiles() fails.
   */
  loadImageIndex?: () => Promise<unknown>;
  /**
   * Files to read in the guest in the background after every start, restore and reset (see
   * warm-up.ts); none by default.
   */
  warmFiles?: readonly WarmFile[];
  /** Programs the warm-up runs (WARM_UP_PROGRAMS by default). */
  warmPrograms?: readonly WarmUpProgram[];
  onWarmUp?: (report: WarmUpReport) => void;
  onWarmUpProgress?: (progress: WarmUpProgress) => void;
  /** Told of each alarm of the channel to the guest agent as it is recorded (see Vm.channelReport). */
  onChannelAlarm?: (alarm: ChannelAlarm) => void;
  /** Applies jit-tuning.ts (on by default; off leaves v86's own JIT settings, for comparing). */
  tuneJit?: boolean;
  /**
   * Restores into the running emulator keeping its JIT's compiled code (warm-restore.ts); on by
   * default. Off starts a new emulator at every restore, as before (for comparing).
   */
  warmRestore?: boolean;
  /**
   * Yields between slices of guest code through emulator-yield.ts instead of v86's helper worker. Off
   * by default: it is for browsers (in Node v86 already yields through setImmediate).
   */
  yieldOnSameThread?: boolean;
}

/** Collects bytes from per-byte emulator events and hands them on in one batch per microtask. */
class ByteBatcher {
  private bytes: number[] = [];
  private scheduled = false;
  constructor(private readonly flush: (bytes: Uint8Array) => void) {}
  push(byte: number): void {
    this.bytes.push(byte);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        const batch = Uint8Array.from(this.bytes);
        this.bytes = [];
        this.flush(batch);
      });
    }
  }
}

/**
 * Restores a saved machine state into an emulator that has loaded but not yet run.
 * NOTE: not through v86's `initial_state` option: v86 restores that inside its own loading, where a
 * state it cannot read (a truncated download, a corrupt record, an emulator that saved what it cannot
 * restore) throws into a promise nobody awaits: "emulator-loaded" never comes, so the page waited for
 * ever, and Node died of the unhandled rejection. Restored here, the same step (after v86's init,
 * before its first run) fails as an error the caller can act on (readyTask sets the task up afresh).
 */
async function restoreInto(emulator: V86, state: ArrayBuffer): Promise<void> {
  try {
    await emulator.restore_state(state);
  } catch (error) {
    throw unrestorable(error as Error);
  }
}

/** What a state v86 could not restore is, for the caller (who sets the machine up afresh). */
function unrestorable(error: Error): VmBootError {
  return new VmBootError(
    `The saved machine state could not be restored (${error.message}): it is damaged or from another emulator version; set the machine up afresh.`,
  );
}

/** How a restore went: into the running emulator with its JIT kept (and how many pages changed), or a new emulator. */
export interface RestoreKind {
  warm: boolean;
  /** Warm restores: the 4 KiB pages whose bytes differed from the saved state's, written and dirtied. */
  changedPages?: number;
}

/**
 * NOTE: a restore goes into the running emulator where it can (warm-restore.ts: the JIT keeps what it
 * compiled for the pages the state does not change, and the guest's clock is mended first), and
 * starts a new emulator otherwise (another v86, a file read still in flight, warmRestore off).
 */
export class V86Vm implements Vm {
  private emulator: V86 | undefined;
  private destroyed = false;
  private readonly consoleListeners = new Set<(bytes: Uint8Array) => void>();
  private readonly channel: GuestChannel;
  private pristine: ArrayBuffer | undefined;
  private readonly warmUp: BackgroundWarmUp;
  private jitSetting: number | undefined;
  private imageTree: Promise<ImageTree> | undefined;
  private sameThreadYield = false;
  /** The running emulator's 9p requests not yet answered (warm-restore.ts); undefined if unknown. */
  private fsRequestsInFlight: (() => number) | undefined;
  /** How the last restore went: into the running emulator (JIT kept), or a new one. */
  private lastRestore: RestoreKind | undefined;
  /** v86's wasm_fn: one compiled v86.wasm for every emulator this VM starts, its clock mended. */
  private readonly instantiateWasm: ReturnType<typeof v86WasmInstantiator>;
  readonly console: VmConsole = {
    onData: (listener) => {
      this.consoleListeners.add(listener);
      return () => this.consoleListeners.delete(listener);
    },
    write: (data) => {
      if (this.destroyed) return;
      this.warmUp.noteActivity();
      this.emulator?.serial_send_bytes(0, typeof data === "string" ? utf8(data) : data);
    },
  };

  private constructor(private readonly options: V86VmOptions) {
    this.instantiateWasm = v86WasmInstantiator(options.wasm);
    this.channel = new GuestChannel((bytes) => this.emulator?.serial_send_bytes(1, bytes), {
      ...(options.onChannelAlarm ? { onAlarm: options.onChannelAlarm } : {}),
    });
    this.warmUp = new BackgroundWarmUp(this, options.warmFiles ?? [], {
      ...(options.onWarmUp ? { onReport: options.onWarmUp } : {}),
      ...(options.onWarmUpProgress ? { onProgress: options.onWarmUpProgress } : {}),
      ...(options.warmPrograms ? { programs: options.warmPrograms } : {}),
    });
  }

  /** Starts the emulator, restores or boots the guest and waits until its agent answers. */
  static async start(options: V86VmOptions): Promise<V86Vm> {
    const vm = new V86Vm(options);
    await vm.launch(options.boot);
    vm.pristine = options.boot.kind === "restore" ? options.boot.state : await vm.saveState();
    vm.warmUp.restart();
    return vm;
  }

  private async launch(boot: VmBoot): Promise<void> {
    const { options } = this;
    let failLoad: (error: Error) => void = () => undefined;
    const loadFailed = new Promise<never>((_, reject) => (failLoad = reject));
    loadFailed.catch(() => undefined);
    const emulator = new V86({
      wasm_fn: (imports) =>
        this.instantiateWasm(imports, (error) =>
          failLoad(new VmBootError(`v86.wasm could not be loaded: ${error.message}`)),
        ),
      bios: { buffer: options.bios },
      memory_size: options.memoryBytes ?? GUEST_MEMORY_BYTES,
      vga_memory_size: GUEST_VGA_MEMORY_BYTES,
      uart1: true,
      // NOTE: run() below, once a restore has succeeded and the hooks are in (restoreInto says why).
      autostart: false,
      disable_keyboard: true,
      disable_mouse: true,
      disable_speaker: true,
      ...(boot.kind === "cold"
        ? {
            filesystem: { basefs: boot.fsIndexUrl, baseurl: options.blobBaseUrl },
            bzimage: { buffer: boot.kernel },
            ...(boot.initrd ? { initrd: { buffer: boot.initrd } } : {}),
            cmdline: boot.cmdline,
          }
        : { filesystem: { baseurl: options.blobBaseUrl } }),
    });
    this.emulator = emulator;
    const current = (): boolean => this.emulator === emulator;
    const consoleBytes = new ByteBatcher((bytes) => {
      if (!current()) return;
      // A command typed at the console is running while it prints: the warm-up waits for a pause.
      this.warmUp.noteActivity();
      options.onConsole?.(bytes);
      for (const listener of this.consoleListeners) listener(bytes);
    });
    const agentBytes = new ByteBatcher((bytes) => current() && this.channel.receive(bytes));
    emulator.add_listener("serial0-output-byte", (byte) => consoleBytes.push(byte));
    emulator.add_listener("serial1-output-byte", (byte) => agentBytes.push(byte));

    await this.destroyOnFailure(emulator, async () => {
      const loaded = new Promise<void>((resolve) =>
        emulator.add_listener("emulator-loaded", () => resolve()),
      );
      await Promise.race([loaded, loadFailed]);
      if (boot.kind === "restore") await restoreInto(emulator, boot.state);
      // NOTE: before the guest runs its first instruction, so no fetch goes unseen.
      const { onFileFetch, loadBlob } = options;
      const fs9p = (emulator as unknown as { fs9p?: unknown }).fs9p;
      if (onFileFetch) watchFileFetches(fs9p, (fetch) => current() && onFileFetch(fetch));
      if (loadBlob) useBlobLoader(fs9p, loadBlob);
      if (options.tuneJit !== false) this.jitSetting = tuneJit(emulator);
      this.fsRequestsInFlight =
        options.warmRestore === false ? undefined : track9pRequests(emulator);
      if (options.yieldOnSameThread) this.sameThreadYield = yieldOnSameThread(emulator);
      await emulator.run();
      if (boot.kind === "cold") await this.waitForHello();
      await this.channel.handshake(RESTORE_AGENT_TIMEOUT_MS);
    });
  }

  /** Runs `start` on `emulator`; when it fails, the emulator is destroyed and no emulator runs. */
  private async destroyOnFailure(emulator: V86, start: () => Promise<void>): Promise<void> {
    try {
      await start();
    } catch (error) {
      this.emulator = undefined;
      await emulator.destroy().catch(() => undefined);
      throw error;
    }
  }

  private waitForHello(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new VmBootError("The guest agent did not start: the cold boot failed."));
      }, COLD_BOOT_AGENT_TIMEOUT_MS);
      const off = this.channel.onHello((version) => {
        clearTimeout(timer);
        off();
        if (version === PROTOCOL_VERSION) resolve();
        else
          reject(
            new VmBootError(
              `The image's guest agent speaks protocol ${version}, this OpsLab ${PROTOCOL_VERSION}: run \`npm run vm:update-guest\`.`,
            ),
          );
      });
    });
  }

  /** The JIT's pages per compiled module (jit-tuning.ts); undefined when this v86 cannot be tuned. */
  get jitPagesPerModule(): number | undefined {
    return this.jitSetting;
  }

  /** Whether v86 yields through emulator-yield.ts (when asked for, and this v86 allows it). */
  get yieldsOnSameThread(): boolean {
    return this.sameThreadYield;
  }

  private running(): V86 {
    if (this.destroyed || !this.emulator) throw new VmDestroyedError();
    return this.emulator;
  }

  /** NOTE: the warm-up waits while any other command runs (and for a moment after). */
  exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    this.running();
    const result = execInGuest(this.channel, command, options);
    return options?.session === WARM_UP_SESSION ? result : this.warmUp.whileBusy(result);
  }

  writeFile(path: string, data: string | Uint8Array, options?: WriteFileOptions): Promise<void> {
    this.running();
    return this.warmUp.whileBusy(writeFileInGuest(this.channel, path, data, options));
  }

  readFile(path: string): Promise<Uint8Array> {
    this.running();
    return this.warmUp.whileBusy(readFileInGuest(this.channel, path));
  }

  killSession(session: string): Promise<{ remaining: number }> {
    this.running();
    return this.warmUp.whileBusy(killSessionInGuest(this.channel, session));
  }

  syncFiles(): Promise<void> {
    this.running();
    return this.warmUp.whileBusy(syncInGuest(this.channel));
  }

  channelReport(): ChannelReport {
    return this.channel.report();
  }

  handleHostCalls(service: string, handler: HostCallHandler): () => void {
    return this.channel.handleHostCalls(service, handler);
  }

  private loadImageTree(): Promise<ImageTree> {
    const load = this.options.loadImageIndex;
    if (!load) {
      return Promise.reject(
        new VmAssetError("the image's file index", "this VM was started without it"),
      );
    }
    this.imageTree ??= load().then(
      (json) => ImageTree.fromIndex(json),
      (error: unknown) => {
        this.imageTree = undefined; // a later call tries again
        throw error;
      },
    );
    return this.imageTree;
  }

  /** NOTE: the guest is paused while its files are read, so nothing changes half-way. */
  async checkFiles(spec: FileCheckSpec): Promise<FileFinding[]> {
    const image = await this.loadImageTree();
    const emulator = this.running();
    const guest = v86GuestFileSystem((emulator as unknown as { fs9p?: unknown }).fs9p);
    if (!guest) {
      throw new VmAssetError("the guest's file system", "this v86 has no 9p file system to read");
    }
    await emulator.stop();
    try {
      return await checkFiles(image, guest, spec, imageContentHash);
    } finally {
      if (this.emulator === emulator) await emulator.run();
    }
  }

  /**
   * NOTE: the warm-up pauses while the state is saved, so the state holds no warm-up command. The
   * 9p fid table's holes are filled in the same tick as the save (fid-table.ts says why).
   */
  async saveState(): Promise<ArrayBuffer> {
    this.running();
    await this.warmUp.pause();
    try {
      const emulator = this.running();
      fillFidHoles(emulator);
      return await emulator.save_state();
    } finally {
      this.warmUp.resume();
    }
  }

  async restoreState(state: ArrayBuffer): Promise<void> {
    if (this.destroyed) throw new VmDestroyedError();
    // NOTE: no emulator runs after a restore that failed; a later restore or reset still works.
    const old = this.emulator;
    this.warmUp.stop();
    this.channel.failAll(new VmResetError());
    const warm = old !== undefined && (await this.quiet(old));
    this.channel.reset();
    if (warm) {
      await this.restoreWarm(old, state);
    } else {
      this.emulator = undefined;
      await old?.destroy();
      await this.launch({ kind: "restore", state });
      this.lastRestore = { warm: false };
    }
    this.warmUp.restart();
  }

  /**
   * Stops the emulator for a restore into it (warm-restore.ts) and says whether one may go ahead: this
   * v86 allows it and no 9p request is still being answered (waited for up to a second: a file read
   * waiting for its blob). When not, the caller starts a new emulator, as every restore once did.
   * NOTE: stopped first, so that no new request starts and the console bytes batched so far are
   * handed on before the channel is reset.
   */
  private async quiet(emulator: V86): Promise<boolean> {
    const inFlight = this.fsRequestsInFlight;
    if (!inFlight || !canRestoreKeepingJit(emulator)) return false;
    await emulator.stop();
    for (let waited = 0; inFlight() > 0; waited += 5) {
      if (waited >= 1000) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.emulator === emulator;
  }

  /** Restores into the stopped emulator, keeping its JIT warm, and runs it until the agent answers. */
  private restoreWarm(emulator: V86, state: ArrayBuffer): Promise<void> {
    return this.destroyOnFailure(emulator, async () => {
      const changedPages = await restoreKeepingJit(emulator, state).catch((error: Error) => {
        throw unrestorable(error);
      });
      await emulator.run();
      await this.channel.handshake(RESTORE_AGENT_TIMEOUT_MS);
      this.lastRestore = { warm: true, changedPages };
    });
  }

  /** How the last restore or reset went: into the running emulator with its JIT kept, or a new one. */
  get lastRestoreKind(): RestoreKind | undefined {
    return this.lastRestore;
  }

  reset(): Promise<void> {
    if (!this.pristine) throw new VmDestroyedError();
    return this.restoreState(this.pristine);
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.warmUp.stop();
    this.channel.failAll(new VmDestroyedError());
    this.consoleListeners.clear();
    const emulator = this.emulator;
    this.emulator = undefined;
    this.pristine = undefined;
    await emulator?.destroy();
  }
}
