// Unit tests of the control plane itself: the clock, reconciliation, determinism, atomic calls, audit, state I/O.
import { describe, expect, it } from "vitest";
import { ACTIONS } from "./actions";
import { changingCalls, isReadOnlyAction } from "./audit";
import { CloudControlPlane } from "./control-plane";
import { callAs, fails, makeCloud, ok } from "./fixture";
import { restoreCloudState } from "../initial/initial-state";
import { INSTANCE_BOOT_MS, INSTANCE_STOP_MS } from "./model";

const launch = (plane: CloudControlPlane) =>
  ok<{ id: string; state: string }>(plane, "RunInstances", {
    type: "small",
    image: "web",
    subnet: "public-a",
    "security-groups": ["web"],
  });

describe("the simulated clock", () => {
  it("moves a new instance from pending to running when its boot time has passed", () => {
    const plane = makeCloud();
    const { id, state } = launch(plane);
    expect(state).toBe("pending");
    plane.advance(INSTANCE_BOOT_MS - 1);
    expect(ok<{ state: string }>(plane, "DescribeInstance", { instance: id }).state).toBe(
      "pending",
    );
    plane.advance(1);
    expect(ok<{ state: string }>(plane, "DescribeInstance", { instance: id }).state).toBe(
      "running",
    );
  });

  it("ends the same whether time passes in one step or many", () => {
    const once = makeCloud();
    const steps = makeCloud();
    for (const plane of [once, steps]) {
      const { id } = launch(plane);
      plane.advance(INSTANCE_BOOT_MS);
      ok(plane, "StopInstances", { instance: id });
    }
    once.advance(INSTANCE_STOP_MS * 3);
    for (let i = 0; i < 12; i++) steps.advance(INSTANCE_STOP_MS / 4);
    expect(steps.snapshot().instances).toEqual(once.snapshot().instances);
    expect(once.state.instances.at(-1)?.state).toBe("stopped");
  });

  it("refuses to run backwards", () => {
    expect(() => makeCloud().advance(-1)).toThrow(RangeError);
  });
});

describe("determinism", () => {
  it("gives the same ids for the same seed and calls, other ids for another seed", () => {
    const a = launch(makeCloud()).id;
    expect(launch(makeCloud()).id).toBe(a);
    expect(launch(makeCloud({ seed: 8 })).id).not.toBe(a);
    expect(a).toMatch(/^i-[0-9a-f]{17}$/);
  });
});

describe("calls", () => {
  it("change nothing when they fail half-way", () => {
    const plane = makeCloud();
    const before = plane.snapshot();
    const failure = fails(plane, "RegisterTargets", {
      "target-group": "web",
      instances: ["i-web1", "i-nope"],
    });
    expect(failure.code).toBe("InvalidInstanceID.NotFound");
    expect(plane.state.targetGroups).toEqual(before.targetGroups);
  });

  it("name an unknown action, missing credentials, bad keys and unknown regions", () => {
    const plane = makeCloud();
    expect(fails(plane, "FlyToTheMoon").code).toBe("InvalidAction");
    const anonymous = plane.call({
      credentials: undefined,
      action: "DescribeInstances",
      params: {},
    });
    expect(!anonymous.ok && anonymous.error.code).toBe("MissingAuthenticationToken");
    const badKey = plane.call({
      credentials: { kind: "keys", accessKeyId: "AKNOPE", secretAccessKey: "x" },
      action: "DescribeInstances",
      params: {},
    });
    expect(!badKey.ok && badKey.error.code).toBe("InvalidClientTokenId");
    const badSecret = plane.call({
      credentials: { kind: "keys", accessKeyId: "AKADMIN", secretAccessKey: "x" },
      action: "DescribeInstances",
      params: {},
    });
    expect(!badSecret.ok && badSecret.error.code).toBe("SignatureDoesNotMatch");
    const region = plane.call({
      credentials: { kind: "keys", accessKeyId: "AKADMIN", secretAccessKey: "admin-secret" },
      action: "DescribeInstances",
      params: {},
      region: "mars-1",
    });
    expect(!region.ok && region.error.message).toMatch(/region 'mars-1' does not exist/);
  });
});

describe("the audit log", () => {
  it("records every call, allowed, refused or failed, with who and the outcome, and no secrets", () => {
    const plane = makeCloud();
    ok(plane, "DescribeInstances");
    callAs(plane, "viewer", "TerminateInstances", { instance: "i-web1" });
    fails(plane, "DescribeInstance", { instance: "i-nope" });
    ok(plane, "CreatePolicy", {
      name: "p",
      document: '{"statements":[{"effect":"Allow","actions":["x:Y"]}]}',
    });
    const log = plane.state.audit.map((e) => [
      e.seq,
      e.principal,
      e.action,
      e.outcome,
      e.errorCode,
    ]);
    expect(log).toEqual([
      [1, "user/admin", "DescribeInstances", "ok", null],
      [2, "user/viewer", "TerminateInstances", "error", "AccessDenied"],
      [3, "user/admin", "DescribeInstance", "error", "InvalidInstanceID.NotFound"],
      [4, "user/admin", "CreatePolicy", "ok", null],
    ]);
    expect(plane.state.audit[3]?.params.document).toBe("(redacted)");
    expect(plane.state.audit[1]?.resource).toBe("instance/i-web1");
  });

  it("tells the calls that changed the cloud from reads and refused calls", () => {
    const plane = makeCloud();
    ok(plane, "DescribeInstances");
    callAs(plane, "viewer", "TerminateInstances", { instance: "i-web1" });
    ok(plane, "CreatePolicy", {
      name: "p",
      document: '{"statements":[{"effect":"Allow","actions":["x:Y"]}]}',
    });
    ok(plane, "GetCallerIdentity");
    expect(changingCalls(plane.state.audit).map((e) => e.action)).toEqual(["CreatePolicy"]);
  });

  it("counts as read-only exactly the actions that only describe, list, get, look up, simulate or test", () => {
    // NOTE: a new action lands in one list or the other here, so someone decides which it is.
    expect(ACTIONS.filter((a) => isReadOnlyAction(a.name)).map((a) => a.name)).toEqual(
      ACTIONS.map((a) => a.name).filter(
        (n) =>
          !/^(Create|Delete|Update|Attach|Detach|Authorize|Revoke|Register|Deregister|Modify|Set|Run|Terminate|Start|Stop|Reboot|Rollback|Scale|Upsert)/.test(
            n,
          ),
      ),
    );
    expect(isReadOnlyAction("UpdateDeploymentProbe")).toBe(false);
    expect(isReadOnlyAction("DescribeTargetHealth")).toBe(true);
  });

  it("is readable through the API", () => {
    const plane = makeCloud();
    ok(plane, "DescribeInstances");
    const { items } = ok<{ items: { action: string }[] }>(plane, "LookupEvents");
    expect(items.map((e) => e.action)).toEqual(["DescribeInstances"]);
  });
});

describe("state I/O", () => {
  it("round-trips through JSON and refuses another version", () => {
    const plane = makeCloud();
    launch(plane);
    const restored = new CloudControlPlane(
      restoreCloudState(JSON.parse(JSON.stringify(plane.snapshot()))),
    );
    expect(restored.state).toEqual(plane.state);
    expect(() => restoreCloudState({ version: 99 })).toThrow(
      /version: a cloud state of version 1 \(got 99\)/,
    );
  });
});
