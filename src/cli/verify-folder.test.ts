// Unit tests of a verify job's VM: its first task is set up once, untimed, before it is verified.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FakeVm } from "../vm/fake-vm";
import type { Vm } from "../vm/vm";
import { verifyInVm, warmForFirstTask, type FolderReport, type VerifyJob } from "./verify-folder";

const TASKS = resolve(import.meta.dirname, "../../tasks");
const job = (folder: string): VerifyJob => ({
  folder: resolve(TASKS, folder),
  repeat: 1,
  json: true,
});
const setups = (vm: FakeVm) => vm.commands.filter((c) => c.command.includes("setup.sh;")).length;

describe("a verify job's VM", () => {
  it("sets up its first task once before verifying it, and no later one", async () => {
    const vm = new FakeVm(() => ({}));
    const verified: string[] = [];
    const verify = (_vm: Vm, j: VerifyJob): Promise<FolderReport> => {
      verified.push(`${j.folder} after ${setups(vm)} setup(s)`);
      return Promise.resolve({
        id: j.folder,
        folder: j.folder,
        ok: true,
        rounds: [],
        problems: [],
      });
    };
    const run = verifyInVm(vm, verify);
    await run(job("sysadmin/nginx-wont-start"));
    await run(job("sysadmin/login-path-broken"));
    expect(verified).toEqual([
      `${resolve(TASKS, "sysadmin/nginx-wont-start")} after 1 setup(s)`,
      `${resolve(TASKS, "sysadmin/login-path-broken")} after 1 setup(s)`,
    ]);
  });

  it("goes on quietly when the first task cannot be set up (verifying it says why)", async () => {
    const vm = new FakeVm((command) =>
      command.includes("setup.sh;") ? { exitCode: 1, stderr: "broken\n" } : {},
    );
    await expect(warmForFirstTask(vm, resolve(TASKS, "sysadmin/nginx-wont-start"))).resolves.toBe(
      undefined,
    );
    await expect(warmForFirstTask(vm, resolve(TASKS, "no/such-task"))).resolves.toBe(undefined);
    expect(setups(vm)).toBe(1);
  });
});
