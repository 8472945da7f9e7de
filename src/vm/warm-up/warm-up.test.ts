// Unit tests of the background warm-up: batches, the guest command, stopping, and restarts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { VmResetError } from "../errors";
import { FakeVm } from "../fake-vm";
import {
  atLowestPriority,
  BackgroundWarmUp,
  IDLE_RECHECK_MS,
  WARM_UP_BATCH_BYTES,
  WARM_UP_BATCH_MAX_FILES,
  WARM_UP_DONE_FILE,
  WARM_UP_SESSION,
  WAIT_FOR_IDLE_GUEST,
  whenGuestIdle,
  warmUp,
  warmUpBatches,
  warmUpCommand,
  warmUpSteps,
  type WarmUpProgram,
  type WarmUpProgress,
  type WarmUpReport,
} from "./warm-up";
import { WARM_PATHS } from "./warm-paths";
import type { WarmFile } from "./warm-paths";

const MB = 1024 * 1024;

function makeFile(path: string, bytes = 1000): WarmFile {
  return { path, bytes, blobBytes: Math.ceil(bytes / 3), uses: 1 };
}

const isBatch = (command: string) => command.includes("nice -n 19 cat --");
/** A program's run as a step. */
const run = atLowestPriority;
/** What warmUp() sends for a step that first waits for an idle guest. */
const checked = (command: string) => whenGuestIdle(command);
const read = (...paths: string[]) => warmUpCommand(paths);
/** A background warm-up that starts 10 ms after a restart and runs no programs. */
const QUICK = { delayMs: 10, idleMs: 10, programs: [] };
/** The steps that read `files`, and run no program. */
const readOnly = (files: WarmFile[]) => warmUpSteps(files, []);

/** A quick background warm-up whose guest holds each command containing `text` until `release()`. */
function warmUpHeldAt(text: string, files: WarmFile[], programs: WarmUpProgram[] = []) {
  let release: () => void = () => undefined;
  const vm = new FakeVm(async (command) => {
    if (command.includes(text)) await new Promise<void>((r) => (release = r));
    return {};
  });
  const reports: WarmUpReport[] = [];
  const background = new BackgroundWarmUp(vm, files, {
    onReport: (r) => reports.push(r),
    ...QUICK,
    programs,
  });
  return { vm, background, reports, release: () => release() };
}

describe("warmUpBatches", () => {
  it("cuts the list into batches of at most WARM_UP_BATCH_BYTES, in order", () => {
    const part = Math.floor(WARM_UP_BATCH_BYTES * 0.4);
    const files = [
      makeFile("/a", part),
      makeFile("/b", part),
      makeFile("/c", part),
      makeFile("/d", 1),
    ];
    const batches = warmUpBatches(files);
    expect(batches.map((b) => b.map((f) => f.path))).toEqual([
      ["/a", "/b"],
      ["/c", "/d"],
    ]);
    for (const batch of batches)
      expect(batch.reduce((n, f) => n + f.bytes, 0)).toBeLessThanOrEqual(WARM_UP_BATCH_BYTES);
  });

  it("gives a file bigger than a batch a batch of its own", () => {
    const files = [makeFile("/small"), makeFile("/icu", 30 * MB), makeFile("/next")];
    expect(warmUpBatches(files).map((b) => b.map((f) => f.path))).toEqual([
      ["/small"],
      ["/icu"],
      ["/next"],
    ]);
  });

  it("caps the files per batch", () => {
    const files = Array.from({ length: WARM_UP_BATCH_MAX_FILES + 1 }, (_, i) => makeFile(`/f${i}`));
    expect(warmUpBatches(files).map((b) => b.length)).toEqual([WARM_UP_BATCH_MAX_FILES, 1]);
  });

  it("has no batch for no files", () => {
    expect(warmUpBatches([])).toEqual([]);
  });
});

describe("warmUpSteps", () => {
  const python = { command: "python3 -c 1", runs: 3 };
  const dig = { command: "dig", runs: 2 };
  const once = { command: "curl", runs: 1 };

  it("runs each program once, then reads the files, then the programs' other runs in turns", () => {
    const files = [makeFile("/a", WARM_UP_BATCH_BYTES), makeFile("/b", 5)];
    expect(warmUpSteps(files, [python, dig, once]).map((s) => s.command)).toEqual([
      run("python3 -c 1"),
      run("dig"),
      run("curl"),
      read("/a"),
      read("/b"),
      run("python3 -c 1"),
      run("dig"),
      run("python3 -c 1"),
    ]);
  });

  it("counts the files and bytes of the batches only", () => {
    const steps = warmUpSteps([makeFile("/a", 7), makeFile("/b", 5)], [python]);
    expect(steps.map((s) => [s.files, s.bytes])).toEqual([
      [0, 0],
      [2, 12],
      [0, 0],
      [0, 0],
    ]);
  });

  it("skips a program with no runs", () => {
    expect(warmUpSteps([], [{ command: "never", runs: 0 }])).toEqual([]);
  });
});

describe("warmUpCommand", () => {
  it("reads the paths at the lowest priority, quoted, and never fails", () => {
    expect(warmUpCommand(["/usr/bin/dig", "/etc/it's here"])).toBe(
      `nice -n 19 cat -- '/usr/bin/dig' '/etc/it'\\''s here' >/dev/null 2>&1; true`,
    );
  });

  it("waits for an idle guest first when asked to", () => {
    expect(whenGuestIdle(read("/a"))).toBe(`${WAIT_FOR_IDLE_GUEST}; ${read("/a")}`);
  });
});

describe("warmUp", () => {
  it("runs each batch in its own session", async () => {
    const vm = new FakeVm();
    let clock = 0;
    const files = [makeFile("/a", 5 * MB), makeFile("/b", 5 * MB)];
    const report = await warmUp(vm, readOnly(files), { now: () => (clock += 100) });
    expect(report).toEqual({ steps: 2, files: 2, bytes: 10 * MB, ms: 100, completed: true });
    expect(vm.commands.map((c) => c.command)).toEqual([checked(read("/a")), checked(read("/b"))]);
    expect(vm.commands.every((c) => c.options.session === WARM_UP_SESSION)).toBe(true);
  });

  it("stops quietly when the VM is reset under it", async () => {
    const vm = new FakeVm((command) => {
      if (command.includes("/b")) throw new VmResetError();
      return {};
    });
    const files = [makeFile("/a", 5 * MB), makeFile("/b", 5 * MB), makeFile("/c", 5 * MB)];
    const report = await warmUp(vm, readOnly(files));
    expect(report).toMatchObject({ steps: 1, files: 1, bytes: 5 * MB, completed: false });
    expect(vm.commands.map((c) => c.command)).toEqual([checked(read("/a")), checked(read("/b"))]);
  });

  it("stops quietly when the VM is destroyed", async () => {
    const vm = new FakeVm();
    await vm.destroy();
    const report = await warmUp(vm, readOnly([makeFile("/a")]));
    expect(report).toMatchObject({ files: 0, completed: false });
  });

  it("runs no further batch once stopped", async () => {
    const controller = new AbortController();
    const vm = new FakeVm(() => {
      controller.abort();
      return {};
    });
    const files = [makeFile("/a", 5 * MB), makeFile("/b", 5 * MB)];
    const report = await warmUp(vm, readOnly(files), { signal: controller.signal });
    expect(report.completed).toBe(false);
    expect(vm.commands).toHaveLength(1);
  });

  it("goes on after a batch that timed out or failed in the guest", async () => {
    const vm = new FakeVm((command) =>
      command.includes("/a") ? { exitCode: 124, timedOut: true } : {},
    );
    const report = await warmUp(vm, readOnly([makeFile("/a", 5 * MB), makeFile("/b", 5 * MB)]));
    expect(report.completed).toBe(true);
    expect(vm.commands.filter((c) => isBatch(c.command))).toHaveLength(2);
  });

  it("makes a step wait for an idle guest only when told it is due", async () => {
    const vm = new FakeVm();
    const due = [true, false, true];
    await warmUp(
      vm,
      readOnly([makeFile("/a", 5 * MB), makeFile("/b", 5 * MB), makeFile("/c", 5 * MB)]),
      {
        idleCheckDue: () => due.shift() ?? true,
      },
    );
    expect(vm.commands.map((c) => c.command)).toEqual([
      checked(read("/a")),
      read("/b"),
      checked(read("/c")),
    ]);
  });
});

describe("BackgroundWarmUp", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("starts after its delay, then writes the done file and reports", async () => {
    const vm = new FakeVm();
    const reports: WarmUpReport[] = [];
    let clock = 0;
    const background = new BackgroundWarmUp(vm, [makeFile("/a", 5)], {
      onReport: (r) => reports.push(r),
      programs: [],
      delayMs: 1000,
      now: () => (clock += 50),
    });
    background.restart();
    await vi.advanceTimersByTimeAsync(999);
    expect(vm.commands).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const [report] = reports;
    expect(report).toMatchObject({ files: 1, bytes: 5, completed: true });
    expect(vm.commands.map((c) => c.command)).toEqual([
      checked(read("/a")),
      `echo 1 5 ${report?.ms} > ${WARM_UP_DONE_FILE}`,
    ]);
    expect(report?.ms).toBeGreaterThan(0);
  });

  it("pauses after the batch in flight and resumes with the files not read yet", async () => {
    const { vm, background, reports, release } = warmUpHeldAt("'/a'", [
      makeFile("/a", 5 * MB),
      makeFile("/b", 5 * MB),
    ]);
    background.restart();
    await vi.advanceTimersByTimeAsync(10);
    let paused = false;
    const pausing = background.pause().then(() => (paused = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(paused).toBe(false); // /a is still being read
    release();
    await pausing;
    expect(vm.commands.filter((c) => isBatch(c.command))).toHaveLength(1);
    background.resume();
    await vi.advanceTimersByTimeAsync(0);
    // Nothing happened in between: the guest was checked before /a only.
    expect(vm.commands.filter((c) => isBatch(c.command)).map((c) => c.command)).toEqual([
      checked(read("/a")),
      read("/b"),
    ]);
    expect(reports).toMatchObject([{ files: 2, bytes: 10 * MB, completed: true }]);
  });

  it("does not start when stopped before its delay", async () => {
    const vm = new FakeVm();
    const background = new BackgroundWarmUp(vm, [makeFile("/a")], { delayMs: 1000 });
    background.restart();
    background.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(vm.commands).toHaveLength(0);
  });

  it("ends the running warm-up on restart and reports only the new one", async () => {
    const { vm, background, reports, release } = warmUpHeldAt("/slow", [
      makeFile("/slow", 5 * MB),
      makeFile("/b", 5 * MB),
    ]);
    background.restart();
    await vi.advanceTimersByTimeAsync(10);
    background.restart(); // the VM was restored while the first batch ran
    release();
    await vi.advanceTimersByTimeAsync(10);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ files: 2, completed: true });
    // The old warm-up stopped after its batch: /b was read once, by the new one.
    expect(
      vm.commands.filter((c) => isBatch(c.command) && c.command.includes("'/b'")),
    ).toHaveLength(1);
  });

  it("runs the programs too, and only then reports", async () => {
    const vm = new FakeVm();
    const reports: WarmUpReport[] = [];
    const background = new BackgroundWarmUp(vm, [makeFile("/a")], {
      ...QUICK,
      programs: [{ command: "python3 -c 1", runs: 2 }],
      onReport: (r) => reports.push(r),
    });
    background.restart();
    await vi.advanceTimersByTimeAsync(10);
    expect(vm.commands.map((c) => c.command).slice(0, 3)).toEqual([
      checked(run("python3 -c 1")),
      read("/a"),
      run("python3 -c 1"),
    ]);
    expect(reports).toMatchObject([{ files: 1, completed: true }]);
  });

  it("resumes after a pause with the program runs not done yet, not again from the start", async () => {
    const { vm, background, reports, release } = warmUpHeldAt(
      "'/a'",
      [makeFile("/a")],
      [{ command: "true", runs: 2 }],
    );
    background.restart();
    await vi.advanceTimersByTimeAsync(10);
    const pausing = background.pause();
    release();
    await pausing;
    background.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(vm.commands.map((c) => c.command)).toEqual([
      checked(run("true")),
      read("/a"),
      run("true"),
      expect.stringContaining(WARM_UP_DONE_FILE),
    ]);
    expect(reports).toMatchObject([{ files: 1, completed: true }]);
  });

  it("waits while a command of the person or the agent runs, and for a pause after it", async () => {
    let finish: () => void = () => undefined;
    const vm = new FakeVm();
    const background = new BackgroundWarmUp(vm, [makeFile("/a")], {
      ...QUICK,
      idleMs: 3000,
    });
    const agentCommand = background.whileBusy(new Promise<void>((r) => (finish = r)));
    background.restart();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(vm.commands).toHaveLength(0);
    finish();
    await agentCommand;
    await vi.advanceTimersByTimeAsync(2000);
    background.noteActivity(); // a keystroke
    await vi.advanceTimersByTimeAsync(2900);
    expect(vm.commands).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(400);
    expect(vm.commands.map((c) => c.command)[0]).toBe(checked(read("/a")));
  });

  it("checks the guest again when something happened since its last check", async () => {
    const vm = new FakeVm((command) => {
      if (command.includes("'/a'")) background.noteActivity(); // typed while /a was read
      return {};
    });
    const files = ["/a", "/b", "/c"].map((path) => makeFile(path, 5 * MB));
    const background = new BackgroundWarmUp(vm, files, QUICK);
    background.restart();
    await vi.advanceTimersByTimeAsync(1000);
    expect(vm.commands.filter((c) => isBatch(c.command)).map((c) => c.command)).toEqual([
      checked(read("/a")),
      checked(read("/b")),
      read("/c"),
    ]);
  });

  it("checks the guest again IDLE_RECHECK_MS after its last check, even when all was quiet", async () => {
    const stepMs = IDLE_RECHECK_MS * 0.6;
    let clock = 0;
    const vm = new FakeVm(() => {
      clock += stepMs;
      return {};
    });
    const files = ["/a", "/b", "/c", "/d"].map((path) => makeFile(path, 5 * MB));
    const background = new BackgroundWarmUp(vm, files, { ...QUICK, now: () => clock });
    background.restart();
    await vi.advanceTimersByTimeAsync(1000);
    expect(vm.commands.filter((c) => isBatch(c.command)).map((c) => c.command)).toEqual([
      checked(read("/a")),
      read("/b"),
      checked(read("/c")),
      read("/d"),
    ]);
  });

  it("checks the guest first again after a restart", async () => {
    const vm = new FakeVm();
    const background = new BackgroundWarmUp(vm, [makeFile("/a")], QUICK);
    background.restart();
    await vi.advanceTimersByTimeAsync(100);
    background.restart(); // a reset
    await vi.advanceTimersByTimeAsync(100);
    expect(vm.commands.filter((c) => isBatch(c.command)).map((c) => c.command)).toEqual([
      checked(read("/a")),
      checked(read("/a")),
    ]);
  });

  it("tells its progress at each restart and after each step, also across a pause", async () => {
    const progress: WarmUpProgress[] = [];
    let release: () => void = () => undefined;
    const vm = new FakeVm(async (command) => {
      if (command.includes("'/a'")) await new Promise<void>((r) => (release = r));
      return {};
    });
    const background = new BackgroundWarmUp(vm, [makeFile("/a", 5 * MB), makeFile("/b", 5 * MB)], {
      ...QUICK,
      programs: [{ command: "true", runs: 1 }],
      onProgress: (p) => progress.push(p),
    });
    background.restart();
    expect(progress).toEqual([{ done: 0, total: 3 }]);
    await vi.advanceTimersByTimeAsync(10);
    const pausing = background.pause(); // while /a is read
    release();
    await pausing;
    background.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(progress).toEqual([
      { done: 0, total: 3 },
      { done: 1, total: 3 },
      { done: 2, total: 3 },
      { done: 3, total: 3 },
    ]);
    background.restart(); // a reset: the warm-up starts again
    expect(progress.at(-1)).toEqual({ done: 0, total: 3 });
    background.stop();
  });

  it("does nothing without files", async () => {
    const vm = new FakeVm();
    const background = new BackgroundWarmUp(vm, []);
    background.restart();
    await vi.advanceTimersByTimeAsync(5000);
    expect(vm.commands).toHaveLength(0);
  });
});

describe("WARM_PATHS", () => {
  it("lists absolute guest paths, most used first, with totals that add up", () => {
    const { files } = WARM_PATHS;
    for (const file of files) expect(file.path.startsWith("/")).toBe(true);
    for (let i = 1; i < files.length; i++)
      expect(files[i - 1]!.uses).toBeGreaterThanOrEqual(files[i]!.uses);
    expect(WARM_PATHS.totalBytes).toBe(files.reduce((n, f) => n + f.bytes, 0));
    expect(WARM_PATHS.totalBlobBytes).toBe(files.reduce((n, f) => n + f.blobBytes, 0));
    expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
  });
});
