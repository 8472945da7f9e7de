// Restores a saved machine state into the emulator already running, keeping what v86's JIT compiled for
// every page of memory the state leaves as it was.
//
// v86 throws its whole JIT cache away at a restore, and every restore used to start a new emulator
// anyway, so the guest ran interpreted until its code was hot again: right after a restore a command
// took 1.5 to 3 times as long (npm run bench: first_runs_ms_after_warm_restore against
// first_runs_ms_after_new_emulator_restore). A task's setup, its grader and every attempt of
// verification start from a restore, and most of memory (the kernel, the programs in the page cache)
// is the same before and after one.
// NOTE: what v86 0.5.462 does at a restore, and what this changes: set_state() unpacks the state's memory
// over the old (unpack_memory: every page zeroed, then the saved ones written), then drops every compiled
// page (jit_clear_cache). Here the unpacking writes only the pages whose bytes differ and tells the JIT
// that exactly those changed (jit_dirty_cache), as it is told of every write the guest makes. The
// compiled code of a page stays valid while the page's bytes stay the same: that is the JIT's own rule.

/** A guest page, as v86's JIT and its memory bitmap count them. */
export const PAGE_BYTES = 4096;
const PAGE_WORDS = PAGE_BYTES / 4;

/** The v86 0.5.462 CPU internals this uses (emulator.v86.cpu). */
interface CpuInternals {
  mem8: Uint8Array;
  memory_size: ArrayLike<number>;
  unpack_memory(bitmap: { get(page: number): unknown }, packed: Uint8Array): void;
  jit_clear_cache(): void;
  jit_dirty_cache(start: number, end: number): void;
  store_current_tsc(): void;
  current_tsc: ArrayLike<number>;
  set_tsc(low: number, high: number): void;
}

/** The 9p device's internals: the request queue it pops from, and how it answers. */
interface NinePInternals {
  virtqueue: { pop_request(): unknown };
  SendReply(request: unknown): void;
}

interface EmulatorInternals {
  v86?: { cpu?: Partial<CpuInternals> & { devices?: { virtio_9p?: Partial<NinePInternals> } } };
  restore_state(state: ArrayBuffer): Promise<void>;
}

function cpuOf(emulator: unknown): CpuInternals | undefined {
  const cpu = (emulator as EmulatorInternals | undefined)?.v86?.cpu;
  const methods = [
    "unpack_memory",
    "jit_clear_cache",
    "jit_dirty_cache",
    "store_current_tsc",
    "set_tsc",
  ] as const;
  if (!cpu || !methods.every((m) => typeof cpu[m] === "function")) return undefined;
  // NOTE: v86 hands out its views of wasm memory as proxies (a new typed array at every access).
  const memory = cpu.mem8;
  if (!(memory?.buffer instanceof ArrayBuffer) || typeof memory.byteOffset !== "number")
    return undefined;
  if (typeof cpu.memory_size?.[0] !== "number" || typeof cpu.current_tsc?.[1] !== "number")
    return undefined;
  return cpu as CpuInternals;
}

/** The guest's memory as a plain view (v86's mem8 is a proxy that makes one at every access). */
function memoryOf(cpu: CpuInternals): Uint8Array {
  const { buffer, byteOffset, byteLength } = cpu.mem8;
  return new Uint8Array(buffer, byteOffset, byteLength);
}

/**
 * Writes what v86's unpack_memory would (the pages `saved` names from `packed`, in order; every other
 * page zero) into `memory`, but only where it differs, and returns the pages it changed.
 * NOTE: compares 32-bit words where both arrays allow it (four times fewer steps than bytes).
 */
export function unpackChangedPages(
  memory: Uint8Array,
  pages: number,
  saved: (page: number) => boolean,
  packed: Uint8Array,
): number[] {
  if (pages * PAGE_BYTES > memory.byteLength)
    throw new Error(
      `the state has ${pages * PAGE_BYTES} bytes of memory, the emulator ${memory.byteLength}`,
    );
  const changed: number[] = [];
  const aligned = memory.byteOffset % 4 === 0 && packed.byteOffset % 4 === 0;
  const mem = aligned
    ? new Int32Array(memory.buffer, memory.byteOffset, pages * PAGE_WORDS)
    : memory;
  const src = aligned
    ? new Int32Array(packed.buffer, packed.byteOffset, Math.floor(packed.byteLength / 4))
    : packed;
  const unit = aligned ? PAGE_WORDS : PAGE_BYTES;
  let next = 0;
  for (let page = 0; page < pages; page++) {
    const at = page * unit;
    if (saved(page)) {
      const from = next * unit;
      next++;
      for (let i = 0; i < unit; i++) {
        if (mem[at + i] !== src[from + i]) {
          const bytes = (next - 1) * PAGE_BYTES;
          memory.set(packed.subarray(bytes, bytes + PAGE_BYTES), page * PAGE_BYTES);
          changed.push(page);
          break;
        }
      }
    } else {
      for (let i = 0; i < unit; i++) {
        if (mem[at + i] !== 0) {
          memory.fill(0, page * PAGE_BYTES, (page + 1) * PAGE_BYTES);
          changed.push(page);
          break;
        }
      }
    }
  }
  return changed;
}

/**
 * Counts the 9p requests the emulator has taken and not yet answered (file reads waiting for a blob,
 * writes): none may be in flight when a state is restored into the same emulator, or its answer would
 * land in the restored guest and its write in the restored file system. Undefined when this v86's 9p
 * device is not as expected (restores then start a new emulator, as before).
 * NOTE: every request the device pops ends in exactly one SendReply (errors too).
 */
export function track9pRequests(emulator: unknown): (() => number) | undefined {
  const device = (emulator as EmulatorInternals | undefined)?.v86?.cpu?.devices?.virtio_9p;
  const queue = device?.virtqueue;
  if (!device || !queue || typeof queue.pop_request !== "function") return undefined;
  if (typeof device.SendReply !== "function") return undefined;
  const inFlight = new Set<unknown>();
  const pop = queue.pop_request.bind(queue);
  const reply = device.SendReply.bind(device);
  queue.pop_request = () => {
    const request = pop();
    inFlight.add(request);
    return request;
  };
  device.SendReply = (request: unknown) => {
    inFlight.delete(request);
    reply(request);
  };
  return () => inFlight.size;
}

/** Whether restoreKeepingJit can work on this emulator (this v86 has what it uses). */
export function canRestoreKeepingJit(emulator: unknown): boolean {
  return cpuOf(emulator) !== undefined;
}

/**
 * Restores `state` into the stopped `emulator` (run it again afterwards), keeping the compiled code of
 * every page the state does not change; returns how many pages it changed. Throws what the restore
 * throws: the emulator is then half restored, fit only to be destroyed.
 * NOTE: the guest's time stamp counter: v86's set_tsc() sets an offset from the host's clock relative
 * to the current offset, so a second restore into one emulator would set the guest's clock back by the
 * first state's uptime (the guest then stalls until the host catches up). The offset goes back to zero
 * first, which is where a new emulator starts.
 */
export async function restoreKeepingJit(emulator: unknown, state: ArrayBuffer): Promise<number> {
  const cpu = cpuOf(emulator);
  if (!cpu) throw new Error("this v86 cannot restore a state keeping its JIT");
  cpu.store_current_tsc();
  cpu.set_tsc(cpu.current_tsc[0]!, cpu.current_tsc[1]!);
  let changed: number[] | undefined;
  const own = {
    unpack: Object.hasOwn(cpu, "unpack_memory"),
    clear: Object.hasOwn(cpu, "jit_clear_cache"),
  };
  const { unpack_memory: unpack, jit_clear_cache: clear } = cpu;
  cpu.unpack_memory = (bitmap, packed) => {
    const pages = Number(cpu.memory_size[0]) / PAGE_BYTES;
    changed = unpackChangedPages(memoryOf(cpu), pages, (page) => Boolean(bitmap.get(page)), packed);
  };
  cpu.jit_clear_cache = () => undefined;
  try {
    await (emulator as EmulatorInternals).restore_state(state);
  } finally {
    if (own.unpack) cpu.unpack_memory = unpack;
    else delete (cpu as Partial<CpuInternals>).unpack_memory;
    if (own.clear) cpu.jit_clear_cache = clear;
    else delete (cpu as Partial<CpuInternals>).jit_clear_cache;
  }
  // NOTE: a restore that did not unpack through here (another v86) leaves nothing known: drop it all.
  if (!changed) {
    cpu.jit_clear_cache();
    return Number(cpu.memory_size[0]) / PAGE_BYTES;
  }
  for (const page of changed) cpu.jit_dirty_cache(page * PAGE_BYTES, (page + 1) * PAGE_BYTES);
  return changed.length;
}
