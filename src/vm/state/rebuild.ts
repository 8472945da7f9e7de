// A shipped task state rebuilt from its packed delta and the base state: the same steps in Node and in the
// page's rebuild worker (rebuild.worker.ts), each failure named by the step that failed.
import { applyStateDelta, StateDeltaError } from "./state-delta";

/** A packed delta that did not unpack (zstd) or did not apply to the base (state-delta.ts). */
export class StateRebuildError extends Error {
  constructor(
    readonly stage: "unpack" | "apply",
    message: string,
  ) {
    super(message);
    this.name = "StateRebuildError";
  }
}

/** The state `packed` (a zstd-packed delta) makes of `base`; throws StateRebuildError when it cannot. */
export async function rebuildState(
  base: Uint8Array,
  packed: Uint8Array,
  unzstd: (packed: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  let delta: Uint8Array;
  try {
    delta = await unzstd(packed);
  } catch (error) {
    throw new StateRebuildError("unpack", (error as Error).message);
  }
  try {
    return applyStateDelta(base, delta);
  } catch (error) {
    if (error instanceof StateDeltaError) throw new StateRebuildError("apply", error.message);
    throw error;
  }
}
