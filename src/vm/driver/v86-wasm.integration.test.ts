// Integration test: a restored guest's clock carries on from the saved state, with the browser's coarse clock in a long-lived thread.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { V86Vm } from "./v86-vm";

/** How old the thread looks: a page open for a few minutes. */
const THREAD_AGE_MS = 200_000;
/** How coarse the clock is: performance.now() steps of 1 ms (Chromium's are 0.1 ms, with jitter). */
const CLOCK_GRAIN_MS = 1;
const RESTORES = 3;
/** The guest's uptime may pass the saved uptime by the time a restore and a command take, not more. */
const UPTIME_SLACK_S = 20;

const hostNow = performance.now.bind(performance);
let vm: V86Vm;
let state: ArrayBuffer;

const uptime = async (): Promise<number> => {
  const { stdout } = await vm.exec("cut -d' ' -f1 /proc/uptime");
  return Number(stdout.trim());
};

beforeAll(async () => {
  // NOTE: before v86 is imported: it binds performance.now once, for its timers and for v86.wasm.
  performance.now = () => Math.floor((hostNow() + THREAD_AGE_MS) / CLOCK_GRAIN_MS) * CLOCK_GRAIN_MS;
  const { startNodeVm } = await import("./node-vm");
  vm = await startNodeVm();
  state = await vm.saveState();
});

afterAll(async () => {
  await vm?.destroy();
  performance.now = hostNow;
});

it(`keeps the guest's clock across ${RESTORES} restores, and sleeps wake`, async () => {
  const saved = await uptime();
  for (let restore = 1; restore <= RESTORES; restore++) {
    await vm.restoreState(state);
    const after = await uptime();
    // Unmended, every restore here leapt forward by the thread's age (40 s to 241 s) and stood still.
    expect(after, `uptime after restore ${restore}`).toBeGreaterThanOrEqual(saved - 1);
    expect(after, `uptime after restore ${restore}`).toBeLessThan(saved + UPTIME_SLACK_S);
    const slept = await vm.exec("sleep 0.2 && echo woke", { timeoutMs: 15_000 });
    expect(slept).toMatchObject({ exitCode: 0, stdout: "woke\n", timedOut: false });
    expect(await uptime()).toBeGreaterThan(after);
  }
});
