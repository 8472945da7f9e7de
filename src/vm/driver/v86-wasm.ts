// Instantiates v86.wasm for each emulator from one compiled module, with the guest clock's restore mended.

/** v86.wasm's bytes: read from disk in Node, fetched in the browser. */
export type WasmSource = () => Promise<ArrayBuffer>;

/** Returns as soon as the host clock v86 reads (performance.now) has moved on. */
function waitForNextTick(): void {
  const start = performance.now();
  while (performance.now() === start) {
    // spin: the browser's clock moves every 5 to 100 µs, Node's every few ns
  }
}

/**
 * v86.wasm's exports with set_tsc mended.
 *
 * NOTE: v86 0.5.462's read_tsc() takes the host clock's resolution to be the smallest step between two
 * of its readings, and fills readings that repeat with up to that step. A new emulator's first reading
 * is its thread's age (performance.now() since the worker or process started), so until two later
 * readings differ, that age is its "resolution". A restore then reads the counter twice within one
 * coarse browser tick (100 µs): the guest's clock leaps forward by the thread's age, and Linux's clock
 * stands still until the counter catches up. In a page open for minutes, every sleep in the guest hung
 * after a restore. Two readings on two later ticks after every set_tsc teach it the true resolution.
 * Node's fine clock rarely repeats a reading; v86-wasm.integration.test.ts shows the leap in Node with
 * the browser's coarse clock.
 */
export function mendClock(exports: WebAssembly.Exports): WebAssembly.Exports {
  const setTsc = exports["set_tsc"];
  const storeCurrentTsc = exports["store_current_tsc"];
  if (typeof setTsc !== "function" || typeof storeCurrentTsc !== "function") {
    throw new Error(
      "v86.wasm has no set_tsc or store_current_tsc: use the v86 version package.json pins",
    );
  }
  return {
    ...exports,
    set_tsc(low: number, high: number): void {
      setTsc(low, high);
      for (let reading = 0; reading < 2; reading++) {
        waitForNextTick();
        storeCurrentTsc();
      }
    },
  };
}

/**
 * v86's `wasm_fn`: compiles v86.wasm once (on first use; a failure is tried again next time) and
 * gives each emulator its own instance with the clock mended. `onError` hears of a failure, which v86
 * itself would not catch: the emulator then never loads.
 */
export function v86WasmInstantiator(
  source: WasmSource,
): (imports: WebAssembly.Imports, onError: (error: Error) => void) => Promise<WebAssembly.Exports> {
  let compiled: Promise<WebAssembly.Module> | undefined;
  return async (imports, onError) => {
    try {
      compiled ??= source().then((bytes) => WebAssembly.compile(bytes));
      const module = await compiled.catch((error: unknown) => {
        compiled = undefined;
        throw error;
      });
      return mendClock((await WebAssembly.instantiate(module, imports)).exports);
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)));
      return new Promise<never>(() => undefined);
    }
  };
}
