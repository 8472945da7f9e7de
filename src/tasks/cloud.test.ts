// Unit tests of a cloud task's wiring: the VM's `cloud` calls reach a fresh control plane, graded host-side.
import { describe, expect, it, vi } from "vitest";
import { cloudChecks, GRADE_SETTLE_MS } from "../cloud/queries";
import type { TaskBundle } from "../domain/task";
import type { HostCallHandler, Vm } from "../vm/vm";
import { cloudCheckLines, cloudStateOf, startTaskCloud, taskCloud } from "./cloud";

function fakeVm() {
  const handlers = new Map<string, HostCallHandler>();
  const files = new Map<string, string>();
  const vm = {
    handleHostCalls: (service: string, handler: HostCallHandler) => {
      handlers.set(service, handler);
      return () => handlers.get(service) === handler && handlers.delete(service);
    },
    writeFile: async (path: string, data: string | Uint8Array) => {
      files.set(path, String(data));
    },
  } as unknown as Vm;
  const cloud = (argv: string[], profile?: string) =>
    handlers.get("cloud")?.({
      argv,
      ...(profile ? { profile } : {}),
      credentials: keysOf(files),
    }) as { stdout: string; stderr: string; exitCode: number } | undefined;
  return { vm, files, cloud };
}

function keysOf(files: Map<string, string>) {
  const text = files.get("/root/.cloud/credentials") ?? "";
  const id = /access_key_id = (\S+)/.exec(text)?.[1];
  const secret = /secret_access_key = (\S+)/.exec(text)?.[1];
  return id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined;
}

const task = (cloudJson?: string): TaskBundle => ({
  meta: {
    id: "t",
    title: "t",
    domain: "cloud",
    difficulty: "easy",
    tags: [],
    teaches: "x",
    limits: { agentSteps: 1, agentSeconds: 1, commandSeconds: 1, checkSeconds: 1 },
  },
  instruction: "",
  setupScript: "",
  solutionScript: "",
  checkScript: "",
  wrongFixes: [],
  files: {},
  ...(cloudJson === undefined ? {} : { cloudJson }),
});

const CLOUD_JSON = JSON.stringify({
  policies: [{ name: "read", statements: [{ effect: "Allow", actions: ["compute:Describe*"] }] }],
  users: [{ name: "ops", policies: ["read"] }],
  agent: { user: "ops", region: "eu-west-1" },
});

describe("startTaskCloud", () => {
  it("answers the VM's cloud calls as the agent's user, with credentials written into the VM", async () => {
    const { vm, files, cloud } = fakeVm();
    await startTaskCloud(vm, task(CLOUD_JSON), { nowMs: () => 0 });
    expect(files.get("/root/.cloud/config")).toBe("[default]\nregion = eu-west-1\n");
    expect(cloud(["iam", "whoami"])?.stdout).toMatch(/principal: +user\/ops/);
    expect(cloud(["volumes", "list"])?.stderr).toMatch(/AccessDenied/);
  });

  it("leaves the VM's credentials as they are when told (a restored task state has setup's own)", async () => {
    const { vm, files, cloud } = fakeVm();
    files.set("/root/.cloud/credentials", "[default]\n...\n[backup]\naccess_key_id = AKIA0\n");
    await startTaskCloud(vm, task(CLOUD_JSON), { nowMs: () => 0, writeCredentials: false });
    expect(files.get("/root/.cloud/credentials")).toContain("[backup]");
    expect(files.has("/root/.cloud/config")).toBe(false);
    expect(cloud(["iam", "whoami"])).toBeDefined();
  });

  it("exposes the state with its audit log, the agent's calls included", async () => {
    const { vm, cloud } = fakeVm();
    await startTaskCloud(vm, task(CLOUD_JSON), { nowMs: () => 0 });
    expect(cloud(["volumes", "list"])?.exitCode).toBe(1);
    expect(cloudStateOf(vm)?.audit.map((e) => [e.principal, e.action, e.outcome])).toEqual([
      ["user/ops", "DescribeVolumes", "error"],
    ]);
  });

  it("removes the previous task's control plane for a task without one", async () => {
    const { vm, cloud } = fakeVm();
    await startTaskCloud(vm, task(CLOUD_JSON), { nowMs: () => 0 });
    await startTaskCloud(vm, task(), { nowMs: () => 0 });
    expect(cloud(["iam", "whoami"])).toBeUndefined();
    expect(taskCloud(vm)).toBeUndefined();
  });
});

describe("cloudCheckLines", () => {
  it("runs the task's checks host-side on the state settled, beside the state it began with", async () => {
    const { vm, cloud } = fakeVm();
    let now = 0;
    const seen: number[] = [];
    const hostChecks = cloudChecks(({ cloud: c, initial, check }) => {
      seen.push(c.nowMs - initial.nowMs);
      check(c.audit({ principal: "user/ops" }).length === 1, "ops made one call", "ops did not");
    });
    const graded = { ...task(CLOUD_JSON), hostChecks };
    await startTaskCloud(vm, graded, { nowMs: () => now });
    const start = taskCloud(vm)!.plane.state.nowMs;
    expect(cloudCheckLines(vm, graded)).toEqual([{ passed: false, text: "ops did not" }]);
    cloud(["iam", "whoami"]);
    now = 1500;
    expect(cloudCheckLines(vm, graded)).toEqual([{ passed: true, text: "ops made one call" }]);
    expect(seen).toEqual([GRADE_SETTLE_MS, 1500 + GRADE_SETTLE_MS]);
    expect(taskCloud(vm)!.plane.state.nowMs - start).toBe(1500);
  });

  it("runs the control plane on real time when the clock given is undefined", async () => {
    const { vm } = fakeVm();
    const realTime = vi.spyOn(Date, "now").mockReturnValue(10_000);
    try {
      const graded = { ...task(CLOUD_JSON), hostChecks: cloudChecks(() => {}) };
      await startTaskCloud(vm, graded, { nowMs: undefined });
      const start = taskCloud(vm)!.plane.state.nowMs;
      realTime.mockReturnValue(11_500);
      cloudCheckLines(vm, graded);
      expect(taskCloud(vm)!.plane.state.nowMs - start).toBe(1500);
    } finally {
      realTime.mockRestore();
    }
  });

  it("fails, never passes, when the checks throw or the control plane is gone", async () => {
    const { vm } = fakeVm();
    const broken = {
      ...task(CLOUD_JSON),
      hostChecks: cloudChecks(() => {
        throw new Error("no such group");
      }),
    };
    expect(cloudCheckLines(vm, broken)).toEqual([
      { passed: false, text: expect.stringMatching(/control plane is not running/) },
    ]);
    await startTaskCloud(vm, broken, { nowMs: () => 0 });
    expect(cloudCheckLines(vm, broken)).toEqual([
      { passed: false, text: "the cloud checks failed: no such group" },
    ]);
    expect(cloudCheckLines(vm, task(CLOUD_JSON))).toEqual([]);
  });
});
