// Unit tests of a cloud task's wiring: the VM's `cloud` calls reach a fresh control plane, the grader identity only while grading.
import { describe, expect, it } from "vitest";
import type { TaskBundle } from "../domain/task";
import type { HostCallHandler, Vm } from "../vm/vm";
import { asGrader, cloudStateOf, startTaskCloud, taskCloud } from "./cloud";

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
    await startTaskCloud(vm, task(CLOUD_JSON), () => 0);
    expect(files.get("/root/.cloud/config")).toBe("[default]\nregion = eu-west-1\n");
    expect(cloud(["iam", "whoami"])?.stdout).toMatch(/principal: +user\/ops/);
    expect(cloud(["volumes", "list"])?.stderr).toMatch(/AccessDenied/);
  });

  it("honours the grader profile only inside asGrader, and exposes the state with its audit log", async () => {
    const { vm, cloud } = fakeVm();
    await startTaskCloud(vm, task(CLOUD_JSON), () => 0);
    let profile = "";
    const inside = await asGrader(vm, async (env) => {
      profile = env.CLOUD_PROFILE ?? "";
      return cloud(["volumes", "list"], profile)?.exitCode;
    });
    expect(profile).toMatch(/^grader-[0-9a-f-]{36}$/);
    expect(inside).toBe(0);
    expect(cloud(["volumes", "list"], profile)?.exitCode).toBe(1);
    expect(cloudStateOf(vm)?.audit.map((e) => [e.principal, e.outcome])).toEqual([
      ["grader", "ok"],
      ["user/ops", "error"],
    ]);
  });

  it("removes the previous task's control plane for a task without one", async () => {
    const { vm, cloud } = fakeVm();
    await startTaskCloud(vm, task(CLOUD_JSON), () => 0);
    await startTaskCloud(vm, task(), () => 0);
    expect(cloud(["iam", "whoami"])).toBeUndefined();
    expect(taskCloud(vm)).toBeUndefined();
  });
});
