// Messages between the page and its state-rebuild worker (rebuild.worker.ts, rebuild-client.ts).

export type ToRebuildWorker =
  /** Load and unpack the base state the page boots (vm/state.json's file), and keep it. */
  | { type: "base"; id: number; vmUrl: string; imageManifest: string }
  /** Rebuild a task's state from its zstd patch against that base. */
  | { type: "rebuild"; id: number; vmUrl: string; imageManifest: string; packed: Uint8Array };

export type FromRebuildWorker =
  | { type: "base"; id: number; file: string }
  /** The state's buffer is transferred, not copied. */
  | { type: "rebuilt"; id: number; state: Uint8Array }
  /** `patch` when the patch did not unpack against the base (StateRebuildError); else the base did not load. */
  | { type: "failed"; id: number; message: string; patch?: true };
