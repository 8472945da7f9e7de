// Unit tests for yieldOnSameThread: v86's yields go through a MessageChannel or a timer.
import { describe, expect, it, vi } from "vitest";
import { yieldOnSameThread } from "./emulator-yield";

function fakeLoop() {
  return {
    yield: vi.fn<(delayMs: number, tick: number) => void>(),
    yield_callback: vi.fn<(tick: number) => void>(),
    unregister_yield: vi.fn<() => void>(),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("yieldOnSameThread", () => {
  it("hands an immediate tick back through a message, not within the call", async () => {
    const loop = fakeLoop();
    const original = loop.yield;
    expect(yieldOnSameThread({ v86: loop })).toBe(true);
    loop.yield(0, 7);
    expect(loop.yield_callback).not.toHaveBeenCalled();
    await sleep(10);
    expect(loop.yield_callback).toHaveBeenCalledWith(7);
    expect(original).not.toHaveBeenCalled();
    loop.unregister_yield();
  });

  it("waits the delay the guest asked for", async () => {
    const loop = fakeLoop();
    yieldOnSameThread({ v86: loop });
    loop.yield(40, 3);
    await sleep(10);
    expect(loop.yield_callback).not.toHaveBeenCalled();
    await sleep(60);
    expect(loop.yield_callback).toHaveBeenCalledWith(3);
    loop.unregister_yield();
  });

  it("closes its channel and still unregisters v86's own when the emulator is destroyed", async () => {
    const loop = fakeLoop();
    const unregister = loop.unregister_yield;
    yieldOnSameThread({ v86: loop });
    loop.unregister_yield();
    expect(unregister).toHaveBeenCalledOnce();
    loop.yield(0, 9);
    await sleep(10);
    expect(loop.yield_callback).not.toHaveBeenCalled();
  });

  it("leaves an emulator alone whose loop has another shape", () => {
    const loop = { yield: vi.fn(), yield_callback: vi.fn() };
    expect(yieldOnSameThread({ v86: loop })).toBe(false);
    expect(yieldOnSameThread({})).toBe(false);
    expect(yieldOnSameThread(undefined)).toBe(false);
  });
});
