// Tunes v86's JIT for OpsLab's workloads: one guest page per compiled wasm module.

/**
 * Guest code pages per wasm module the JIT compiles (v86 0.5.462 uses 3). Measured in Node after a
 * restore (bench/vm.bench.ts has the figures): with 1, the first `dig` took 1.3-1.6 s instead of
 * 2.3-3.1 s, five `python3 -c 1` 8.2 s instead of 11.2 s, and a warm CPU-bound python3 loop 5.5 s
 * instead of 6-7 s, using less host CPU on the way (smaller modules are quicker for the browser to
 * compile, and v86 compiles one at a time).
 */
export const JIT_PAGES_PER_MODULE = 1;

/** The index of MAX_PAGES in v86 0.5.462's set_jit_config/get_jit_config (src/rust/jit.rs). */
const MAX_PAGES_SETTING = 1;

interface V86JitExports {
  set_jit_config(index: number, value: number): void;
  get_jit_config(index: number): number;
}

function jitExportsOf(emulator: unknown): V86JitExports | undefined {
  const exports = (emulator as { v86?: { cpu?: { wm?: { exports?: Partial<V86JitExports> } } } })
    ?.v86?.cpu?.wm?.exports;
  return typeof exports?.set_jit_config === "function" &&
    typeof exports.get_jit_config === "function"
    ? (exports as V86JitExports)
    : undefined;
}

/**
 * Applies JIT_PAGES_PER_MODULE to a loaded emulator and returns the setting now in effect, or
 * undefined when this v86 has no such setting (it then keeps its own; the integration test fails).
 */
export function tuneJit(emulator: unknown): number | undefined {
  const jit = jitExportsOf(emulator);
  if (!jit) return undefined;
  jit.set_jit_config(MAX_PAGES_SETTING, JIT_PAGES_PER_MODULE);
  return jit.get_jit_config(MAX_PAGES_SETTING);
}
