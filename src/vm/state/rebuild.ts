// A shipped task state rebuilt from its zstd patch and the base state: the same step in Node and in the
// page's rebuild worker (rebuild.worker.ts).

/** A shipped patch that did not unpack against the base (corrupt, or made against another base). */
export class StateRebuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateRebuildError";
  }
}

/**
 * The state `packed` (a zstd patch against `base`, see base-state.ts unzstdPatch) makes of `base`;
 * throws StateRebuildError when it cannot.
 */
export async function rebuildState(
  base: Uint8Array,
  packed: Uint8Array,
  unpatch: (packed: Uint8Array, base: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  try {
    return await unpatch(packed, base);
  } catch (error) {
    throw new StateRebuildError((error as Error).message);
  }
}
