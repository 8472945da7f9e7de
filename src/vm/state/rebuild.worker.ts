// The page's state-rebuild worker: keeps the unpacked base state (30-40 MB) and rebuilds task states from
// their shipped patches off the main thread (40 to 130 ms each in Node, and the base's own unpacking more).
import { loadRawBaseState, unzstdPatch } from "./base-state";
import { rebuildState, StateRebuildError } from "./rebuild";
import type { FromRebuildWorker, ToRebuildWorker } from "./rebuild-protocol";

const scope = globalThis as unknown as {
  postMessage(message: FromRebuildWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToRebuildWorker>) => void) | null;
};

async function answer(message: ToRebuildWorker): Promise<void> {
  const { id } = message;
  try {
    const base = await loadRawBaseState(new URL(message.vmUrl), message.imageManifest);
    if (message.type === "base") return scope.postMessage({ type: "base", id, file: base.file });
    const state = await rebuildState(base.raw, message.packed, unzstdPatch);
    scope.postMessage({ type: "rebuilt", id, state }, [state.buffer]);
  } catch (error) {
    scope.postMessage({
      type: "failed",
      id,
      message: error instanceof Error ? error.message : String(error),
      ...(error instanceof StateRebuildError && { patch: true as const }),
    });
  }
}

scope.onmessage = ({ data }) => void answer(data);
