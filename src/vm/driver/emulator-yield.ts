// Makes v86 yield to its thread's event loop through a MessageChannel instead of a helper worker.

/** The parts of v86 0.5.462's main loop object (emulator.v86, src/main.js) that this replaces. */
interface V86Loop {
  yield(delayMs: number, tick: number): void;
  yield_callback(tick: number): void;
  unregister_yield(): void;
}

function loopOf(emulator: unknown): V86Loop | undefined {
  const loop = (emulator as { v86?: Partial<V86Loop> } | undefined)?.v86;
  return typeof loop?.yield === "function" &&
    typeof loop.yield_callback === "function" &&
    typeof loop.unregister_yield === "function"
    ? (loop as V86Loop)
    : undefined;
}

/**
 * v86 runs about 1 ms of guest code at a time, then yields. In a browser it yields through a helper
 * worker of its own: a message to another thread and back, every millisecond. In Node it uses
 * setImmediate. This makes it post a message to its own thread instead, or set a timer when the
 * guest waits for one. In the page, the first `python3 -c 1` after the prompt took 2.9 s instead of
 * 3.3 s, and a CPU-bound shell loop 6.2 s instead of 7.7 s (the mean of three page loads each).
 * The helper worker stays, idle, until the emulator is destroyed: a tick already sent to it still
 * comes back.
 * Returns whether it applied: not with a v86 whose loop has another shape (it then yields its way).
 */
export function yieldOnSameThread(emulator: unknown): boolean {
  const loop = loopOf(emulator);
  if (!loop) return false;
  const channel = new MessageChannel();
  channel.port1.onmessage = (event: MessageEvent<number>) => loop.yield_callback(event.data);
  loop.yield = (delayMs, tick) => {
    if (delayMs < 1) channel.port2.postMessage(tick);
    else setTimeout(() => loop.yield_callback(tick), delayMs);
  };
  const unregister = loop.unregister_yield.bind(loop);
  loop.unregister_yield = () => {
    channel.port1.close();
    unregister();
  };
  return true;
}
