// Unit tests of the graders' query API: lookups by identity, what groups admit, health, DNS, IAM simulation, settling.
import { describe, expect, it } from "vitest";
import type { CheckLine } from "../../domain/task";
import { makeCloud, ok } from "../core/fixture";
import { INSTANCE_BOOT_MS } from "../core/model";
import {
  admitsInternetSource,
  cloudChecks,
  CloudView,
  GRADE_SETTLE_MS,
  isReadOnly,
  PERMISSIONS,
  runCloudChecks,
  settled,
  unchanged,
} from ".";

const view = (plane = makeCloud()) => new CloudView(plane.state);

describe("admitsInternetSource", () => {
  it("is true for any block with a public address, false inside the non-public ranges and for groups", () => {
    for (const open of ["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/7", "11.0.0.0/8"])
      expect(admitsInternetSource(open), open).toBe(true);
    for (const open of ["172.0.0.0/8", "203.0.113.0/24", "198.51.100.7/32"])
      expect(admitsInternetSource(open), open).toBe(true);
    for (const closed of ["10.0.0.0/8", "10.20.0.0/16", "172.16.0.0/12", "192.168.1.0/24"])
      expect(admitsInternetSource(closed), closed).toBe(false);
    expect(admitsInternetSource("sg-0abc")).toBe(false);
  });
});

describe("what security groups admit", () => {
  it("names the rule that admits a source, by address or by group membership", () => {
    const plane = makeCloud();
    expect(view(plane).admits(["sg-web"], 80, { groupIds: ["sg-lb"] })).toEqual([
      expect.objectContaining({ group: expect.objectContaining({ id: "sg-web" }) }),
    ]);
    expect(view(plane).admits(["sg-web"], 80, { ip: "10.0.2.7" })).toEqual([]);
    expect(view(plane).admits(["sg-web"], 22, { groupIds: ["sg-lb"] })).toEqual([]);
    ok(plane, "AuthorizeSecurityGroupIngress", {
      group: "web",
      protocol: "tcp",
      port: "80",
      source: "10.0.0.0/8",
    });
    const wide = view(plane).admits(["sg-web"], 80, { ip: "10.0.2.7" });
    expect(wide.map((a) => a.rule.source)).toEqual(["10.0.0.0/8"]);
    expect(() => view(plane).admits(["sg-web"], 80, { ip: "10.0.2" })).toThrow(/not an IPv4/);
  });

  it("finds every rule on a port whatever its source, and the ones open to the internet", () => {
    const plane = makeCloud();
    expect(view(plane).rulesAdmitting(["sg-web", "sg-lb"], 80)).toHaveLength(2);
    expect(view(plane).admitsInternet(["sg-web"], 80)).toEqual([]);
    expect(
      view(plane)
        .admitsInternet(["sg-lb"], 80)
        .map((a) => a.rule.source),
    ).toEqual(["0.0.0.0/0"]);
    ok(plane, "AuthorizeSecurityGroupIngress", {
      group: "web",
      protocol: "all",
      source: "0.0.0.0/1",
    });
    expect(
      view(plane)
        .admitsInternet(["sg-web"], 8443)
        .map((a) => a.rule.source),
    ).toEqual(["0.0.0.0/1"]);
    const anyPort = view(plane).admitsInternet(["sg-web", "sg-lb"]);
    expect(anyPort.map((a) => a.rule.source)).toEqual(["0.0.0.0/0", "0.0.0.0/1"]);
  });
});

describe("what only the load balancer may reach", () => {
  it("flags rules that let a port in past the load balancer, but not a group that nothing carries", () => {
    const plane = makeCloud();
    const sources = view(plane).loadBalancerSources("shop");
    expect(sources).toEqual({ groupIds: ["sg-lb"], cidrs: ["10.0.1.0/24"] });
    expect(view(plane).admittedOutside(["sg-web"], 80, sources)).toEqual([]);
    const allow = (source: string) =>
      ok(plane, "AuthorizeSecurityGroupIngress", {
        group: "web",
        protocol: "tcp",
        port: "80",
        source,
      });
    allow("10.0.1.0/25");
    allow("sg-spare");
    expect(view(plane).admittedOutside(["sg-web"], 80, sources)).toEqual([]);
    ok(plane, "ModifyInstanceSecurityGroups", {
      instance: "i-web2",
      "security-groups": ["web", "spare"],
    });
    expect(
      view(plane)
        .groupMembers("sg-spare")
        .instances.map((i) => i.id),
    ).toEqual(["i-web2"]);
    allow("10.0.0.0/16");
    expect(
      view(plane)
        .admittedOutside(["sg-web"], 80, sources)
        .map((a) => a.rule.source),
    ).toEqual(["sg-spare", "10.0.0.0/16"]);
    expect(view(plane).loadBalancerSources("nope")).toEqual({ groupIds: [], cidrs: [] });
  });
});

describe("unchanged", () => {
  it("compares plain data deeply, whatever the key order", () => {
    expect(unchanged({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true);
    expect(unchanged({ a: [1, 2] }, { a: [1, 2, 3] })).toBe(false);
    expect(unchanged({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(unchanged([], {})).toBe(false);
    expect(unchanged(undefined, {})).toBe(false);
  });
});

describe("resources by identity", () => {
  it("tells a new instance under an old name from the original", () => {
    const plane = makeCloud();
    ok(plane, "TerminateInstances", { instance: "i-web1" });
    const launched = ok<{ id: string }>(plane, "RunInstances", {
      name: "web-1",
      type: "small",
      image: "web",
      subnet: "public-a",
    });
    plane.advance(INSTANCE_BOOT_MS * 2);
    const cloud = view(plane);
    expect(cloud.instancesNamed("web-1").map((i) => i.id)).toEqual([launched.id]);
    expect(cloud.instanceIdNamed("web-1")).toBe(launched.id);
    expect(() => cloud.instanceIdNamed("web-9")).toThrow(/one instance named web-9, found 0/);
    expect(cloud.volumeIdNamed("data")).toBe("vol-data");
    expect(cloud.instance("i-web1")?.state).toBe("terminated");
    expect(cloud.volumeAt("i-web1", "/dev/sdf")).toBeUndefined();
  });
});

describe("behaviour the grader reads", () => {
  it("gives target health, a listener's group, and the load balancer a name resolves to", () => {
    const cloud = view();
    expect(cloud.listenerTarget("shop", 80)?.name).toBe("web");
    expect(cloud.httpPorts("i-web1")).toEqual([80]);
    expect(cloud.httpPorts("i-nope")).toEqual([]);
    expect(cloud.targetHealth("web").map((t) => t.state)).toEqual(["healthy", "healthy"]);
    expect(cloud.targetHealth("nope")).toEqual([]);
    const www = cloud.resolve("www.shop.example");
    expect(www.loadBalancer?.name).toBe("shop");
    expect(www.answers.length).toBeGreaterThan(0);
    expect(cloud.resolve("nope.shop.example")).toMatchObject({
      answers: [],
      loadBalancer: undefined,
    });
  });

  it("reports a deployment's rollout, which a settled copy shows finished once it would be", () => {
    const plane = makeCloud();
    expect(view(plane).deployment("api")).toMatchObject({ rolledOut: true, ready: 2, replicas: 2 });
    ok(plane, "UpdateDeploymentImage", { deployment: "api", image: "shop/api:1.1" });
    expect(new CloudView(settled(plane.state, GRADE_SETTLE_MS)).deployment("api")).toMatchObject({
      image: "shop/api:1.1",
      rolledOut: false,
      ready: 2,
    });
    ok(plane, "UpdateDeploymentEnv", { deployment: "api", env: { CACHE_URL: "redis://c" } });
    expect(view(plane).deployment("api")?.rolledOut).toBe(false);
    const later = new CloudView(settled(plane.state, GRADE_SETTLE_MS));
    expect(later.deployment("api")).toMatchObject({ rolledOut: true, ready: 2 });
    expect(later.deployment("api")?.env).toEqual({
      DATABASE_URL: "postgres://db/shop",
      CACHE_URL: "redis://c",
    });
    expect(view(plane).deployment("nope")).toBeUndefined();
  });

  it("filters the audit log by who, what, outcome and time", () => {
    const plane = makeCloud();
    ok(plane, "DescribeInstances");
    plane.advance(1000);
    const since = plane.state.nowMs;
    ok(plane, "ScaleDeployment", { deployment: "api", replicas: 3 });
    const cloud = view(plane);
    expect(cloud.audit({ principal: "user/admin" })).toHaveLength(2);
    expect(cloud.audit({ sinceMs: since }).map((e) => e.action)).toEqual(["ScaleDeployment"]);
    expect(
      cloud.audit({ action: /^Scale/, resource: "deployment/api", outcome: "ok" }),
    ).toHaveLength(1);
  });
});

describe("IAM simulation", () => {
  it("says which statement decided: an explicit deny, an allow, or nothing", () => {
    const cloud = view();
    expect(cloud.simulate("role/deployer", "deploy:UpdateDeployment", "deployment/api")).toEqual({
      decision: "allowed",
      decidedBy: { policy: "deploy", statement: 0 },
    });
    expect(cloud.simulate("user/dev", "compute:TerminateInstances", "instance/i-web1")).toEqual({
      decision: "explicitDeny",
      decidedBy: { policy: "dev", statement: 1 },
    });
    expect(cloud.simulate("user/viewer", "compute:RunInstances", "instance/*")).toEqual({
      decision: "implicitDeny",
      decidedBy: null,
    });
    expect(() => cloud.simulate("user/nobody", "x:Y", "*")).toThrow(/no user called nobody/);
  });

  it("lists what a principal holds over the whole API, and what it gained since", () => {
    const plane = makeCloud();
    const before = view(plane);
    expect(before.grants("user/viewer").every((g) => isReadOnly(g.action))).toBe(true);
    expect(PERMISSIONS).toContain("storage:CreateSnapshot");
    expect(PERMISSIONS).not.toContain("sts:GetCallerIdentity");
    const initial = new CloudView(structuredClone(plane.state));
    ok(plane, "AttachPolicy", { policy: "deploy", user: "viewer" });
    const gained = view(plane).grantsGainedSince(initial, "user/viewer", ["deployment/new"]);
    expect(gained).toContainEqual({
      action: "deploy:DeleteDeployment",
      resource: "deployment/new",
      decidedBy: { policy: "deploy", statement: 0 },
    });
    expect(gained.every((g) => g.action.startsWith("deploy:"))).toBe(true);
    expect(view(plane).grantsGainedSince(view(plane), "user/viewer")).toEqual([]);
  });
});

describe("runCloudChecks", () => {
  const initial = makeCloud().snapshot();

  it("hands the checks the state settled and the initial state, and collects their lines", () => {
    const plane = makeCloud();
    ok(plane, "RunInstances", { name: "web-3", type: "small", image: "web", subnet: "public-a" });
    const checks = cloudChecks(({ cloud, initial: start, check }) => {
      check(cloud.instancesNamed("web-3")[0]?.state === "running", "web-3 runs", "web-3 pending");
      check(start.instancesNamed("web-3").length === 0, "web-3 is new");
    });
    expect(runCloudChecks(checks, plane.state, initial)).toEqual<CheckLine[]>([
      { passed: true, text: "web-3 runs" },
      { passed: true, text: "web-3 is new" },
    ]);
    expect(plane.state.instances.at(-1)?.state).toBe("pending");
  });

  it("fails when the checks report nothing or throw", () => {
    const state = makeCloud().state;
    expect(
      runCloudChecks(
        cloudChecks(() => {}),
        state,
        initial,
      ),
    ).toEqual([{ passed: false, text: "the cloud checks reported nothing" }]);
    const broken = cloudChecks(({ cloud }) => void cloud.simulate("user/nobody", "x:Y", "*"));
    expect(runCloudChecks(broken, state, initial)[0]).toMatchObject({
      passed: false,
      text: expect.stringMatching(/failed: no user called nobody/),
    });
  });
});
